/**
 * RFC 38 Quantity: `{ "amount": "<non-negative integer>", "scale": 0..255 }` on the wire,
 * `{ amount: bigint, scale }` in memory, and the scale conversion that keeps leftovers
 * (FACTS §11.2, §11.6).
 */
import { SettlementError, SettlementErrorCode } from './settlement-error';

export interface Quantity {
  amount: bigint;
  scale: number;
}

export interface QuantityJson {
  amount: string;
  scale: number;
}

export const MAX_SCALE = 255;
/**
 * Longest amount string accepted: 2^256 has 78 digits, which covers every ledger unit we
 * know of (wei included) and keeps hostile inputs from building huge bigints.
 */
export const MAX_AMOUNT_DIGITS = 78;
export const MAX_UINT64 = 2n ** 64n - 1n;

const DIGITS = /^[0-9]+$/;

function invalid(message: string): SettlementError {
  return new SettlementError(SettlementErrorCode.InvalidQuantity, message);
}

export function isValidScale(scale: unknown): scale is number {
  return typeof scale === 'number' && Number.isInteger(scale) && scale >= 0 && scale <= MAX_SCALE;
}

/** Reads a Quantity from parsed JSON; leading zeros are accepted and normalised away. */
export function parseQuantity(json: unknown): Quantity {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('quantity must be a JSON object { amount, scale }');
  }
  const { amount, scale } = json as Record<string, unknown>;
  if (typeof amount !== 'string' || !DIGITS.test(amount)) {
    throw invalid('amount must be a non-negative integer decimal string');
  }
  if (amount.replace(/^0+(?=.)/, '').length > MAX_AMOUNT_DIGITS) {
    throw invalid(`amount must have at most ${MAX_AMOUNT_DIGITS} digits`);
  }
  if (!isValidScale(scale)) {
    throw invalid(`scale must be an integer from 0 to ${MAX_SCALE}`);
  }
  return { amount: BigInt(amount), scale };
}

export function serializeQuantity(q: Quantity): QuantityJson {
  if (typeof q.amount !== 'bigint' || q.amount < 0n) {
    throw invalid('amount must be a non-negative bigint');
  }
  if (!isValidScale(q.scale)) throw invalid(`scale must be an integer from 0 to ${MAX_SCALE}`);
  return { amount: q.amount.toString(), scale: q.scale };
}

/**
 * Moves `amount` from scale `from` to scale `to`. Scaling up is exact; scaling down keeps
 * `floor(amount / 10^(from-to))` and returns the rest as `leftover`, in the `from` scale,
 * which the caller MUST keep and add to its next conversion. Exact bigint arithmetic: the
 * result is never capped (a caller storing UInt64 checks against {@link MAX_UINT64}).
 */
export function convertScale(
  amount: bigint,
  from: number,
  to: number,
): { amount: bigint; leftover: bigint } {
  if (typeof amount !== 'bigint' || amount < 0n) {
    throw invalid('amount must be a non-negative bigint');
  }
  if (!isValidScale(from)) throw invalid(`from scale must be an integer from 0 to ${MAX_SCALE}`);
  if (!isValidScale(to)) throw invalid(`to scale must be an integer from 0 to ${MAX_SCALE}`);
  if (to >= from) return { amount: amount * 10n ** BigInt(to - from), leftover: 0n };
  const factor = 10n ** BigInt(from - to);
  return { amount: amount / factor, leftover: amount % factor };
}
