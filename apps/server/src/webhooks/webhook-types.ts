/** The events webhooks carry and the envelope every one of them is sent in. */

export const WEBHOOK_EVENT_TYPES = [
  'invoice.paid',
  'invoice.expired',
  'payment.received',
  'settlement.completed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);
}

/**
 * The JSON body of every delivery. `id` is the event's id (also in `Tollgate-Event-Id`):
 * the same on every retry and re-send, so a receiver can drop duplicates by it. Amounts in
 * `data` are decimal strings of integer base units with `assetCode` and `assetScale`.
 */
export interface WebhookEnvelope<T = unknown> {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: T;
}
