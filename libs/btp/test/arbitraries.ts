/** fast-check arbitraries for valid BTP packets (test-only). */
import fc from 'fast-check';
import type { BtpPacket, BtpProtocolData } from '../src/codec/btp-packet-types';

export interface ArbitraryOptions {
  /** Error data as UTF-8 text only (btp-packet carries it as a JS string). */
  utf8ErrorData?: boolean;
  /** Keep dates where every JS date library agrees (btp-packet uses `dateformat`). */
  modernDates?: boolean;
  /**
   * No sub-protocol names that are Object.prototype keys (`toString`, `__proto__`...):
   * btp-packet looks names up in a plain-object cache and writes garbage for those.
   */
  referenceSafeNames?: boolean;
}

const ascii = (minLength: number, maxLength: number) =>
  fc.string({ unit: 'binary-ascii', minLength, maxLength });

function protocolDataArb(referenceSafeNames = false): fc.Arbitrary<BtpProtocolData[]> {
  return fc
    .uniqueArray(
      fc.record({
        protocolName: fc.oneof(
          { weight: 4, arbitrary: ascii(0, 16) },
          { weight: 1, arbitrary: ascii(100, 200) },
        ),
        contentType: fc.integer({ min: 0, max: 255 }),
        data: fc.oneof(
          { weight: 4, arbitrary: fc.uint8Array({ maxLength: 40 }) },
          { weight: 1, arbitrary: fc.uint8Array({ minLength: 120, maxLength: 400 }) },
        ),
      }),
      { selector: (entry) => entry.protocolName, maxLength: 6 },
    )
    .filter((entries) => !referenceSafeNames || entries.every((e) => !(e.protocolName in {})));
}

export function btpPacketArb(options: ArbitraryOptions = {}): fc.Arbitrary<BtpPacket> {
  const requestId = fc.integer({ min: 0, max: 0xffff_ffff });
  const protocolData = protocolDataArb(options.referenceSafeNames);
  const date = options.modernDates
    ? fc.date({
        min: new Date('1971-01-01T00:00:00Z'),
        max: new Date('2199-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      })
    : fc.date({
        min: new Date('0000-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      });
  const errorData = options.utf8ErrorData
    ? fc
        .string({ unit: 'grapheme', maxLength: 60 })
        .map((s) => new Uint8Array(Buffer.from(s, 'utf8')))
    : fc.uint8Array({ maxLength: 200 });
  return fc.oneof(
    fc.record({ type: fc.constant(1 as const), requestId, protocolData }),
    fc.record({ type: fc.constant(6 as const), requestId, protocolData }),
    fc.record({
      type: fc.constant(7 as const),
      requestId,
      amount: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      protocolData,
    }),
    fc.record({
      type: fc.constant(2 as const),
      requestId,
      code: ascii(3, 3),
      name: ascii(0, 30),
      triggeredAt: date,
      data: errorData,
      protocolData,
    }),
  );
}
