/**
 * Conditions and fulfillments: a Prepare's executionCondition is SHA-256 of the 32-byte
 * fulfillment that unlocks it. Comparison is constant-time so a peer cannot learn a
 * condition byte by byte from timing.
 */
import { randomBytes, sha256 } from '../crypto/sha256';
import { CONDITION_LENGTH, FULFILLMENT_LENGTH } from '../packet/field-checks';

/**
 * True when `a` and `b` hold the same bytes. Runs in time that depends only on the
 * lengths, never on where the first difference is.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** 32 random bytes, usable as a fulfillment. */
export function generateFulfillment(): Uint8Array {
  return randomBytes(FULFILLMENT_LENGTH);
}

/** SHA-256(fulfillment): the condition a Prepare must carry for this fulfillment. */
export async function conditionFromFulfillment(fulfillment: Uint8Array): Promise<Uint8Array> {
  return sha256(fulfillment);
}

/**
 * True when `fulfillment` is 32 bytes and SHA-256(fulfillment) equals `condition`
 * (constant-time). Async (Web Crypto); Node callers on the hot path use
 * `verifyFulfillmentSync` from the node entry point.
 */
export async function verifyFulfillment(
  fulfillment: Uint8Array,
  condition: Uint8Array,
): Promise<boolean> {
  if (fulfillment.length !== FULFILLMENT_LENGTH || condition.length !== CONDITION_LENGTH) {
    return false;
  }
  return constantTimeEqual(await sha256(fulfillment), condition);
}
