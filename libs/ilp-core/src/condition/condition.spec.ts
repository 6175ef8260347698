import { describe, expect, it } from 'vitest';
import {
  conditionFromFulfillment,
  constantTimeEqual,
  generateFulfillment,
  PEER_PROTOCOL_CONDITION,
  PEER_PROTOCOL_FULFILLMENT,
  randomBytes,
  sha256,
  verifyFulfillment,
} from '../index';
import { conditionFromFulfillmentSync, sha256Sync, verifyFulfillmentSync } from '../node';
import { hex, loadVectors, unhex } from '../../test/vectors';

interface StreamE2e {
  kind: string;
  request: { fulfillment: string; executionCondition: string };
}
const e2e = loadVectors<{ vectors: StreamE2e[] }>('derived.reference-impl.json').vectors.find(
  (v) => v.kind === 'stream-e2e',
) as StreamE2e;

describe('conditions', () => {
  it('SHA-256 of 32 zero bytes is the peer-protocol condition (async and sync)', async () => {
    expect(hex(await sha256(new Uint8Array(32)))).toBe(hex(PEER_PROTOCOL_CONDITION));
    expect(hex(sha256Sync(new Uint8Array(32)))).toBe(hex(PEER_PROTOCOL_CONDITION));
    expect(await verifyFulfillment(PEER_PROTOCOL_FULFILLMENT, PEER_PROTOCOL_CONDITION)).toBe(true);
  });

  it('the derived STREAM example fulfillment hashes to its condition', async () => {
    const fulfillment = unhex(e2e.request.fulfillment);
    const condition = unhex(e2e.request.executionCondition);
    expect(hex(await conditionFromFulfillment(fulfillment))).toBe(e2e.request.executionCondition);
    expect(hex(conditionFromFulfillmentSync(fulfillment))).toBe(e2e.request.executionCondition);
    expect(await verifyFulfillment(fulfillment, condition)).toBe(true);
    expect(verifyFulfillmentSync(fulfillment, condition)).toBe(true);
  });

  it('wrong fulfillments and wrong sizes do not verify', async () => {
    const fulfillment = generateFulfillment();
    const condition = await conditionFromFulfillment(fulfillment);
    const other = fulfillment.slice();
    other[31] ^= 1;
    expect(await verifyFulfillment(other, condition)).toBe(false);
    expect(verifyFulfillmentSync(other, condition)).toBe(false);
    expect(await verifyFulfillment(fulfillment.subarray(0, 31), condition)).toBe(false);
    expect(verifyFulfillmentSync(fulfillment, condition.subarray(1))).toBe(false);
    expect(verifyFulfillmentSync(fulfillment, condition)).toBe(true);
  });

  it('sync and async SHA-256 agree (also on views and SharedArrayBuffer)', async () => {
    const bytes = randomBytes(100);
    expect(hex(await sha256(bytes.subarray(3, 90)))).toBe(hex(sha256Sync(bytes.subarray(3, 90))));
    const shared = new Uint8Array(new SharedArrayBuffer(10));
    shared.set([1, 2, 3]);
    expect(hex(await sha256(shared))).toBe(hex(sha256Sync(new Uint8Array(shared))));
  });

  it('constantTimeEqual', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('random bytes: right length, not all equal, larger than one getRandomValues call', () => {
    expect(generateFulfillment().length).toBe(32);
    expect(hex(generateFulfillment())).not.toBe(hex(generateFulfillment()));
    const big = randomBytes(70_000);
    expect(big.length).toBe(70_000);
    expect(big.subarray(65_536).some((b) => b !== 0)).toBe(true);
  });
});
