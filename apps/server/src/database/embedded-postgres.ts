/**
 * The embedded default: with no DATABASE_URL the server runs PGlite (Postgres compiled to
 * WASM) in-process and serves it over the Postgres wire protocol on a loopback port, so the
 * very same TypeORM `postgres` driver, migrations and SQL run on it as on a real server.
 *
 * PGlite-socket facts that shape this (see DESIGN.md): it multiplexes several connections
 * but runs one transaction at a time, so the pool stays small and nothing may wait on a
 * second connection from inside a transaction.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL for the `pg` driver. */
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory that holds the database files; created if missing and kept between runs. */
  dataDir: string;
  /** Loopback port to serve on; 0 picks a free one. */
  port?: number;
  maxConnections?: number;
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 8,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const [host, port] = splitHostPort(server.getServerConn());
  let stopped = false;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      // Closing PGlite flushes its files: without it the last writes may not reach disk.
      await db.close();
    },
  };
}

function splitHostPort(conn: string): [string, number] {
  const at = conn.lastIndexOf(':');
  return [conn.slice(0, at), Number(conn.slice(at + 1))];
}
