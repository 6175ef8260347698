/**
 * Prometheus view of webhook deliveries: attempts by event type and outcome, and how long
 * receivers take to answer, so a receiver that is down (failures rising) or slow can be
 * alerted on.
 */
import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

export type AttemptOutcomeLabel = 'delivered' | 'retry' | 'failed';

@Injectable()
export class WebhookMetrics {
  private readonly attempts: Counter<'type' | 'outcome'>;
  private readonly duration: Histogram;

  constructor(metrics: MetricsService) {
    this.attempts = new Counter({
      name: 'tollgate_webhook_attempts_total',
      help: 'Webhook delivery attempts, by event type and what became of the delivery',
      labelNames: ['type', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'tollgate_webhook_attempt_seconds',
      help: 'Time from sending a webhook to the receiver answering (or the attempt failing)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [metrics.registry],
    });
  }

  attempt(type: string, outcome: AttemptOutcomeLabel, durationMs: number): void {
    this.attempts.inc({ type, outcome });
    this.duration.observe(durationMs / 1000);
  }
}
