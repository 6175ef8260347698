/**
 * Node-only additions to `@tollgate/ilp-core`: synchronous SHA-256 through `node:crypto`,
 * for the connector's hot path (verifying every Fulfill). Browser code never imports this
 * file; everything else is in `./index`.
 */
import * as crypto from 'node:crypto';
import { constantTimeEqual } from './condition/condition';
import { CONDITION_LENGTH, FULFILLMENT_LENGTH } from './packet/field-checks';

// One-shot `crypto.hash` (Node 20.12+) skips the Hash object: about a third cheaper per
// call than createHash().update().digest(), which matters once per hop per packet.
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer })
  .hash;

export function sha256Sync(bytes: Uint8Array): Uint8Array {
  return oneShot
    ? oneShot('sha256', bytes, 'buffer')
    : crypto.createHash('sha256').update(bytes).digest();
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
