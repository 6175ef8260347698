/**
 * Sends webhook deliveries: the `webhook.deliver` job handler, the retry schedule, and a
 * relay that re-enqueues deliveries whose job was lost (a crash between commit and
 * enqueue, a Redis flush).
 *
 * The delivery row decides, not the job: an attempt runs only after `claim` has taken the
 * row (pending, due, not leased), so a duplicate job, a re-enqueue by the relay or a second
 * instance finds nothing to do, and a delivery that succeeded is never sent again (short of
 * a manual re-send). Failures (non-2xx, timeout, network error) are recorded and retried
 * with exponential backoff and jitter — scheduled here, not by the queue's own retries, so
 * the schedule survives in the row — until the delivery's attempt limit.
 */
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { IntervalTask } from '../common/interval-task';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobQueue, retryDelay } from '../queue/job-queue';
import { VERSION } from '../version';
import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
} from './webhook-signature';
import { WebhookSecretsService } from './webhook-secrets.service';
import { WebhookMetrics } from './webhook.metrics';
import { AttemptOutcome, ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

/** A job not started this long after its delivery fell due is taken as lost. */
const RELAY_GRACE_MS = 5_000;
const RELAY_BATCH = 200;

@Injectable()
export class WebhookDeliveryProcessor
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger('Webhooks');
  private readonly relay: IntervalTask;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly secrets: WebhookSecretsService,
    private readonly queue: JobQueue,
    private readonly metrics: WebhookMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.relay = new IntervalTask(
      config.sweepIntervalMs,
      () => this.relayLost(),
      (error) => this.logger.error({ err: error, msg: 'webhook relay failed' }),
    );
  }

  onModuleInit(): void {
    this.queue.process('webhook.deliver', ({ deliveryId }) => this.deliver(deliveryId));
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }

  /** Enqueues the first attempt of new deliveries (after their event committed). */
  enqueueNew(deliveryIds: string[]): void {
    for (const id of deliveryIds) this.enqueue(id, 0, 0);
  }

  /** Enqueues a manual re-send now. */
  enqueueResend(deliveryId: string, attempts: number): void {
    this.enqueue(deliveryId, attempts, 0, `resend-${Date.now()}`);
  }

  /** One attempt of one delivery, if the row says one is due. */
  async deliver(deliveryId: string): Promise<void> {
    const leaseMs = this.config.webhookTimeoutMs + 10_000;
    const claimed = await this.repository.claim(deliveryId, leaseMs);
    if (!claimed) return;
    const outcome = await this.send(claimed);
    const retryInMs = retryDelay(
      claimed.attempt,
      this.config.webhookRetryBaseMs,
      this.config.webhookRetryMaxMs,
    );
    const state = await this.repository.recordAttempt(claimed, outcome, retryInMs);
    this.metrics.attempt(
      claimed.eventType,
      state === 'pending' ? 'retry' : state,
      outcome.durationMs,
    );
    if (state === 'pending') this.enqueue(claimed.id, claimed.attempt, retryInMs);
    if (state === 'failed') {
      this.logger.warn({
        deliveryId: claimed.id,
        eventId: claimed.eventId,
        attempts: claimed.attempt,
        msg: 'webhook delivery failed for good',
      });
    }
  }

  private async send(claimed: ClaimedDelivery): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const secret = await this.secrets.reveal(claimed.secretEncrypted);
      const signature = signWebhook(secret, claimed.body, Math.floor(Date.now() / 1000));
      const response = await fetch(claimed.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `Tollgate-Webhooks/${VERSION}`,
          [SIGNATURE_HEADER]: signature,
          [EVENT_ID_HEADER]: claimed.eventId,
          [EVENT_TYPE_HEADER]: claimed.eventType,
          'Tollgate-Delivery-Id': claimed.id,
          'Tollgate-Delivery-Attempt': String(claimed.attempt),
        },
        body: claimed.body,
        // A redirect is an answer other than 2xx: following it could send the signed body
        // somewhere the merchant never registered.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.webhookTimeoutMs),
      });
      // The answer's body is not needed; drop it so the connection can be reused.
      await response.body?.cancel().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      return {
        ok,
        statusCode: response.status,
        error: ok ? null : `receiver answered HTTP ${response.status}`,
        durationMs: elapsed(),
      };
    } catch (error) {
      return {
        ok: false,
        statusCode: null,
        error: describe(error, this.config),
        durationMs: elapsed(),
      };
    }
  }

  private enqueue(deliveryId: string, attempts: number, delayMs: number, tag = ''): void {
    // One job per (delivery, attempt): the queue drops a second one while the first waits.
    const jobId = `webhook:${deliveryId}:${attempts}${tag ? `:${tag}` : ''}`;
    this.queue.add('webhook.deliver', { deliveryId }, { jobId, delayMs }).catch((error: unknown) =>
      // The relay finds the delivery overdue and enqueues it again.
      this.logger.error({ err: error, deliveryId, msg: 'could not enqueue webhook delivery' }),
    );
  }

  private async relayLost(): Promise<void> {
    for (const { id, attempts } of await this.repository.overdue(RELAY_GRACE_MS, RELAY_BATCH)) {
      // A fresh job id per grace window: the lost job's id may still be taken in the queue.
      this.enqueue(id, attempts, 0, `relay-${Math.floor(Date.now() / RELAY_GRACE_MS)}`);
    }
  }
}

function describe(error: unknown, config: AppConfig): string {
  const e = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return `no answer within ${config.webhookTimeoutMs} ms`;
  }
  const cause = e?.cause?.code ?? e?.cause?.message;
  return (
    cause ? `${e?.message ?? 'request failed'}: ${cause}` : (e?.message ?? String(error))
  ).slice(0, 500);
}
