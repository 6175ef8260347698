/**
 * Interop with `btp-packet` (the JS reference codec): random packets encoded by either side
 * decode identically with the other, and both encoders produce the same bytes.
 */
import * as reference from 'btp-packet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { btpPacketArb } from '../../test/arbitraries';
import { deserializeBtpPacket, serializeBtpPacket } from './btp-packet';
import { BtpPacket, BtpPacketType, BtpProtocolData } from './btp-packet-types';

const RUNS = 3000;
const arb = btpPacketArb({ utf8ErrorData: true, modernDates: true, referenceSafeNames: true });

function toReferenceProtocolData(entries: BtpProtocolData[]) {
  return entries.map((e) => ({
    protocolName: e.protocolName,
    contentType: e.contentType,
    data: Buffer.from(e.data),
  }));
}

/** Our packet in btp-packet's shape (as its serializer takes it). */
function toReference(packet: BtpPacket): reference.BtpPacket {
  const protocolData = toReferenceProtocolData(packet.protocolData);
  switch (packet.type) {
    case BtpPacketType.Response:
    case BtpPacketType.Message:
      return {
        type: packet.type as number,
        requestId: packet.requestId,
        data: { protocolData },
      } as reference.BtpPacket;
    case BtpPacketType.Transfer:
      return {
        type: reference.Type.TYPE_TRANSFER,
        requestId: packet.requestId,
        data: { amount: packet.amount.toString(), protocolData },
      };
    case BtpPacketType.Error:
      return {
        type: reference.Type.TYPE_ERROR,
        requestId: packet.requestId,
        data: {
          code: packet.code,
          name: packet.name,
          triggeredAt: packet.triggeredAt.toISOString(),
          data: Buffer.from(packet.data).toString('utf8'),
          protocolData,
        },
      };
  }
}

/** What btp-packet's deserializer returns for `packet`, normalised for comparison. */
function normaliseReferenceDecode(decoded: ReturnType<typeof reference.deserialize>) {
  const data = decoded.data as Record<string, unknown> & { protocolData: BtpProtocolData[] };
  const protocolData = data.protocolData.map((e) => ({
    protocolName: e.protocolName,
    contentType: e.contentType,
    data: new Uint8Array(e.data),
  }));
  switch (decoded.type) {
    case 1:
    case 6:
      return { type: decoded.type, requestId: decoded.requestId, protocolData };
    case 7:
      return {
        type: 7,
        requestId: decoded.requestId,
        amount: BigInt(String(data.amount)),
        protocolData,
      };
    default:
      return {
        type: 2,
        requestId: decoded.requestId,
        code: data.code,
        name: data.name,
        triggeredAt: data.triggeredAt,
        data: new Uint8Array(Buffer.from(String(data.data), 'utf8')),
        protocolData,
      };
  }
}

describe('interop with btp-packet 2.2.1', () => {
  it('handles sub-protocol names btp-packet cannot (its name cache is a plain object)', () => {
    const packet: BtpPacket = {
      type: BtpPacketType.Message,
      requestId: 1,
      protocolData: [{ protocolName: 'toString', contentType: 0, data: new Uint8Array([1]) }],
    };
    expect(() => reference.serialize(toReference(packet))).toThrow();
    expect(deserializeBtpPacket(serializeBtpPacket(packet))).toEqual(packet);
    // and btp-packet still decodes what we wrote
    expect(
      normaliseReferenceDecode(reference.deserialize(Buffer.from(serializeBtpPacket(packet)))),
    ).toEqual(packet);
  });

  it(`encodes ${RUNS} random packets to the same bytes as btp-packet`, () => {
    fc.assert(
      fc.property(arb, (packet) => {
        const ours = serializeBtpPacket(packet);
        const theirs = reference.serialize(toReference(packet));
        expect(Buffer.from(ours).equals(theirs)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it(`decodes ${RUNS} packets encoded by btp-packet`, () => {
    fc.assert(
      fc.property(arb, (packet) => {
        const theirs = reference.serialize(toReference(packet));
        expect(deserializeBtpPacket(theirs)).toEqual(packet);
      }),
      { numRuns: RUNS },
    );
  });

  it(`lets btp-packet decode ${RUNS} packets we encoded`, () => {
    fc.assert(
      fc.property(arb, (packet) => {
        const decoded = reference.deserialize(Buffer.from(serializeBtpPacket(packet)));
        expect(normaliseReferenceDecode(decoded)).toEqual(packet);
      }),
      { numRuns: RUNS },
    );
  });
});
