/** The invoices module's only door to the database (invoices, and their totals in the journal). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Invoice, InvoiceStatus } from './invoice.entity';
import { InvoiceTransitions } from './invoice-transitions';

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
    private readonly transitions: InvoiceTransitions,
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
    filter: InvoiceFilter = {},
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
    if (filter.status) query.andWhere('i.status = :status', { status: filter.status });
    if (filter.from) query.andWhere('i.created_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('i.created_at < :to', { to: filter.to });
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
    return (
      (await this.transition(invoiceId, (tx) => this.payIfCovered(tx, invoiceId))) !== undefined
    );
  }

  /** open → expired, once, when its time has passed. True when this call did it. */
  async markExpired(invoiceId: string): Promise<boolean> {
    return (
      (await this.transition(invoiceId, (tx) => this.expireIfOverdue(tx, invoiceId))) !== undefined
    );
  }

  /**
   * Settles up to `limit` open invoices whose time has passed: paid when the journal covers
   * them (money that arrived just in time), else expired. Rows are claimed with
   * `FOR UPDATE SKIP LOCKED`, so instances sweeping together share the work and each
   * invoice changes (and its hooks run) once.
   */
  async settleOverdue(
    limit: number,
    graceMs: number,
  ): Promise<{ invoiceId: string; status: InvoiceStatus }[]> {
    let after: (() => void)[] = [];
    const changed = await this.dataSource.transaction(async (tx) => {
      after = [];
      // A grace period past expiry: money the receiver accepted just before the deadline
      // reaches the journal a moment later, and then the invoice is paid, not expired.
      const rows: { id: string }[] = await tx.query(
        `SELECT id FROM invoices
          WHERE status = 'open' AND expires_at <= now() - make_interval(secs => $2::double precision / 1000)
          ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, graceMs],
      );
      const out: { invoiceId: string; status: InvoiceStatus }[] = [];
      for (const { id } of rows) {
        const done = (await this.payIfCovered(tx, id)) || (await this.expireIfOverdue(tx, id));
        if (!done) continue;
        const invoice = await tx.findOneByOrFail(Invoice, { id });
        after.push(
          ...(await this.transitions.run(tx, { invoice, received: await this.receivedIn(tx, id) })),
        );
        out.push({ invoiceId: id, status: invoice.status });
      }
      return out;
    });
    runAll(after);
    return changed;
  }

  /** Runs `change` and, when it changed the invoice, the transition hooks, in one transaction. */
  private async transition(
    invoiceId: string,
    change: (tx: EntityManager) => Promise<boolean>,
  ): Promise<Invoice | undefined> {
    let after: (() => void)[] = [];
    const changed = await this.dataSource.transaction(async (tx) => {
      after = [];
      if (!(await change(tx))) return undefined;
      const invoice = await tx.findOneByOrFail(Invoice, { id: invoiceId });
      after = await this.transitions.run(tx, {
        invoice,
        received: await this.receivedIn(tx, invoiceId),
      });
      return invoice;
    });
    runAll(after);
    return changed;
  }

  private async payIfCovered(tx: EntityManager, invoiceId: string): Promise<boolean> {
    const result: unknown = await tx.query(
      `UPDATE invoices SET status = 'paid', paid_at = now()
        WHERE id = $1 AND status = 'open'
          AND amount <= (SELECT coalesce(sum(delta), 0) FROM balance_journal WHERE ref LIKE $2)
        RETURNING id`,
      [invoiceId, `${invoiceRefPrefix(invoiceId)}%`],
    );
    return returnedRows(result) > 0;
  }

  private async expireIfOverdue(tx: EntityManager, invoiceId: string): Promise<boolean> {
    const result: unknown = await tx.query(
      `UPDATE invoices SET status = 'expired' WHERE id = $1 AND status = 'open' AND expires_at <= now() RETURNING id`,
      [invoiceId],
    );
    return returnedRows(result) > 0;
  }

  private async receivedIn(tx: EntityManager, invoiceId: string): Promise<bigint> {
    const rows: { received: string }[] = await tx.query(
      `SELECT coalesce(sum(delta), 0)::text AS received FROM balance_journal WHERE ref LIKE $1`,
      [`${invoiceRefPrefix(invoiceId)}%`],
    );
    return BigInt(rows[0].received);
  }
}

export interface InvoiceFilter {
  status?: InvoiceStatus;
  from?: Date;
  to?: Date;
}

/** After-commit callbacks must not undo a committed change by throwing at the caller. */
function runAll(callbacks: (() => void)[]): void {
  for (const callback of callbacks) {
    try {
      callback();
    } catch {
      // a failed follow-up (e.g. an enqueue) is retried by its own sweeper
    }
  }
}

/** TypeORM answers an UPDATE … RETURNING with [rows, rowCount]; a SELECT with rows. */
function returnedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]))
    return result[0].length;
  return Array.isArray(result) ? result.length : 0;
}
