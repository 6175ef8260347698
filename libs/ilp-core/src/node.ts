/**
 * Node-only additions to `@tollgate/ilp-core`: synchronous SHA-256 through `node:crypto`,
 * for the connector's hot path (verifying every Fulfill). Browser code never imports this
 * file; everything else is in `./index`.
 */
import { createHash } from 'node:crypto';
import { constantTimeEqual } from './condition/condition';
import { CONDITION_LENGTH, FULFILLMENT_LENGTH } from './packet/field-checks';

export function sha256Sync(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

export function conditionFromFulfillmentSync(fulfillment: Uint8Array): Uint8Array {
  return sha256Sync(fulfillment);
}

/** True when SHA-256(fulfillment) equals `condition` (32 bytes each; constant-time compare). */
export function verifyFulfillmentSync(fulfillment: Uint8Array, condition: Uint8Array): boolean {
  if (fulfillment.length !== FULFILLMENT_LENGTH || condition.length !== CONDITION_LENGTH) {
    return false;
  }
  return constantTimeEqual(sha256Sync(fulfillment), condition);
}
