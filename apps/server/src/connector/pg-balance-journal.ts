/**
 * The connector's group-commit journal on Postgres. Each batch is ONE statement, so it is
 * atomic on its own and costs one round trip (the batch's commit latency is every packet's
 * latency): it records the batch id, appends the journal rows and moves `accounts.balance`,
 * so a balance in the database always equals the sum of its journal rows. A batch id seen
 * before means an earlier attempt committed and only its acknowledgement was lost: then the
 * statement changes nothing and the batch is not applied twice.
 */
import { BalanceEntry, BalanceJournal, JournalBatchInfo } from '@tollgate/connector';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

// Entries of accounts deleted meanwhile have nowhere to go; accounts are only deleted with
// zero balance and nothing in flight, so the join with accounts drops nothing in practice.
const APPEND_BATCH = `
  WITH batch AS (
         INSERT INTO journal_batches (id) VALUES ($1)
         ON CONFLICT (id) DO NOTHING
         RETURNING id
       ),
       entry AS (
         SELECT t.account_id, t.delta, t.kind, t.reason, t.ref
           FROM unnest($2::text[], $3::numeric[], $4::text[], $5::text[], $6::text[])
                AS t(account_id, delta, kind, reason, ref)
           JOIN accounts a ON a.id = t.account_id
       ),
       appended AS (
         INSERT INTO balance_journal (batch_id, account_id, delta, kind, reason, ref)
         SELECT batch.id, entry.account_id, entry.delta, entry.kind, entry.reason, entry.ref
           FROM batch, entry
       ),
       moved AS (
         UPDATE accounts AS a
            SET balance = a.balance + d.delta, updated_at = now()
           FROM (SELECT account_id, sum(delta) AS delta FROM entry GROUP BY account_id) AS d, batch
          WHERE a.id = d.account_id
       )
  SELECT count(*)::int AS fresh FROM batch`;

export class PgBalanceJournal implements BalanceJournal {
  private readonly pool: Pool;

  constructor(dataSource: DataSource) {
    // The hot path talks to pg's pool directly: TypeORM's query runner would add an
    // acquire/release and a wrapper per batch for nothing.
    this.pool = (dataSource.driver as PostgresDriver).master as Pool;
  }

  async append(entries: readonly BalanceEntry[], info: JournalBatchInfo): Promise<void> {
    if (entries.length === 0) return;
    const n = entries.length;
    const accountIds = new Array<string>(n);
    const deltas = new Array<string>(n);
    const kinds = new Array<string>(n);
    const reasons = new Array<string | null>(n);
    const refs = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const e = entries[i];
      accountIds[i] = e.accountId;
      deltas[i] = e.delta.toString();
      kinds[i] = e.kind;
      reasons[i] = e.reason ?? null;
      refs[i] = e.ref ?? null;
    }
    await this.pool.query(APPEND_BATCH, [info.batchId, accountIds, deltas, kinds, reasons, refs]);
  }
}
