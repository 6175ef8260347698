/**
 * Property tests: valid packets round-trip; arbitrary, truncated and mutated inputs either
 * decode to a packet that re-encodes to the same bytes, or fail with a CodecError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError, deserializeIlpPacket, IlpPacket, serializeIlpPacket } from '../index';
import { packetArb } from '../../test/arbitraries';
import { comparable } from '../../test/packet-json';
import { hex } from '../../test/vectors';

/** Decodes `bytes`; returns the packet, or null after checking the error is a CodecError. */
function decodeOrCodecError(bytes: Uint8Array): IlpPacket | null {
  try {
    return deserializeIlpPacket(bytes);
  } catch (error) {
    if (!(error instanceof CodecError)) {
      throw new Error(`decoder threw a non-CodecError for ${hex(bytes).slice(0, 200)}`, {
        cause: error,
      });
    }
    return null;
  }
}

/** Whatever the decoder accepts is canonical: it re-encodes to exactly the same bytes. */
function checkDecode(bytes: Uint8Array): void {
  const packet = decodeOrCodecError(bytes);
  if (packet !== null) expect(hex(serializeIlpPacket(packet))).toBe(hex(bytes));
}

describe('round trips', () => {
  it('random valid Prepare / Fulfill / Reject encode, decode and re-encode identically', () => {
    fc.assert(
      fc.property(packetArb(), (packet) => {
        const bytes = serializeIlpPacket(packet);
        const decoded = deserializeIlpPacket(bytes);
        expect(comparable(decoded)).toEqual(comparable(packet));
        expect(hex(serializeIlpPacket(decoded))).toBe(hex(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hostile input never throws anything but CodecError', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), checkDecode), { numRuns: 5000 });
  });

  it('random bytes behind a valid type byte and a plausible length', () => {
    fc.assert(
      fc.property(fc.constantFrom(12, 13, 14), fc.uint8Array({ maxLength: 300 }), (type, body) =>
        checkDecode(new Uint8Array([type, Math.min(body.length, 127), ...body])),
      ),
      { numRuns: 5000 },
    );
  });

  it('every proper prefix of a valid packet is rejected', () => {
    fc.assert(
      fc.property(packetArb(600), (packet) => {
        const bytes = serializeIlpPacket(packet);
        for (let length = 0; length < bytes.length; length++) {
          expect(decodeOrCodecError(bytes.subarray(0, length))).toBeNull();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('valid packets with one byte flipped, inserted or deleted', () => {
    fc.assert(
      fc.property(
        packetArb(600),
        fc.array(
          fc.record({
            op: fc.constantFrom('flip', 'set', 'insert', 'delete'),
            at: fc.nat(),
            value: fc.integer({ min: 0, max: 255 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (packet, mutations) => {
          const bytes = Array.from(serializeIlpPacket(packet));
          for (const { op, at, value } of mutations) {
            const i = at % (bytes.length + 1);
            if (op === 'insert') bytes.splice(i, 0, value);
            else if (i < bytes.length && op === 'delete') bytes.splice(i, 1);
            else if (i < bytes.length && op === 'flip') bytes[i] ^= 1 << (value & 7);
            else if (i < bytes.length) bytes[i] = value;
          }
          checkDecode(Uint8Array.from(bytes));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('every single-byte value at every offset of a small Prepare', () => {
    const bytes = serializeIlpPacket({
      type: 12,
      amount: 5n,
      expiresAt: new Date('2020-01-01T00:00:00.000Z'),
      executionCondition: new Uint8Array(32).fill(9),
      destination: 'g.a',
      data: new Uint8Array([1, 2]),
    });
    for (let offset = 0; offset < bytes.length; offset++) {
      for (let value = 0; value < 256; value++) {
        const mutated = bytes.slice();
        mutated[offset] = value;
        checkDecode(mutated);
      }
    }
  });
});
