/**
 * Property tests: any valid packet round-trips with an exactly predicted size; any bytes at
 * all (random, truncated, mutated) decode to a packet or fail with CodecError — never
 * another error, never a read past the input, never a hang.
 */
import { CodecError } from '@tollgate/ilp-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packetArb } from '../../test/arbitraries';
import { deserializeStreamPacket, serializeStreamPacket, streamPacketSize } from './stream-packet';

function decodesOrCodecError(bytes: Uint8Array): void {
  try {
    const packet = deserializeStreamPacket(bytes);
    // whatever decoded must encode again and decode to the same thing
    expect(deserializeStreamPacket(serializeStreamPacket(packet))).toEqual(packet);
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
  }
}

describe('STREAM packet properties', () => {
  it('round-trips every valid packet with the predicted size', () => {
    fc.assert(
      fc.property(packetArb, (packet) => {
        const bytes = serializeStreamPacket(packet);
        expect(bytes.length).toBe(streamPacketSize(packet));
        expect(deserializeStreamPacket(bytes)).toEqual(packet);
      }),
      { numRuns: 400 },
    );
  });

  it('decodes random bytes to a packet or a CodecError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), decodesOrCodecError), {
      numRuns: 2000,
    });
  });

  it('decodes random bytes behind a valid header to a packet or a CodecError', () => {
    const header = new Uint8Array([1, 12, 1, 0, 1, 0]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const bytes = new Uint8Array(header.length + tail.length);
        bytes.set(header);
        bytes.set(tail, header.length);
        decodesOrCodecError(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('every truncation of a valid packet decodes or fails with CodecError', () => {
    fc.assert(
      fc.property(packetArb, (packet) => {
        const bytes = serializeStreamPacket(packet);
        for (let end = 0; end < bytes.length; end++) decodesOrCodecError(bytes.subarray(0, end));
      }),
      { numRuns: 60 },
    );
  });

  it('single-byte mutations decode or fail with CodecError', () => {
    fc.assert(
      fc.property(packetArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (packet, at, value) => {
        const bytes = serializeStreamPacket(packet).slice();
        bytes[at % bytes.length] = value;
        decodesOrCodecError(bytes);
      }),
      { numRuns: 1500 },
    );
  });
});
