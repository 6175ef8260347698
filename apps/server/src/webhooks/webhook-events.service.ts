/**
 * The one way events enter the webhook system. An event is recorded once per dedup key
 * (`invoice.paid:<invoice id>`, `settlement.completed:<settlement id>`…) together with a
 * pending delivery for every endpoint of its scope that wants it; the delivery jobs are
 * enqueued after the commit. Whoever changes state records the event in the same
 * transaction (`record`) or right after it (`publish`, idempotent by the key), so an event
 * is neither lost on another instance nor doubled when two paths see the same change.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookEnvelope, WebhookEventType } from './webhook-types';
import { WebhooksRepository } from './webhooks.repository';

export interface RecordedEvent {
  /** False when an event with this dedup key already existed (nothing new was recorded). */
  created: boolean;
  eventId: string | undefined;
  /** Enqueues the new deliveries; call it once the transaction has committed. */
  afterCommit: () => void;
}

@Injectable()
export class WebhookEvents {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: WebhooksRepository,
    private readonly processor: WebhookDeliveryProcessor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Records and dispatches an event. `merchantId` null: a node-level event, delivered to the
   * endpoints registered through `/api/admin/webhooks`. `data` must already be JSON-safe
   * (amounts as decimal strings). Resolves once the event is durable; true when it is new.
   */
  async publish(
    merchantId: string | null,
    type: WebhookEventType,
    data: object,
    dedupKey: string,
  ): Promise<boolean> {
    const recorded = await this.dataSource.transaction((tx) =>
      this.record(tx, merchantId, type, data, dedupKey),
    );
    recorded.afterCommit();
    return recorded.created;
  }

  /** As `publish`, inside the caller's transaction; the caller runs `afterCommit`. */
  async record(
    tx: EntityManager,
    merchantId: string | null,
    type: WebhookEventType,
    data: object,
    dedupKey: string,
  ): Promise<RecordedEvent> {
    const envelope: WebhookEnvelope = {
      id: randomUUID(),
      type,
      createdAt: new Date().toISOString(),
      data,
    };
    const { inserted, deliveries } = await this.repository.insertEvent(
      tx,
      { id: envelope.id, scope: merchantId, type, dedupKey, body: JSON.stringify(envelope) },
      this.config.webhookMaxAttempts,
    );
    return {
      created: inserted,
      eventId: inserted ? envelope.id : undefined,
      afterCommit: () => this.processor.enqueueNew(deliveries),
    };
  }
}
