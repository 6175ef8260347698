/**
 * Webhook endpoints and their deliveries, for merchants (scope = merchant id) and for the
 * node operator (scope = null). A signing secret is shown once, when the endpoint is made.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CursorPosition, decodeCursor, encodeCursor } from '../common/cursor';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookSecretsService } from './webhook-secrets.service';
import { WebhookEventType } from './webhook-types';
import { WebhookError, WebhookErrorCode as Code } from './webhooks.errors';
import {
  AttemptRow,
  DeliveryRow,
  DeliveryState,
  EndpointRow,
  Scope,
  WebhooksRepository,
} from './webhooks.repository';

const MAX_ENDPOINTS = 20;

export interface WebhookEndpointView {
  id: string;
  url: string;
  /** Empty: every event type. */
  events: WebhookEventType[];
  /** The first characters of the secret, so people can tell secrets apart. */
  secretPrefix: string;
  createdAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  state: DeliveryState;
  attempts: number;
  attemptLimit: number;
  /** When the next attempt is due (pending deliveries only). */
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  history?: {
    attempt: number;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
    at: string;
  }[];
}

@Injectable()
export class WebhooksService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly secrets: WebhookSecretsService,
    private readonly processor: WebhookDeliveryProcessor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    scope: Scope,
    dto: CreateWebhookDto,
  ): Promise<{ webhook: WebhookEndpointView; secret: string }> {
    if ((await this.repository.countEndpoints(scope)) >= MAX_ENDPOINTS) {
      throw new WebhookError(
        Code.TooManyEndpoints,
        `at most ${MAX_ENDPOINTS} webhook endpoints: delete one first`,
      );
    }
    const { secret, sealed } = await this.secrets.generate();
    const row = await this.repository.insertEndpoint({
      id: randomUUID(),
      merchantId: scope,
      url: dto.url,
      events: dto.events ?? [],
      secretEncrypted: sealed,
      secretPrefix: secret.slice(0, 12),
    });
    return { webhook: endpointView(row), secret };
  }

  async list(scope: Scope): Promise<WebhookEndpointView[]> {
    return (await this.repository.listEndpoints(scope)).map(endpointView);
  }

  async get(scope: Scope, id: string): Promise<WebhookEndpointView> {
    return endpointView(await this.endpoint(scope, id));
  }

  async remove(scope: Scope, id: string): Promise<void> {
    if (!(await this.repository.deleteEndpoint(scope, id))) {
      throw new WebhookError(Code.UnknownEndpoint, `no webhook ${id}`);
    }
  }

  async deliveries(
    scope: Scope,
    endpointId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ data: WebhookDeliveryView[]; nextCursor: string | null }> {
    await this.endpoint(scope, endpointId);
    const before = cursor === undefined ? undefined : parseCursor(cursor);
    const rows = await this.repository.listDeliveries(endpointId, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => deliveryView(r, r.history)),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /** Sends a delivery again now (whatever its state), with a fresh allowance of attempts. */
  async resend(scope: Scope, endpointId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    await this.endpoint(scope, endpointId);
    const attempts = await this.repository.resend(
      endpointId,
      deliveryId,
      this.config.webhookMaxAttempts,
    );
    if (attempts === undefined) {
      throw new WebhookError(Code.UnknownDelivery, `no delivery ${deliveryId} for this webhook`);
    }
    this.processor.enqueueResend(deliveryId, attempts);
    return deliveryView((await this.repository.findDelivery(endpointId, deliveryId))!);
  }

  private async endpoint(scope: Scope, id: string): Promise<EndpointRow> {
    const row = await this.repository.findEndpoint(scope, id);
    // Another merchant's endpoint is as unknown as a missing one.
    if (!row) throw new WebhookError(Code.UnknownEndpoint, `no webhook ${id}`);
    return row;
  }
}

function endpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    secretPrefix: row.secretPrefix,
    createdAt: row.createdAt.toISOString(),
  };
}

function deliveryView(row: DeliveryRow, history?: AttemptRow[]): WebhookDeliveryView {
  const view: WebhookDeliveryView = {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    state: row.state,
    attempts: row.attempts,
    attemptLimit: row.attemptLimit,
    nextAttemptAt: row.state === 'pending' ? row.nextAttemptAt.toISOString() : null,
    lastStatusCode: row.lastStatus,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
  if (history) {
    view.history = history.map((a) => ({
      attempt: a.attempt,
      statusCode: a.statusCode,
      error: a.error,
      durationMs: a.durationMs,
      // json_agg hands timestamps back as strings
      at: new Date(a.createdAt).toISOString(),
    }));
  }
  return view;
}

function parseCursor(cursor: string): CursorPosition {
  const position = decodeCursor(cursor);
  if (!position) {
    throw new WebhookError(Code.InvalidWebhook, 'cursor is not one this API gave out', [
      { field: 'cursor', problems: ['invalid'] },
    ]);
  }
  return position;
}
