/**
 * Prometheus view of settlements: transitions by direction and state, so a stuck engine
 * (sent rising, confirmed flat) or refusals (failed) can be alerted on.
 */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { SettlementEvents } from './settlement-events';

@Injectable()
export class SettlementMetrics implements OnModuleDestroy {
  private readonly unsubscribe: () => void;

  constructor(metrics: MetricsService, events: SettlementEvents) {
    const transitions = new Counter({
      name: 'tollgate_settlements_total',
      help: 'Settlement state changes, by direction and the state reached',
      labelNames: ['direction', 'state'] as const,
      registers: [metrics.registry],
    });
    this.unsubscribe = events.subscribe((s) =>
      transitions.inc({ direction: s.direction, state: s.state }),
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}
