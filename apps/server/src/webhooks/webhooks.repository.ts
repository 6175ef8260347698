/**
 * The webhooks module's only door to the database: endpoints, events, deliveries and their
 * attempts. Plain SQL, because the delivery state machine lives in its WHERE clauses: an
 * attempt runs only after a conditional UPDATE has claimed the delivery (state pending,
 * due, no live lease), so duplicate jobs and several instances never send one twice.
 * `scope` is a merchant id, or null for the node operator's own endpoints and events.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { WebhookEventType } from './webhook-types';

export type Scope = string | null;
export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface EndpointRow {
  id: string;
  merchantId: string | null;
  url: string;
  events: WebhookEventType[];
  secretEncrypted: string;
  secretPrefix: string;
  createdAt: Date;
}

export interface AttemptRow {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  createdAt: Date;
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  endpointId: string;
  state: DeliveryState;
  attempts: number;
  attemptLimit: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A delivery claimed for one attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  attempt: number;
  attemptLimit: number;
  body: string;
  url: string;
  secretEncrypted: string;
}

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  ok: boolean;
}

/** `merchant_id = $n`, or `IS NULL` for the node scope (so the index is used either way). */
function scoped(column: string, scope: Scope, params: unknown[]): string {
  if (scope === null) return `${column} IS NULL`;
  params.push(scope);
  return `${column} = $${params.length}`;
}

const DELIVERY_COLUMNS = `
  d.id, d.event_id AS "eventId", e.type AS "eventType", d.endpoint_id AS "endpointId", d.state,
  d.attempts, d.attempt_limit AS "attemptLimit", d.next_attempt_at AS "nextAttemptAt",
  d.last_status AS "lastStatus", d.last_error AS "lastError", d.delivered_at AS "deliveredAt",
  d.created_at AS "createdAt"`;

