/**
 * Invoices: created by merchants (idempotently), paid by STREAM through the merchant's local
 * account. What arrived is read from the durable journal; `open → paid` happens once, when
 * the journal shows the amount covered; `open → expired` once, when its time has passed.
 */
import { CursorPosition, decodeCursor, encodeCursor } from '../common/cursor';
import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { parseAmount } from '../common/money/amount';
import { Merchant } from '../merchants/merchant.entity';
import { MerchantsService } from '../merchants/merchants.service';
import { CreateInvoiceDto } from './dto/create-invoice.dto';
import { Invoice } from './invoice.entity';
import { InvoiceView, invoiceView } from './invoice-view';
import { InvoiceError, InvoiceErrorCode as Code } from './invoices.errors';
import { InvoiceFilter, InvoicesRepository } from './invoices.repository';
import { InvoiceEvents } from './invoice-events';

/** What a customer's checkout page sees: no metadata, no merchant internals. */
export type CheckoutView = Omit<InvoiceView, 'metadata' | 'payments' | 'merchantId'> & {
  merchant: { name: string; slug: string };
};

/**
 * How long past its expiry an open invoice waits before it can expire: money the receiver
 * accepted just before the deadline reaches the journal a moment later, and then the
 * invoice is paid. Until then a read may only find it paid.
 */
export const EXPIRY_GRACE_MS = 2_000;
const DEFAULT_TTL_MS = 60 * 60 * 1000;
const MAX_TTL_MS = 366 * 24 * 60 * 60 * 1000;

@Injectable()
export class InvoicesService {
  constructor(
    private readonly repository: InvoicesRepository,
    private readonly merchants: MerchantsService,
    private readonly updates: InvoiceEvents,
  ) {}

