/**
 * The dashboard's only door to the database. Money figures come from the balance journal
 * (credits with a connection ref on the merchant's account), summed in Postgres as numeric
 * and handed over as text, so every total is exact.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { InvoiceStatus } from '../invoices/invoice.entity';

export type Bucket = 'minute' | 'hour' | 'day';

const STEP: Record<Bucket, string> = {
  minute: `interval '1 minute'`,
  hour: `interval '1 hour'`,
  // 24 hours, not '1 day': buckets are UTC days, whatever the session's time zone does.
  day: `interval '24 hours'`,
};

/** Credits that are payments: on the merchant's account, with a connection ref. */
const RECEIVED = `account_id = $1 AND kind = 'packet' AND ref IS NOT NULL`;

@Injectable()
export class DashboardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async received(accountId: string, since?: Date): Promise<{ amount: bigint; payments: number }> {
    const params: unknown[] = [accountId];
    let where = RECEIVED;
    if (since) {
      params.push(since);
      where += ' AND created_at >= $2';
    }
    const rows: { amount: string; payments: number }[] = await this.dataSource.query(
      `SELECT coalesce(sum(delta), 0)::text AS amount, count(DISTINCT ref)::int AS payments
         FROM balance_journal WHERE ${where}`,
      params,
    );
    return { amount: BigInt(rows[0].amount), payments: rows[0].payments };
  }

  async invoicesByStatus(
    merchantId: string,
  ): Promise<Record<InvoiceStatus, { count: number; amount: bigint }>> {
    const rows: { status: InvoiceStatus; count: number; amount: string }[] =
      await this.dataSource.query(
        `SELECT status, count(*)::int AS count, sum(amount)::text AS amount
           FROM invoices WHERE merchant_id = $1 GROUP BY status`,
        [merchantId],
      );
    const out = {
      open: { count: 0, amount: 0n },
      paid: { count: 0, amount: 0n },
      expired: { count: 0, amount: 0n },
    };
    for (const r of rows) out[r.status] = { count: r.count, amount: BigInt(r.amount) };
    return out;
  }

  /**
   * Received money per UTC bucket from the start of `from`'s bucket until `to` (exclusive),
   * every bucket present (empty ones with 0).
   */
  async revenue(
    accountId: string,
    bucket: Bucket,
    from: Date,
    to: Date,
  ): Promise<{ start: Date; amount: bigint; payments: number }[]> {
    const rows: { start: Date; amount: string; payments: number }[] = await this.dataSource.query(
      `WITH buckets AS (
         SELECT generate_series(date_trunc('${bucket}', $2::timestamptz, 'UTC'),
                                $3::timestamptz - interval '1 microsecond',
                                ${STEP[bucket]}) AS start
       ),
       sums AS (
         SELECT date_trunc('${bucket}', created_at, 'UTC') AS start,
                sum(delta) AS amount, count(DISTINCT ref)::int AS payments
           FROM balance_journal
          WHERE ${RECEIVED}
            AND created_at >= date_trunc('${bucket}', $2::timestamptz, 'UTC')
            AND created_at < $3
          GROUP BY 1
       )
       SELECT b.start, coalesce(s.amount, 0)::text AS amount, coalesce(s.payments, 0) AS payments
         FROM buckets b LEFT JOIN sums s ON s.start = b.start
        ORDER BY b.start`,
      [accountId, from, to],
    );
    return rows.map((r) => ({ start: r.start, amount: BigInt(r.amount), payments: r.payments }));
  }
}
