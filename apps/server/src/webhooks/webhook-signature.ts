/**
 * Webhook signatures, for the sender (this server) and for receivers (copy or import
 * `verifyWebhookSignature`). The signed message is `${timestamp}.${rawBody}`, HMAC-SHA256
 * with the endpoint's secret, sent as `Tollgate-Signature: t=<unix seconds>,v1=<hex>`.
 * Signing the timestamp with the body lets a receiver refuse replays of an old request:
 * it checks the HMAC over the exact bytes it received, then that `t` is recent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Tollgate-Signature';
export const EVENT_ID_HEADER = 'Tollgate-Event-Id';
export const EVENT_TYPE_HEADER = 'Tollgate-Event-Type';
/** Default tolerance for the signed timestamp, either side of the receiver's clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, rawBody: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret)
    .update(`${timestampSeconds}.${rawBody}`, 'utf8')
    .digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export type VerifyResult =
  { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'mismatch' | 'stale' };

export interface VerifyOptions {
  /** Seconds the timestamp may differ from `now` (default 300). */
  toleranceSeconds?: number;
  /** The receiver's clock, in unix seconds (default: now). */
  nowSeconds?: number;
}

/**
 * Checks a `Tollgate-Signature` header against the raw request body (the bytes as received,
 * before any JSON parsing). Several `v1=` values are accepted (one matching is enough), so a
 * sender can sign with an old and a new secret while a secret is being replaced.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Buffer,
  header: string | undefined,
  options: VerifyOptions = {},
): VerifyResult {
  if (typeof header !== 'string' || header.length > 2048) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^[0-9]{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) macs.push(value);
  }
  if (timestamp === undefined || macs.length === 0) return { ok: false, reason: 'malformed' };
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const expected = Buffer.from(signWebhook(secret, body, timestamp).slice(-64), 'hex');
  const matches = macs.some((mac) => timingSafeEqual(Buffer.from(mac, 'hex'), expected));
  if (!matches) return { ok: false, reason: 'mismatch' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp };
}
