/** The invoices module's only door to the database (invoices, and their totals in the journal). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Invoice } from './invoice.entity';

export interface ConnectionTotal {
  ref: string;
  received: bigint;
  firstAt: Date;
  lastAt: Date;
}

/** Journal refs of an invoice's STREAM connections start with this. */
export function invoiceRefPrefix(invoiceId: string): string {
  return `i.${invoiceId}.`;
}

@Injectable()
export class InvoicesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
  ) {}

  /** Inserts; 'duplicate-key' when this merchant already used the idempotency key. */
  async insert(invoice: Invoice): Promise<'ok' | 'duplicate-key'> {
    try {
      await this.invoices.insert(invoice);
      return 'ok';
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return 'duplicate-key';
      throw error;
    }
  }

  findForMerchant(merchantId: string, id: string): Promise<Invoice | null> {
    return this.invoices.findOneBy({ merchantId, id });
  }

  findById(id: string): Promise<Invoice | null> {
    return this.invoices.findOneBy({ id });
  }

  findByIdempotencyKey(merchantId: string, key: string): Promise<Invoice | null> {
    return this.invoices.findOneBy({ merchantId, idempotencyKey: key });
  }

  /** Newest first; `before` is the cursor (created_at, id) of the last row already seen. */
  async list(
    merchantId: string,
    limit: number,
    before?: { createdAt: Date; id: string },
  ): Promise<Invoice[]> {
    const query = this.invoices
      .createQueryBuilder('i')
      .where('i.merchant_id = :merchantId', { merchantId })
      .orderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .limit(limit);
    if (before) {
      query.andWhere('(i.created_at, i.id) < (:createdAt, :id)', {
        createdAt: before.createdAt,
        id: before.id,
      });
    }
    return query.getMany();
  }

  /** What each of the invoice's STREAM connections delivered, from the durable journal. */
  async connectionTotals(invoiceId: string): Promise<ConnectionTotal[]> {
    const rows: { ref: string; received: string; first_at: Date; last_at: Date }[] =
      await this.dataSource.query(
        `SELECT ref, sum(delta)::text AS received, min(created_at) AS first_at, max(created_at) AS last_at
         FROM balance_journal
        WHERE ref LIKE $1
        GROUP BY ref
        ORDER BY min(created_at)`,
        [`${invoiceRefPrefix(invoiceId)}%`],
      );
    return rows.map((r) => ({
      ref: r.ref,
      received: BigInt(r.received),
      firstAt: r.first_at,
      lastAt: r.last_at,
    }));
  }

  async received(invoiceId: string): Promise<bigint> {
    const rows: { received: string }[] = await this.dataSource.query(
      `SELECT coalesce(sum(delta), 0)::text AS received FROM balance_journal WHERE ref LIKE $1`,
      [`${invoiceRefPrefix(invoiceId)}%`],
    );
    return BigInt(rows[0].received);
  }

  /** open → paid, once, when the journal shows the amount covered. True when this call did it. */
  async markPaidIfCovered(invoiceId: string): Promise<boolean> {
    const result: unknown = await this.dataSource.query(
      `UPDATE invoices SET status = 'paid', paid_at = now()
        WHERE id = $1 AND status = 'open'
          AND amount <= (SELECT coalesce(sum(delta), 0) FROM balance_journal WHERE ref LIKE $2)
        RETURNING id`,
      [invoiceId, `${invoiceRefPrefix(invoiceId)}%`],
    );
    return returnedRows(result) > 0;
  }

  /** open → expired, once, when its time has passed. True when this call did it. */
  async markExpired(invoiceId: string): Promise<boolean> {
    const result: unknown = await this.dataSource.query(
      `UPDATE invoices SET status = 'expired' WHERE id = $1 AND status = 'open' AND expires_at <= now() RETURNING id`,
      [invoiceId],
    );
    return returnedRows(result) > 0;
  }
}

/** TypeORM answers an UPDATE … RETURNING with [rows, rowCount]; a SELECT with rows. */
function returnedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]))
    return result[0].length;
  return Array.isArray(result) ? result.length : 0;
}
