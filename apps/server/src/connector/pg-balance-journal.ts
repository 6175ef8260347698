/**
 * The connector's group-commit journal on Postgres: one transaction per batch records the
 * batch id, appends the journal rows and moves `accounts.balance`, so a balance in the
 * database always equals the sum of its journal rows. A batch id seen before means an
 * earlier attempt committed and only its acknowledgement was lost: it is not applied again.
 */
import { BalanceEntry, BalanceJournal, JournalBatchInfo } from '@tollgate/connector';
import { DataSource } from 'typeorm';

export class PgBalanceJournal implements BalanceJournal {
  constructor(private readonly dataSource: DataSource) {}

  async append(entries: readonly BalanceEntry[], info: JournalBatchInfo): Promise<void> {
    if (entries.length === 0) return;
    const accountIds: string[] = [];
    const deltas: string[] = [];
    const kinds: string[] = [];
    const reasons: (string | null)[] = [];
    for (const e of entries) {
      accountIds.push(e.accountId);
      deltas.push(e.delta.toString());
      kinds.push(e.kind);
      reasons.push(e.reason ?? null);
    }
    await this.dataSource.transaction(async (manager) => {
      const fresh: unknown[] = await manager.query(
        `INSERT INTO journal_batches (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [info.batchId],
      );
      if (fresh.length === 0) return;
      // Entries of accounts deleted meanwhile have nowhere to go; accounts are only deleted
      // with zero balance and nothing in flight, so this join drops nothing in practice.
      await manager.query(
        `INSERT INTO balance_journal (batch_id, account_id, delta, kind, reason)
         SELECT $1, t.account_id, t.delta, t.kind, t.reason
           FROM unnest($2::text[], $3::numeric[], $4::text[], $5::text[]) AS t(account_id, delta, kind, reason)
           JOIN accounts a ON a.id = t.account_id`,
        [info.batchId, accountIds, deltas, kinds, reasons],
      );
      await manager.query(
        `UPDATE accounts AS a
            SET balance = a.balance + d.delta, updated_at = now()
           FROM (SELECT account_id, sum(delta) AS delta
                   FROM unnest($1::text[], $2::numeric[]) AS t(account_id, delta)
                  GROUP BY account_id) AS d
          WHERE a.id = d.account_id`,
        [accountIds, deltas],
      );
    });
  }
}
