/** The Postgres journal on a real database: atomic batches, idempotent retries. */
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TestDatabase } from '../../test/test-database';
import { runMigrations } from '../database/run-migrations';
import { typeOrmOptions } from '../database/typeorm-options';
import { PgBalanceJournal } from './pg-balance-journal';

describe('PgBalanceJournal', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let journal: PgBalanceJournal;

  const balances = async () =>
    Object.fromEntries(
      (await dataSource.query(`SELECT id, balance::text AS b FROM accounts ORDER BY id`)).map(
        (r: { id: string; b: string }) => [r.id, BigInt(r.b)],
      ),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(typeOrmOptions(db.url, 2)).initialize();
    await runMigrations(dataSource);
    for (const id of ['a', 'b']) {
      await dataSource.query(
        `INSERT INTO accounts (id, asset_code, asset_scale, relation, link) VALUES ($1, 'USD', 2, 'child', 'btp')`,
        [id],
      );
    }
    journal = new PgBalanceJournal(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('applies a batch atomically and keeps balances equal to the journal', async () => {
    await journal.append(
      [
        { accountId: 'a', delta: -18446744073709551615n, kind: 'packet' },
        { accountId: 'b', delta: 18446744073709551615n, kind: 'packet' },
        { accountId: 'a', delta: 5n, kind: 'adjustment', reason: 'refund' },
      ],
      { batchId: 'batch-1' },
    );
    expect(await balances()).toEqual({ a: -18446744073709551610n, b: 18446744073709551615n });
    const rows = await dataSource.query(
      `SELECT account_id, delta::text, kind, reason FROM balance_journal ORDER BY id`,
    );
    expect(rows).toHaveLength(3);
    expect(rows.find((r: { kind: string }) => r.kind === 'adjustment')).toMatchObject({
      account_id: 'a',
      delta: '5',
      kind: 'adjustment',
      reason: 'refund',
    });
  });

  it('keeps the reference of a credit', async () => {
    await journal.append([{ accountId: 'b', delta: 3n, kind: 'packet', ref: 'invoice-1' }], {
      batchId: 'batch-ref',
    });
    const rows = await dataSource.query(
      `SELECT delta::text, ref FROM balance_journal WHERE batch_id = 'batch-ref'`,
    );
    expect(rows).toEqual([{ delta: '3', ref: 'invoice-1' }]);
    await journal.append(
      [{ accountId: 'b', delta: -3n, kind: 'adjustment', reason: 'undo test' }],
      { batchId: 'batch-ref-undo' },
    );
  });

  it('ignores a retried batch whose first attempt committed', async () => {
    await journal.append([{ accountId: 'a', delta: -7n, kind: 'packet' }], { batchId: 'batch-2' });
    await journal.append([{ accountId: 'a', delta: -7n, kind: 'packet' }], { batchId: 'batch-2' });
    expect((await balances()).a).toBe(-18446744073709551617n);
  });

  it('drops entries of accounts that no longer exist without losing the rest', async () => {
    await journal.append(
      [
        { accountId: 'gone', delta: 1n, kind: 'packet' },
        { accountId: 'b', delta: 1n, kind: 'packet' },
      ],
      { batchId: 'batch-3' },
    );
    expect((await balances()).b).toBe(18446744073709551616n);
  });

  it('applies concurrent batches exactly once each', async () => {
    const before = (await balances()).a;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        journal.append([{ accountId: 'a', delta: 1n, kind: 'packet' }], { batchId: `c-${i}` }),
      ),
    );
    expect((await balances()).a).toBe(before + 20n);
    const sums = await dataSource.query(
      `SELECT account_id, sum(delta)::text AS s FROM balance_journal GROUP BY account_id ORDER BY account_id`,
    );
    expect(
      Object.fromEntries(
        sums.map((r: { account_id: string; s: string }) => [r.account_id, BigInt(r.s)]),
      ),
    ).toEqual(await balances());
  });
});
