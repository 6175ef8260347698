/**
 * In-process notifications of settlement state changes, for live views and webhooks. Each
 * instance sees only the changes it made; the `settlements` table is the record.
 */
import { Injectable } from '@nestjs/common';
import { Settlement } from './settlement.entity';

export type SettlementListener = (settlement: Settlement) => void;

@Injectable()
export class SettlementEvents {
  private readonly listeners = new Set<SettlementListener>();

  subscribe(listener: SettlementListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(settlement: Settlement): void {
    for (const listener of this.listeners) {
      try {
        listener(settlement);
      } catch {
        // a failing listener must not fail the settlement
      }
    }
  }
}
