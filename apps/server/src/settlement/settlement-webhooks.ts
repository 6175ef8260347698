/**
 * `settlement.completed` webhooks (node-level: delivered to the endpoints registered through
 * `/api/admin/webhooks`), recorded in the same transaction that confirms the settlement, so
 * the event is neither lost in a crash nor sent twice.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { Settlement } from './settlement.entity';
import { settlementView } from './settlement-view';

@Injectable()
export class SettlementWebhooks {
  constructor(private readonly webhooks: WebhookEvents) {}

  /** Records the event inside `tx`; returns what to run once `tx` has committed. */
  async completed(tx: EntityManager, settlementId: string): Promise<() => void> {
    const row = await tx.getRepository(Settlement).findOneByOrFail({ id: settlementId });
    const recorded = await this.webhooks.record(
      tx,
      null,
      'settlement.completed',
      { settlement: settlementView(row) },
      `settlement.completed:${settlementId}`,
    );
    return recorded.afterCommit;
  }
}