  /**
   * Same key and same body → the invoice made the first time (`created: false`); same key,
   * other body → 409. Without a key every call makes a new invoice.
   */
  async create(
    merchant: Merchant,
    dto: CreateInvoiceDto,
    idempotencyKey: string | undefined,
    baseUrl: string,
  ): Promise<{ invoice: InvoiceView; created: boolean }> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      throw new InvoiceError(
        Code.InvalidInvoice,
        'Idempotency-Key must be 1 to 255 visible ASCII characters',
      );
    }
    const expiresAt = dto.expiresAt
      ? new Date(dto.expiresAt)
      : new Date(Date.now() + DEFAULT_TTL_MS);
    const ttl = expiresAt.getTime() - Date.now();
    if (!(ttl > 0) || ttl > MAX_TTL_MS) {
      throw new InvoiceError(
        Code.InvalidInvoice,
        'expiresAt must be in the future and within a year',
        [{ field: 'expiresAt', problems: ['must be in the future and within a year'] }],
      );
    }
    const metadata = dto.metadata ?? {};
    checkMetadata(metadata);
    const amount = parseAmount(dto.amount);
    if (amount === 0n) {
      throw new InvoiceError(Code.InvalidInvoice, 'amount must be greater than zero', [
        { field: 'amount', problems: ['must be greater than zero'] },
      ]);
    }
    const requestHash = createHash('sha256')
      .update(JSON.stringify([dto.amount, dto.description ?? '', dto.expiresAt ?? null, metadata]))
      .digest('hex');
    if (idempotencyKey !== undefined) {
      const existing = await this.repository.findByIdempotencyKey(merchant.id, idempotencyKey);
      if (existing)
        return {
          invoice: await this.replay(existing, requestHash, merchant, baseUrl),
          created: false,
        };
    }
    const invoice = Object.assign(new Invoice(), {
      id: randomUUID(),
      merchantId: merchant.id,
      amount,
      description: dto.description ?? '',
      metadata,
      status: 'open' as const,
      expiresAt,
      paidAt: null,
      idempotencyKey: idempotencyKey ?? null,
      requestHash: idempotencyKey !== undefined ? requestHash : null,
    });
    if ((await this.repository.insert(invoice)) === 'duplicate-key') {
      // Lost a race with the same key: answer as a replay of the winner.
      const winner = (await this.repository.findByIdempotencyKey(merchant.id, idempotencyKey!))!;
      return { invoice: await this.replay(winner, requestHash, merchant, baseUrl), created: false };
    }
    const stored = (await this.repository.findById(invoice.id))!;
    return { invoice: invoiceView(stored, merchant, 0n, baseUrl), created: true };
  }

  async get(merchant: Merchant, id: string, baseUrl: string): Promise<InvoiceView> {
    const invoice = await this.current(merchant, id);
    const connections = await this.repository.connectionTotals(invoice.id);
    const received = connections.reduce((sum, c) => sum + c.received, 0n);
    return invoiceView(invoice, merchant, received, baseUrl, connections);
  }

  async list(
    merchant: Merchant,
    limit: number,
    cursor: string | undefined,
    baseUrl: string,
    filter: InvoiceFilter = {},
  ): Promise<{ data: InvoiceView[]; nextCursor: string | null }> {
    const before = cursor === undefined ? undefined : parseCursor(cursor);
    const rows = await this.repository.list(merchant.id, limit + 1, before, filter);
    const page = rows.slice(0, limit);
    const data = await Promise.all(
      page.map(async (i) =>
        invoiceView(i, merchant, await this.repository.received(i.id), baseUrl),
      ),
    );
    const last = page[page.length - 1];
    return { data, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /** The public view for checkout pages, status brought up to date. */
  async checkout(id: string, baseUrl: string): Promise<CheckoutView> {
    const invoice = await this.repository.findById(id);
    if (!invoice) throw new InvoiceError(Code.UnknownInvoice, `no invoice ${id}`);
    const merchant = await this.merchants.getEntity(invoice.merchantId);
    const current = await this.current(merchant, id);
    const view = invoiceView(current, merchant, await this.repository.received(id), baseUrl);
    return {
      id: view.id,
      merchant: { name: merchant.name, slug: merchant.slug },
      amount: view.amount,
      received: view.received,
      assetCode: view.assetCode,
      assetScale: view.assetScale,
      description: view.description,
      status: view.status,
      expiresAt: view.expiresAt,
      paidAt: view.paidAt,
      createdAt: view.createdAt,
      paymentPointer: view.paymentPointer,
      spspUrl: view.spspUrl,
    };
  }

  /** For the STREAM receiver: the invoice, its status brought up to date, and what arrived. */
  async forPayment(id: string): Promise<{ invoice: Invoice; received: bigint } | undefined> {
    const invoice = await this.repository.findById(id);
    if (!invoice) return undefined;
    if (invoice.status === 'open' && invoice.expiresAt.getTime() <= Date.now()) {
      await this.settleIfOverdue(invoice);
      return {
        invoice: (await this.repository.findById(id))!,
        received: await this.repository.received(id),
      };
    }
    return { invoice, received: await this.repository.received(id) };
  }

  /** Called once money for the invoice is durable: turns it paid (once) when covered. */
  markPaidIfCovered(id: string): Promise<boolean> {
    return this.repository.markPaidIfCovered(id);
  }

  /**
   * Settles up to `limit` overdue open invoices (paid if covered, else expired) and tells
   * this instance's live subscribers. Returns how many changed.
   */
  async settleOverdue(limit: number, graceMs: number): Promise<number> {
    const changed = await this.repository.settleOverdue(limit, graceMs);
    for (const { invoiceId, status } of changed) {
      this.updates.publish({
        invoiceId,
        status,
        received: (await this.repository.received(invoiceId)).toString(),
      });
    }
    return changed.length;
  }

  private async current(merchant: Merchant, id: string): Promise<Invoice> {
    const invoice = await this.repository.findForMerchant(merchant.id, id);
    // Another merchant's invoice is as unknown as a missing one.
    if (!invoice) throw new InvoiceError(Code.UnknownInvoice, `no invoice ${id}`);
    if (invoice.status === 'open' && invoice.expiresAt.getTime() <= Date.now()) {
      await this.settleIfOverdue(invoice);
      return (await this.repository.findById(id))!;
    }
    return invoice;
  }

  /**
   * An open invoice past its expiry, as every path settles it: paid when the journal covers
   * it, expired only once the grace is over (as the sweeper does).
   */
  private async settleIfOverdue(invoice: Invoice): Promise<void> {
    if (await this.repository.markPaidIfCovered(invoice.id)) return;
    if (invoice.expiresAt.getTime() + EXPIRY_GRACE_MS > Date.now()) return;
    await this.repository.markExpired(invoice.id);
  }

  private async replay(
    existing: Invoice,
    requestHash: string,
    merchant: Merchant,
    baseUrl: string,
  ): Promise<InvoiceView> {
    if (existing.requestHash !== requestHash) {
      throw new InvoiceError(
        Code.IdempotencyConflict,
        'this Idempotency-Key was already used with a different request body',
      );
    }
    return invoiceView(existing, merchant, await this.repository.received(existing.id), baseUrl);
  }
}

function checkMetadata(metadata: Record<string, unknown>): void {
  const entries = Object.entries(metadata);
  const bad =
    entries.length > 20 ||
    entries.some(([k, v]) => typeof v !== 'string' || k.length > 40 || v.length > 500);
  if (bad) {
    throw new InvoiceError(
      Code.InvalidInvoice,
      'metadata: at most 20 string values (keys ≤ 40, values ≤ 500 characters)',
      [
        {
          field: 'metadata',
          problems: ['at most 20 string values (keys ≤ 40, values ≤ 500 characters)'],
        },
      ],
    );
  }
}

function parseCursor(cursor: string): CursorPosition {
  const position = decodeCursor(cursor);
  if (!position) {
    throw new InvoiceError(Code.InvalidInvoice, 'cursor is not one this API gave out', [
      { field: 'cursor', problems: ['invalid'] },
    ]);
  }
  return position;
}
