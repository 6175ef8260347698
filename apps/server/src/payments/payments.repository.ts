/**
 * The payments module's only door to the database. A payment is what one STREAM connection
 * delivered to a merchant: the journal credits on the merchant's account that carry the
 * connection's ref (`m.<nonce>` for the merchant's pointer, `i.<invoice id>.<nonce>` for an
 * invoice). `payments` keeps one row per ref, brought up to date from the journal by the
 * sweeper, with how much of it was already announced.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface PaymentRow {
  ref: string;
  merchantId: string;
  invoiceId: string | null;
  amount: bigint;
  announced: bigint;
  firstAt: Date;
  lastAt: Date;
  assetCode: string;
  assetScale: number;
}

export interface PaymentFilter {
  from?: Date;
  to?: Date;
  invoiceId?: string;
}

/** Journal rows may commit a little out of time order: each sweep re-reads this far back. */
const OVERLAP = `interval '60 seconds'`;

const COLUMNS = `p.ref, p.merchant_id AS "merchantId", p.invoice_id AS "invoiceId",
  p.amount::text AS amount, p.announced::text AS announced, p.first_at AS "firstAt",
  p.last_at AS "lastAt", m.asset_code AS "assetCode", m.asset_scale AS "assetScale"`;

type RawPayment = Omit<PaymentRow, 'amount' | 'announced'> & { amount: string; announced: string };

function toRow(r: RawPayment): PaymentRow {
  return { ...r, amount: BigInt(r.amount), announced: BigInt(r.announced) };
}

@Injectable()
export class PaymentsRepository {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /**
   * Claims the journal cursor (`FOR UPDATE SKIP LOCKED`: one instance at a time; the others
   * skip this round). False when another instance holds it.
   */
  async claimCursor(tx: EntityManager): Promise<boolean> {
    await tx.query(
      `INSERT INTO sweep_cursors (name, read_until) VALUES ('payments', 'epoch') ON CONFLICT DO NOTHING`,
    );
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM sweep_cursors WHERE name = 'payments' FOR UPDATE SKIP LOCKED`,
    );
    return rows.length > 0;
  }

  /** Brings `payments` up to date with the journal credits since the cursor, and moves it. */
  async catchUp(tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO payments (ref, merchant_id, invoice_id, amount, first_at, last_at)
       SELECT j.ref, m.id,
              CASE WHEN j.ref ~ '^i\\.[0-9a-f-]{36}\\.' THEN substring(j.ref FROM 3 FOR 36)::uuid END,
              sum(j.delta), min(j.created_at), max(j.created_at)
         FROM balance_journal j
         JOIN merchants m ON m.slug = j.account_id
        WHERE j.kind = 'packet'
          AND j.ref IN (SELECT DISTINCT ref FROM balance_journal
                         WHERE ref IS NOT NULL
                           AND created_at > (SELECT read_until FROM sweep_cursors WHERE name = 'payments') - ${OVERLAP})
        GROUP BY j.ref, m.id
       ON CONFLICT (ref) DO UPDATE
          SET amount = EXCLUDED.amount, first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at`,
    );
    await tx.query(`UPDATE sweep_cursors SET read_until = now() WHERE name = 'payments'`);
  }

  /** Payments with money not yet announced and quiet for `quietMs`, locked for this sweep. */
  async quietUnannounced(tx: EntityManager, quietMs: number, limit: number): Promise<PaymentRow[]> {
    const rows: RawPayment[] = await tx.query(
      `SELECT ${COLUMNS}
         FROM payments p JOIN merchants m ON m.id = p.merchant_id
        WHERE p.amount > p.announced
          AND p.last_at <= now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY p.last_at
        LIMIT $2
        FOR UPDATE OF p SKIP LOCKED`,
      [quietMs, limit],
    );
    return rows.map(toRow);
  }

  async markAnnounced(tx: EntityManager, ref: string, amount: bigint): Promise<void> {
    await tx.query(`UPDATE payments SET announced = $2 WHERE ref = $1`, [ref, amount.toString()]);
  }

  /** Newest first; `before` is the (first_at, ref) of the last row already seen. */
  async list(
    merchantId: string,
    limit: number,
    before: { firstAt: Date; ref: string } | undefined,
    filter: PaymentFilter,
  ): Promise<PaymentRow[]> {
    const params: unknown[] = [merchantId, limit];
    const where = ['p.merchant_id = $1'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (before) {
      params.push(before.firstAt, before.ref);
      where.push(`(p.first_at, p.ref) < ($${params.length - 1}, $${params.length})`);
    }
    if (filter.from) add('p.first_at >= ?', filter.from);
    if (filter.to) add('p.first_at < ?', filter.to);
    if (filter.invoiceId) add('p.invoice_id = ?', filter.invoiceId);
    const rows: RawPayment[] = await this.dataSource.query(
      `SELECT ${COLUMNS}
         FROM payments p JOIN merchants m ON m.id = p.merchant_id
        WHERE ${where.join(' AND ')}
        ORDER BY p.first_at DESC, p.ref DESC
        LIMIT $2`,
      params,
    );
    return rows.map(toRow);
  }
}