@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  async insertEndpoint(row: Omit<EndpointRow, 'createdAt'>): Promise<EndpointRow> {
    const rows: EndpointRow[] = await this.dataSource.query(
      `INSERT INTO webhook_endpoints (id, merchant_id, url, events, secret_encrypted, secret_prefix)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, merchant_id AS "merchantId", url, events, secret_encrypted AS "secretEncrypted",
                 secret_prefix AS "secretPrefix", created_at AS "createdAt"`,
      [row.id, row.merchantId, row.url, row.events, row.secretEncrypted, row.secretPrefix],
    );
    return rows[0];
  }

  async countEndpoints(scope: Scope): Promise<number> {
    const params: unknown[] = [];
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM webhook_endpoints WHERE ${scoped('merchant_id', scope, params)}`,
      params,
    );
    return rows[0].n;
  }

  listEndpoints(scope: Scope): Promise<EndpointRow[]> {
    const params: unknown[] = [];
    return this.dataSource.query(
      `SELECT id, merchant_id AS "merchantId", url, events, secret_encrypted AS "secretEncrypted",
              secret_prefix AS "secretPrefix", created_at AS "createdAt"
         FROM webhook_endpoints WHERE ${scoped('merchant_id', scope, params)}
        ORDER BY created_at, id`,
      params,
    );
  }

  async findEndpoint(scope: Scope, id: string): Promise<EndpointRow | undefined> {
    const params: unknown[] = [id];
    const rows: EndpointRow[] = await this.dataSource.query(
      `SELECT id, merchant_id AS "merchantId", url, events, secret_encrypted AS "secretEncrypted",
              secret_prefix AS "secretPrefix", created_at AS "createdAt"
         FROM webhook_endpoints WHERE id = $1 AND ${scoped('merchant_id', scope, params)}`,
      params,
    );
    return rows[0];
  }

  /** Deletes the endpoint and its deliveries; false when the scope has no such endpoint. */
  async deleteEndpoint(scope: Scope, id: string): Promise<boolean> {
    const params: unknown[] = [id];
    const rows: unknown[] = await this.dataSource.query(
      `DELETE FROM webhook_endpoints WHERE id = $1 AND ${scoped('merchant_id', scope, params)} RETURNING id`,
      params,
    );
    return returned(rows) > 0;
  }

  /**
   * Records an event once per dedup key and a pending delivery for each endpoint of its
   * scope that wants its type. `inserted` is false when the key was seen before.
   */
  async insertEvent(
    tx: EntityManager,
    event: { id: string; scope: Scope; type: WebhookEventType; dedupKey: string; body: string },
    attemptLimit: number,
  ): Promise<{ inserted: boolean; deliveries: string[] }> {
    const inserted: unknown = await tx.query(
      `INSERT INTO webhook_events (id, merchant_id, type, dedup_key, body)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
      [event.id, event.scope, event.type, event.dedupKey, event.body],
    );
    if (returned(inserted) === 0) return { inserted: false, deliveries: [] };
    const params: unknown[] = [event.id, event.type, attemptLimit];
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, attempt_limit)
       SELECT gen_random_uuid(), $1, w.id, $3
         FROM webhook_endpoints w
        WHERE ${scoped('w.merchant_id', event.scope, params)}
          AND (cardinality(w.events) = 0 OR $2 = ANY (w.events))
       RETURNING id`,
      params,
    );
    return { inserted: true, deliveries: rows.map((r) => r.id) };
  }

  /** Newest first; `before` is the (created_at, id) of the last row already seen. */
  async listDeliveries(
    endpointId: string,
    limit: number,
    before?: { createdAt: Date; id: string },
  ): Promise<(DeliveryRow & { history: AttemptRow[] })[]> {
    const params: unknown[] = [endpointId, limit];
    let where = 'd.endpoint_id = $1';
    if (before) {
      params.push(before.createdAt, before.id);
      where += ' AND (d.created_at, d.id) < ($3, $4)';
    }
    const rows: (DeliveryRow & { history: AttemptRow[] })[] = await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS},
              coalesce((SELECT json_agg(json_build_object(
                         'attempt', a.attempt, 'statusCode', a.status_code, 'error', a.error,
                         'durationMs', a.duration_ms, 'createdAt', a.created_at) ORDER BY a.id)
                          FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS history
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
        WHERE ${where}
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT $2`,
      params,
    );
    return rows;
  }

  async findDelivery(endpointId: string, id: string): Promise<DeliveryRow | undefined> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
        WHERE d.id = $1 AND d.endpoint_id = $2`,
      [id, endpointId],
    );
    return rows[0];
  }

  /**
   * Claims a delivery for one attempt: only a pending one that is due (a second of slack
   * for timers that fire early) and not leased by a running attempt. The lease outlives the
   * attempt's timeout, so a crashed attempt is retried once it lapses.
   */
  async claim(id: string, leaseMs: number): Promise<ClaimedDelivery | undefined> {
    const rows: ClaimedDelivery[] = await this.dataSource.query(
      `UPDATE webhook_deliveries d
          SET lease_until = now() + make_interval(secs => $2::double precision / 1000)
         FROM webhook_events e, webhook_endpoints w
        WHERE d.id = $1 AND e.id = d.event_id AND w.id = d.endpoint_id
          AND d.state = 'pending' AND d.attempts < d.attempt_limit
          AND d.next_attempt_at <= now() + interval '1 second'
          AND (d.lease_until IS NULL OR d.lease_until < now())
       RETURNING d.id, d.event_id AS "eventId", e.type AS "eventType", d.attempts + 1 AS attempt,
                 d.attempt_limit AS "attemptLimit", e.body, w.url,
                 w.secret_encrypted AS "secretEncrypted"`,
      [id, leaseMs],
    );
    return firstRow(rows);
  }

  /**
   * Records an attempt and moves the delivery on: delivered on success, failed when out of
   * attempts, else pending again at `retryAt`. Returns the new state.
   */
  async recordAttempt(
    claimed: ClaimedDelivery,
    outcome: AttemptOutcome,
    retryInMs: number,
  ): Promise<DeliveryState> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5)`,
        [claimed.id, claimed.attempt, outcome.statusCode, outcome.error, outcome.durationMs],
      );
      const rows: { state: DeliveryState }[] = await tx.query(
        `UPDATE webhook_deliveries
            SET attempts = attempts + 1,
                last_status = $2, last_error = $3, lease_until = NULL,
                state = CASE WHEN $4 THEN 'delivered'
                             WHEN attempts + 1 >= attempt_limit THEN 'failed'
                             ELSE 'pending' END,
                delivered_at = CASE WHEN $4 THEN now() ELSE delivered_at END,
                next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
          WHERE id = $1
         RETURNING state`,
        [claimed.id, outcome.statusCode, outcome.error, outcome.ok, retryInMs],
      );
      return firstRow(rows)?.state ?? 'failed';
    });
  }

  /** Pending deliveries overdue by `graceMs` with no live lease: their job was lost. */
  async overdue(graceMs: number, limit: number): Promise<{ id: string; attempts: number }[]> {
    return this.dataSource.query(
      `SELECT id, attempts FROM webhook_deliveries
        WHERE state = 'pending'
          AND next_attempt_at <= now() - make_interval(secs => $1::double precision / 1000)
          AND (lease_until IS NULL OR lease_until < now())
        ORDER BY next_attempt_at LIMIT $2`,
      [graceMs, limit],
    );
  }

  /**
   * A manual re-send: pending again and due now, with at least `extra` more attempts
   * allowed, whatever its state (a receiver may ask again for an event it lost).
   */
  async resend(endpointId: string, id: string, extra: number): Promise<number | undefined> {
    const rows: { attempts: number }[] | [{ attempts: number }[], number] =
      await this.dataSource.query(
        `UPDATE webhook_deliveries
            SET state = 'pending', next_attempt_at = now(),
                attempt_limit = greatest(attempt_limit, attempts + $3)
          WHERE id = $1 AND endpoint_id = $2
         RETURNING attempts`,
        [id, endpointId, extra],
      );
    return firstRow(rows)?.attempts;
  }
}

/** TypeORM answers an UPDATE … RETURNING with [rows, rowCount]; a SELECT with rows. */
function firstRow<T>(result: T[] | [T[], number]): T | undefined {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) {
    return (result[0] as T[])[0];
  }
  return (result as T[])[0];
}

function returned(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) {
    return (result[0] as unknown[]).length;
  }
  return Array.isArray(result) ? result.length : 0;
}
