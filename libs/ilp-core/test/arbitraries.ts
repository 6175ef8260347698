/** fast-check arbitraries for valid ILP values and packets (test-only). */
import fc from 'fast-check';
import {
  IlpFulfill,
  IlpPacket,
  IlpPacketType,
  IlpPrepare,
  IlpReject,
  MAX_UINT64,
} from '../src/index';
import { MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS } from '../src/oer/timestamp';

const SEGMENT_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~-'.split('');
export const SCHEMES = [
  'g',
  'private',
  'example',
  'peer',
  'self',
  'test',
  'test1',
  'test2',
  'test3',
  'local',
];

export const segmentArb = fc.string({
  unit: fc.constantFrom(...SEGMENT_CHARS),
  minLength: 1,
  maxLength: 24,
});

/** Valid ILP addresses, mostly short, sometimes long (long-form length prefixes). */
export const addressArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...SCHEMES),
    fc.oneof(
      { weight: 4, arbitrary: fc.array(segmentArb, { minLength: 1, maxLength: 6 }) },
      { weight: 1, arbitrary: fc.array(segmentArb, { minLength: 6, maxLength: 60 }) },
    ),
  )
  .map(([scheme, segments]) => `${scheme}.${segments.join('.')}`.slice(0, 1023))
  .filter((a) => !a.endsWith('.'));

export const amountArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, 1n, 2n ** 32n - 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n, MAX_UINT64),
  fc.bigInt({ min: 0n, max: MAX_UINT64 }),
  fc.bigInt({ min: 0n, max: 1_000_000n }),
);

export const dateArb: fc.Arbitrary<Date> = fc.oneof(
  fc.integer({ min: MIN_TIMESTAMP_MS, max: MAX_TIMESTAMP_MS }).map((ms) => new Date(ms)),
  fc.integer({ min: 1_500_000_000_000, max: 2_000_000_000_000 }).map((ms) => new Date(ms)),
);

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

/** Data of every size class: empty, short form, long form, up to the 32767-byte maximum. */
export function dataArb(maxLength = 32_767): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: Math.min(200, maxLength) }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: maxLength }), fc.integer())
        .map(([length, seed]) => pseudoRandomBytes(length, seed)),
    },
  );
}

export const bytes32Arb = fc.uint8Array({ minLength: 32, maxLength: 32 });

export const codeArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('F', 'T', 'R'),
    fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
    fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
  )
  .map(([a, b, c]) => a + b + c);

/** Any Unicode text (no lone surrogates), up to 8191 UTF-8 bytes. */
export const messageArb: fc.Arbitrary<string> = fc
  .oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 300 }))
  .filter((m) => new TextEncoder().encode(m).length <= 8191);

export function prepareArb(maxData = 32_767): fc.Arbitrary<IlpPrepare> {
  return fc.record({
    type: fc.constant(IlpPacketType.Prepare as const),
    amount: amountArb,
    expiresAt: dateArb,
    executionCondition: bytes32Arb,
    destination: addressArb,
    data: dataArb(maxData),
  });
}

export function fulfillArb(maxData = 32_767): fc.Arbitrary<IlpFulfill> {
  return fc.record({
    type: fc.constant(IlpPacketType.Fulfill as const),
    fulfillment: bytes32Arb,
    data: dataArb(maxData),
  });
}

export function rejectArb(maxData = 32_767): fc.Arbitrary<IlpReject> {
  return fc.record({
    type: fc.constant(IlpPacketType.Reject as const),
    code: codeArb,
    triggeredBy: fc.oneof(fc.constant(''), addressArb),
    message: messageArb,
    data: dataArb(maxData),
  });
}

export function packetArb(maxData = 32_767): fc.Arbitrary<IlpPacket> {
  return fc.oneof(prepareArb(maxData), fulfillArb(maxData), rejectArb(maxData));
}
