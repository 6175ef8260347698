/**
 * Idempotency-Key semantics for the settlement POSTs (FACTS §11.5), behind a narrow store
 * interface with an in-memory and a Postgres implementation.
 *
 * A key lives in a `scope` (one per API route kind, e.g. `engine.settle`) and is tied to a
 * `fingerprint` of the request (account id + normalised Quantity):
 * - first use: the caller owns the key (`begin` → `new`), runs the request, then
 *   `complete`s it with the answer, or `release`s it when nothing was done (errors), so a
 *   retry runs again;
 * - same key, same fingerprint, completed → the stored answer is replayed;
 * - same key, other fingerprint → conflict (409);
 * - same key while the first request is still running → `in_progress`. The HTTP handlers
 *   wait a little for the first to finish and replay its answer; if it is still running
 *   they answer 409 `idempotency_in_progress` with `Retry-After`, which the clients of this
 *   library treat as retryable.
 * A pending key older than `staleAfterMs` (its owner crashed) is taken over by the next
 * request with the same fingerprint: what it protects must itself be safe to re-run, as the
 * engine's settle is (it records intent under the same key before touching the ledger).
 */
import { createHash } from 'node:crypto';

export interface StoredResponse {
  status: number;
  /** The response body as sent (JSON text). */
  body: string;
}

export type IdempotencyBegin =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'conflict' }
  | { kind: 'in_progress' };

export interface IdempotencyStore {
  begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  release(scope: string, key: string): Promise<void>;
  /** Forgets completed keys last used before `before` (RFC 38: keep them at least 24 h). */
  purge(before: Date): Promise<number>;
}

export interface IdempotencyStoreOptions {
  /** After this long a pending key is considered abandoned. Default 60 s. */
  staleAfterMs?: number;
}

const DEFAULT_STALE_AFTER_MS = 60_000;

/** A short stable digest of the parts of a request that must match for a replay. */
export function requestFingerprint(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex');
}

interface MemoryEntry {
  fingerprint: string;
  response?: StoredResponse;
  touchedAt: number;
}

/** For tests and single-process tools; nothing survives a restart. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly staleAfterMs: number;

  constructor(options: IdempotencyStoreOptions = {}) {
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  }

  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin> {
    const id = memoryKey(scope, key);
    const entry = this.entries.get(id);
    const now = Date.now();
    if (!entry) {
      this.entries.set(id, { fingerprint, touchedAt: now });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'conflict' };
    if (entry.response) {
      entry.touchedAt = now;
      return { kind: 'replay', response: entry.response };
    }
    if (now - entry.touchedAt >= this.staleAfterMs) {
      entry.touchedAt = now;
      return { kind: 'new' };
    }
    return { kind: 'in_progress' };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    const entry = this.entries.get(memoryKey(scope, key));
    if (!entry) throw new Error('idempotency key completed without begin');
    entry.response = { ...response };
    entry.touchedAt = Date.now();
  }

  async release(scope: string, key: string): Promise<void> {
    const id = memoryKey(scope, key);
    if (!this.entries.get(id)?.response) this.entries.delete(id);
  }

  async purge(before: Date): Promise<number> {
    let removed = 0;
    for (const [id, entry] of this.entries) {
      if (entry.response && entry.touchedAt < before.getTime()) {
        this.entries.delete(id);
        removed++;
      }
    }
    return removed;
  }
}

function memoryKey(scope: string, key: string): string {
  return `${scope.length}:${scope}${key}`;
}

/** What {@link PgIdempotencyStore} needs of a database client: `pg.Pool` fits. */
export interface SqlExecutor {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

function checkTable(table: string): string {
  if (!TABLE_NAME.test(table)) throw new Error(`invalid idempotency table name: ${table}`);
  return table;
}

/**
 * The table {@link PgIdempotencyStore} uses; run it in a migration. `response_status` is
 * null while the key's first request is running.
 */
export function idempotencyTableDdl(table: string): string {
  const t = checkTable(table);
  const index = `${t.replace('.', '_')}_touched_at_idx`;
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (`,
    `  scope text NOT NULL,`,
    `  key text NOT NULL,`,
    `  fingerprint text NOT NULL,`,
    `  response_status smallint,`,
    `  response_body text,`,
    `  created_at timestamptz NOT NULL DEFAULT now(),`,
    `  touched_at timestamptz NOT NULL DEFAULT now(),`,
    `  PRIMARY KEY (scope, key)`,
    `);`,
    `CREATE INDEX IF NOT EXISTS ${index} ON ${t} (touched_at);`,
  ].join('\n');
}

/**
 * Postgres-backed keys: the primary key on (scope, key) makes the first `INSERT` the only
 * winner among concurrent requests, across processes and instances.
 */
export class PgIdempotencyStore implements IdempotencyStore {
  private readonly table: string;
  private readonly staleAfterMs: number;

  constructor(
    private readonly db: SqlExecutor,
    table: string,
    options: IdempotencyStoreOptions = {},
  ) {
    this.table = checkTable(table);
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  }

  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin> {
    const inserted = await this.db.query(
      `INSERT INTO ${this.table} (scope, key, fingerprint) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO NOTHING RETURNING 1 AS ok`,
      [scope, key, fingerprint],
    );
    if (inserted.rows.length > 0) return { kind: 'new' };
    const { rows } = await this.db.query(
      `SELECT fingerprint, response_status, response_body FROM ${this.table}
       WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const row = rows[0];
    // Released between our INSERT and SELECT: start over once more.
    if (!row) return this.begin(scope, key, fingerprint);
    if (row.fingerprint !== fingerprint) return { kind: 'conflict' };
    if (row.response_status !== null && row.response_status !== undefined) {
      await this.db.query(
        `UPDATE ${this.table} SET touched_at = now() WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      return {
        kind: 'replay',
        response: { status: Number(row.response_status), body: String(row.response_body ?? '') },
      };
    }
    const takeover = await this.db.query(
      `UPDATE ${this.table} SET touched_at = now()
       WHERE scope = $1 AND key = $2 AND response_status IS NULL
         AND touched_at < now() - ($3::double precision * interval '1 millisecond')
       RETURNING 1 AS ok`,
      [scope, key, this.staleAfterMs],
    );
    return takeover.rows.length > 0 ? { kind: 'new' } : { kind: 'in_progress' };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table} SET response_status = $3, response_body = $4, touched_at = now()
       WHERE scope = $1 AND key = $2`,
      [scope, key, response.status, response.body],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await this.db.query(
      `DELETE FROM ${this.table} WHERE scope = $1 AND key = $2 AND response_status IS NULL`,
      [scope, key],
    );
  }

  async purge(before: Date): Promise<number> {
    const { rows } = await this.db.query(
      `DELETE FROM ${this.table} WHERE response_status IS NOT NULL AND touched_at < $1
       RETURNING 1 AS ok`,
      [before.toISOString()],
    );
    return rows.length;
  }
}
