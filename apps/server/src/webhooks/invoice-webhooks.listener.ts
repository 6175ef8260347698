/**
 * Turns invoice status changes into `invoice.paid` / `invoice.expired` events, inside the
 * transaction that changed the status (see InvoiceTransitions): keyed by
 * `invoice.<status>:<invoice id>`, so each is recorded exactly once, whichever instance or
 * path changed the invoice.
 */
import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { serializeAmount } from '../common/money/amount';
import { InvoiceTransition, InvoiceTransitions } from '../invoices/invoice-transitions';
import { WebhookEvents } from './webhook-events.service';

/** `data` of `invoice.paid` and `invoice.expired`. */
export interface InvoiceEventData {
  invoice: {
    id: string;
    status: 'paid' | 'expired';
    amount: string;
    received: string;
    assetCode: string;
    assetScale: number;
    description: string;
    metadata: Record<string, string>;
    expiresAt: string;
    paidAt: string | null;
    createdAt: string;
  };
}

@Injectable()
export class InvoiceWebhooksListener implements OnModuleInit {
  constructor(
    private readonly transitions: InvoiceTransitions,
    private readonly events: WebhookEvents,
  ) {}

  onModuleInit(): void {
    this.transitions.register((tx, transition) => this.record(tx, transition));
  }

  private async record(tx: EntityManager, { invoice, received }: InvoiceTransition) {
    if (invoice.status === 'open') return undefined;
    const merchants: { asset_code: string; asset_scale: number }[] = await tx.query(
      `SELECT asset_code, asset_scale FROM merchants WHERE id = $1`,
      [invoice.merchantId],
    );
    const data: InvoiceEventData = {
      invoice: {
        id: invoice.id,
        status: invoice.status,
        amount: serializeAmount(invoice.amount),
        received: serializeAmount(received),
        assetCode: merchants[0].asset_code,
        assetScale: merchants[0].asset_scale,
        description: invoice.description,
        metadata: invoice.metadata,
        expiresAt: invoice.expiresAt.toISOString(),
        paidAt: invoice.paidAt?.toISOString() ?? null,
        createdAt: invoice.createdAt.toISOString(),
      },
    };
    const type = invoice.status === 'paid' ? 'invoice.paid' : 'invoice.expired';
    const recorded = await this.events.record(
      tx,
      invoice.merchantId,
      type,
      data,
      `${type}:${invoice.id}`,
    );
    return recorded.afterCommit;
  }
}
