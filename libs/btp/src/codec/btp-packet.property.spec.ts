import { CodecError } from '@tollgate/ilp-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { btpPacketArb } from '../../test/arbitraries';
import { btpPacketSize, deserializeBtpPacket, serializeBtpPacket } from './btp-packet';
import { BtpPacket } from './btp-packet-types';

/** Decodes, or returns the CodecError; anything else thrown fails the property. */
function decodeOrCodecError(bytes: Uint8Array): BtpPacket | CodecError {
  try {
    return deserializeBtpPacket(bytes);
  } catch (error) {
    if (error instanceof CodecError) return error;
    throw error;
  }
}

/** A decoded packet must encode again and decode to itself. */
function checkStable(packet: BtpPacket): void {
  expect(deserializeBtpPacket(serializeBtpPacket(packet))).toEqual(packet);
}

describe('BTP codec properties', () => {
  it('round-trips random valid packets, with the predicted size', () => {
    fc.assert(
      fc.property(btpPacketArb(), (packet) => {
        const bytes = serializeBtpPacket(packet);
        expect(bytes.length).toBe(btpPacketSize(packet));
        const decoded = deserializeBtpPacket(bytes);
        expect(decoded).toEqual(packet);
        expect(serializeBtpPacket(decoded)).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('turns random bytes into a valid packet or a CodecError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const result = decodeOrCodecError(bytes);
        if (!(result instanceof CodecError)) checkStable(result);
      }),
      { numRuns: 5000 },
    );
  });

  it('turns random bytes after a valid header into a packet or a CodecError', () => {
    const header = fc.tuple(
      fc.constantFrom(1, 2, 6, 7),
      fc.uint8Array({ minLength: 4, maxLength: 4 }),
    );
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 120 }), ([type, id], body) => {
        const bytes = new Uint8Array([
          type,
          ...id,
          body.length < 128 ? body.length : 0x7f,
          ...body,
        ]);
        const result = decodeOrCodecError(bytes.subarray(0, Math.min(bytes.length, 6 + 127)));
        if (!(result instanceof CodecError)) checkStable(result);
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects every truncation of a valid packet', () => {
    fc.assert(
      fc.property(btpPacketArb(), fc.nat(), (packet, cut) => {
        const bytes = serializeBtpPacket(packet);
        const length = cut % bytes.length; // 0 .. length-1
        expect(decodeOrCodecError(bytes.subarray(0, length))).toBeInstanceOf(CodecError);
      }),
      { numRuns: 2000 },
    );
  });

  it('turns mutated packets into a valid packet or a CodecError', () => {
    const mutation = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(btpPacketArb(), mutation, (packet, changes) => {
        const bytes = serializeBtpPacket(packet).slice();
        for (const [at, value] of changes) bytes[at % bytes.length] = value;
        const result = decodeOrCodecError(bytes);
        if (!(result instanceof CodecError)) checkStable(result);
      }),
      { numRuns: 3000 },
    );
  });
});
