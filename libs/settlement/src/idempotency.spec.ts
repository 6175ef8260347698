import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../apps/server/test/test-database';
import {
  idempotencyTableDdl,
  MemoryIdempotencyStore,
  PgIdempotencyStore,
  requestFingerprint,
  type IdempotencyStore,
} from './idempotency';

function storeContract(name: string, make: (staleAfterMs: number) => IdempotencyStore): void {
  describe(name, () => {
    const answer = { status: 201, body: '{"amount":"5","scale":2}' };

    it('owns a new key, then replays its stored answer', async () => {
      const store = make(60_000);
      expect(await store.begin('s', 'k1', 'f')).toEqual({ kind: 'new' });
      expect(await store.begin('s', 'k1', 'f')).toEqual({ kind: 'in_progress' });
      await store.complete('s', 'k1', answer);
      expect(await store.begin('s', 'k1', 'f')).toEqual({ kind: 'replay', response: answer });
    });

    it('reports a conflict for another fingerprint, pending or done', async () => {
      const store = make(60_000);
      await store.begin('s', 'k2', 'f');
      expect(await store.begin('s', 'k2', 'g')).toEqual({ kind: 'conflict' });
      await store.complete('s', 'k2', answer);
      expect(await store.begin('s', 'k2', 'g')).toEqual({ kind: 'conflict' });
    });

    it('keeps scopes apart', async () => {
      const store = make(60_000);
      await store.begin('a', 'k3', 'f');
      expect(await store.begin('b', 'k3', 'g')).toEqual({ kind: 'new' });
    });

    it('forgets a released key but never a completed one', async () => {
      const store = make(60_000);
      await store.begin('s', 'k4', 'f');
      await store.release('s', 'k4');
      expect(await store.begin('s', 'k4', 'g')).toEqual({ kind: 'new' });
      await store.complete('s', 'k4', answer);
      await store.release('s', 'k4');
      expect(await store.begin('s', 'k4', 'g')).toEqual({ kind: 'replay', response: answer });
    });

    it('lets exactly one of many concurrent requests own a key', async () => {
      const store = make(60_000);
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.begin('s', 'k5', 'f')),
      );
      expect(results.filter((r) => r.kind === 'new')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'in_progress')).toHaveLength(7);
    });

    it('takes over a pending key whose owner went away', async () => {
      const store = make(0);
      await store.begin('s', 'k6', 'f');
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await store.begin('s', 'k6', 'f')).toEqual({ kind: 'new' });
    });

    it('purges completed keys older than the cut-off', async () => {
      const store = make(60_000);
      await store.begin('p', 'old', 'f');
      await store.complete('p', 'old', answer);
      await store.begin('p', 'pending', 'f');
      expect(await store.purge(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
      expect(await store.begin('p', 'old', 'g')).toEqual({ kind: 'new' });
      expect(await store.begin('p', 'pending', 'f')).toEqual({ kind: 'in_progress' });
    });
  });
}

storeContract(
  'MemoryIdempotencyStore',
  (staleAfterMs) => new MemoryIdempotencyStore({ staleAfterMs }),
);

describe('PgIdempotencyStore', () => {
  let db: TestDatabase;
  let pool: Pool;
  let tables = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The embedded PGlite serves one connection's queries at a time without mixing them up.
    pool = new Pool({ connectionString: db.url, max: db.embedded ? 1 : 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  // Each test gets its own table so the contract's key names never collide.
  function make(staleAfterMs: number): IdempotencyStore {
    const table = `idem_${++tables}`;
    const ready = pool
      .query(idempotencyTableDdl(table))
      .then(() => new PgIdempotencyStore(pool, table, { staleAfterMs }));
    const lazy =
      (name: keyof IdempotencyStore) =>
      async (...args: unknown[]) => {
        const store = await ready;
        return (store[name] as (...a: unknown[]) => Promise<unknown>).apply(store, args);
      };
    return {
      begin: lazy('begin'),
      complete: lazy('complete'),
      release: lazy('release'),
      purge: lazy('purge'),
    } as IdempotencyStore;
  }

  it('creates its table idempotently and refuses unsafe table names', async () => {
    await pool.query(idempotencyTableDdl('public.idem_ddl'));
    await pool.query(idempotencyTableDdl('public.idem_ddl'));
    expect(() => idempotencyTableDdl('x; DROP TABLE y')).toThrow(/invalid/);
    expect(() => new PgIdempotencyStore(pool, 'a b')).toThrow(/invalid/);
  });

  storeContract('on Postgres', make);
});

describe('requestFingerprint', () => {
  it('separates parts unambiguously', () => {
    expect(requestFingerprint('ab', 'c')).not.toBe(requestFingerprint('a', 'bc'));
    expect(requestFingerprint('a', '1', '2')).toBe(requestFingerprint('a', '1', '2'));
  });
});
