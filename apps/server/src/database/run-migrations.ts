/**
 * Applies pending migrations under a Postgres advisory lock, so that several server
 * instances starting at once against one database apply each migration exactly once.
 */
import { DataSource, MigrationExecutor } from 'typeorm';

/** An arbitrary, fixed 64-bit key: "tollgate migrations". */
const MIGRATION_LOCK_KEY = '7411031944251230001';

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      // On the connection that holds the lock: the embedded database runs with a pool of
      // one connection, where waiting for a second one would never end.
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

export interface MigrationStatus {
  applied: number;
  pending: number;
}

/** How many of the known migrations this database has applied, and how many it lacks. */
export async function migrationStatus(dataSource: DataSource): Promise<MigrationStatus> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const known = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  const rows: { name: string }[] = await dataSource.query(`SELECT name FROM "${table}"`);
  const done = new Set(rows.map((r) => r.name));
  const applied = known.filter((name) => done.has(name)).length;
  return { applied, pending: known.length - applied };
}
