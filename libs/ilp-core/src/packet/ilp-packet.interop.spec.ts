/**
 * Interop with `ilp-packet` (the JS reference, 3.1.3): 10,000 seeded random packets encoded
 * by it decode identically with ours, and 10,000 encoded by ours decode identically with it;
 * in both directions the two encoders produce the same bytes.
 */
import * as reference from 'ilp-packet';
import { describe, expect, it } from 'vitest';
import { deserializeIlpPacket, IlpPacket, IlpPacketType, serializeIlpPacket } from '../index';
import { randomPacket, SeededRandom } from '../../test/seeded-packets';

const COUNT = 10_000;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Our packet in ilp-packet's shape (Buffers, string amount). */
function toReference(packet: IlpPacket): reference.IlpPacket {
  switch (packet.type) {
    case IlpPacketType.Prepare:
      return {
        type: reference.Type.TYPE_ILP_PREPARE,
        data: {
          amount: packet.amount.toString(),
          expiresAt: packet.expiresAt,
          executionCondition: toBuffer(packet.executionCondition),
          destination: packet.destination,
          data: toBuffer(packet.data),
        },
      };
    case IlpPacketType.Fulfill:
      return {
        type: reference.Type.TYPE_ILP_FULFILL,
        data: { fulfillment: toBuffer(packet.fulfillment), data: toBuffer(packet.data) },
      };
    case IlpPacketType.Reject:
      return {
        type: reference.Type.TYPE_ILP_REJECT,
        data: {
          code: packet.code,
          triggeredBy: packet.triggeredBy,
          message: packet.message,
          data: toBuffer(packet.data),
        },
      };
  }
}

/** Field-by-field equality without building expectation objects (10,000 times per test). */
function sameAsReference(ours: IlpPacket, ref: reference.IlpPacket): string | null {
  if (ours.type !== Number(ref.type)) return `type ${ours.type} vs ${ref.type}`;
  const equal = (a: Uint8Array, b: Buffer) => toBuffer(a).equals(b);
  switch (ours.type) {
    case IlpPacketType.Prepare: {
      const r = ref.data as reference.IlpPrepare;
      if (ours.amount.toString() !== r.amount) return `amount ${ours.amount} vs ${r.amount}`;
      if (ours.expiresAt.getTime() !== r.expiresAt.getTime()) return 'expiresAt';
      if (!equal(ours.executionCondition, r.executionCondition)) return 'executionCondition';
      if (ours.destination !== r.destination) return 'destination';
      return equal(ours.data, r.data) ? null : 'data';
    }
    case IlpPacketType.Fulfill: {
      const r = ref.data as reference.IlpFulfill;
      if (!equal(ours.fulfillment, r.fulfillment)) return 'fulfillment';
      return equal(ours.data, r.data) ? null : 'data';
    }
    case IlpPacketType.Reject: {
      const r = ref.data as reference.IlpReject;
      if (ours.code !== r.code) return 'code';
      if (ours.triggeredBy !== r.triggeredBy) return 'triggeredBy';
      if (ours.message !== r.message) return 'message';
      return equal(ours.data, r.data) ? null : 'data';
    }
  }
}

function generate(seed: number): IlpPacket[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: COUNT }, () => randomPacket(random));
}

describe('interop with ilp-packet 3.1.3', () => {
  it('the generator spans every packet type and both length forms', () => {
    const packets = generate(0x1f2e3d4c);
    const bytes = packets.map((p) => serializeIlpPacket(p));
    expect(new Set(packets.map((p) => p.type)).size).toBe(3);
    expect(bytes.filter((b) => b[1] < 0x80).length).toBeGreaterThan(COUNT / 10);
    expect(bytes.filter((b) => b[1] === 0x81).length).toBeGreaterThan(COUNT / 20);
    expect(bytes.filter((b) => b[1] === 0x82).length).toBeGreaterThan(COUNT / 10);
  });

  it(`${COUNT} packets encoded by ilp-packet decode identically with ours (same bytes both ways)`, () => {
    const failures: string[] = [];
    for (const [i, packet] of generate(0x1f2e3d4c).entries()) {
      const refPacket = toReference(packet);
      const refBytes = reference.serializeIlpPacket(refPacket);
      const decoded = deserializeIlpPacket(refBytes);
      const difference = sameAsReference(decoded, refPacket);
      if (difference !== null) failures.push(`#${i}: ${difference}`);
      else if (!toBuffer(serializeIlpPacket(decoded)).equals(refBytes))
        failures.push(`#${i}: bytes`);
      if (failures.length > 5) break;
    }
    expect(failures).toEqual([]);
  });

  it(`${COUNT} packets encoded by ours decode identically with ilp-packet (same bytes both ways)`, () => {
    const failures: string[] = [];
    for (const [i, packet] of generate(0x5eed1234).entries()) {
      const ours = serializeIlpPacket(packet);
      const decoded = reference.deserializeIlpPacket(toBuffer(ours));
      const difference = sameAsReference(packet, decoded);
      if (difference !== null) failures.push(`#${i}: ${difference}`);
      else if (!reference.serializeIlpPacket(decoded).equals(toBuffer(ours)))
        failures.push(`#${i}: bytes`);
      if (failures.length > 5) break;
    }
    expect(failures).toEqual([]);
  });
});
