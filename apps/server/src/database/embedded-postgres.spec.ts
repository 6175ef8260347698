import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded-postgres';

describe('embedded Postgres (PGlite over the wire protocol)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the pg driver, keeps numeric(20,0) exact, and keeps data between runs', async () => {
    const first = await startEmbeddedPostgres({ dataDir: dir });
    const client = new Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE kept (v numeric(20,0) NOT NULL)');
    await client.query('INSERT INTO kept VALUES ($1)', ['18446744073709551615']);
    await client.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir: dir });
    const again = new Client({ connectionString: second.url });
    await again.connect();
    const { rows } = await again.query<{ v: string }>('SELECT v FROM kept');
    expect(rows).toEqual([{ v: '18446744073709551615' }]);
    await again.end();
    await second.stop();
  });

  it('accepts several connections at once', async () => {
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'multi') });
    const clients = [0, 1, 2].map(() => new Client({ connectionString: pg.url }));
    await Promise.all(clients.map((c) => c.connect()));
    const results = await Promise.all(clients.map((c, i) => c.query('SELECT $1::int AS i', [i])));
    expect(results.map((r) => r.rows[0].i)).toEqual([0, 1, 2]);
    await Promise.all(clients.map((c) => c.end()));
    await pg.stop();
  });
});
