import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../protocol/test-vectors';
import { convertScale, MAX_UINT64, parseQuantity, serializeQuantity } from './quantity';
import { SettlementError } from './settlement-error';

interface ScaleVectors {
  vectors: Array<{
    amount: string;
    fromScale: number;
    toScale: number;
    converted: string;
    leftover: string;
  }>;
  overflow: Array<{ amount: string; fromScale: number; toScale: number }>;
}

const vectors = loadVectors<ScaleVectors>('settlement-scale.json');

function invalidQuantity(fn: () => unknown): SettlementError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SettlementError);
    expect((error as SettlementError).code).toBe('invalid_quantity');
    return error as SettlementError;
  }
  throw new Error('expected a SettlementError');
}

describe('convertScale', () => {
  it.each(vectors.vectors)(
    '$amount @$fromScale -> @$toScale = $converted leftover $leftover',
    (v) => {
      expect(convertScale(BigInt(v.amount), v.fromScale, v.toScale)).toEqual({
        amount: BigInt(v.converted),
        leftover: BigInt(v.leftover),
      });
    },
  );

  it('computes exactly what a UInt64 implementation refuses as overflow', () => {
    for (const v of vectors.overflow) {
      const { amount, leftover } = convertScale(BigInt(v.amount), v.fromScale, v.toScale);
      expect(amount > MAX_UINT64).toBe(true);
      expect(amount).toBe(BigInt(v.amount) * 10n ** BigInt(v.toScale - v.fromScale));
      expect(leftover).toBe(0n);
    }
  });

  it('loses nothing: converted back plus leftover is the input', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 200n }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        (amount, from, to) => {
          const { amount: converted, leftover } = convertScale(amount, from, to);
          expect(leftover >= 0n).toBe(true);
          if (to >= from) {
            expect(leftover).toBe(0n);
            expect(converted).toBe(amount * 10n ** BigInt(to - from));
          } else {
            const factor = 10n ** BigInt(from - to);
            expect(leftover < factor).toBe(true);
            expect(converted * factor + leftover).toBe(amount);
          }
        },
      ),
    );
  });

  it('refuses negative amounts and scales outside 0..255', () => {
    invalidQuantity(() => convertScale(-1n, 2, 3));
    invalidQuantity(() => convertScale(1n, 256, 3));
    invalidQuantity(() => convertScale(1n, 2, -1));
    invalidQuantity(() => convertScale(1n, 2.5, 3));
  });
});

describe('parseQuantity / serializeQuantity', () => {
  it('round-trips valid quantities', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 78n - 1n }),
        fc.integer({ min: 0, max: 255 }),
        (amount, scale) => {
          const json = serializeQuantity({ amount, scale });
          expect(json).toEqual({ amount: amount.toString(), scale });
          expect(parseQuantity(JSON.parse(JSON.stringify(json)))).toEqual({ amount, scale });
        },
      ),
    );
  });

  it('accepts the RFC example and normalises leading zeros', () => {
    expect(parseQuantity({ amount: '254', scale: 2 })).toEqual({ amount: 254n, scale: 2 });
    expect(parseQuantity({ amount: '000254', scale: 0 })).toEqual({ amount: 254n, scale: 0 });
    expect(parseQuantity({ amount: '0', scale: 255 })).toEqual({ amount: 0n, scale: 255 });
  });

  it('names the bad field', () => {
    expect(invalidQuantity(() => parseQuantity({ amount: '-1', scale: 2 })).message).toMatch(
      /^amount/,
    );
    expect(invalidQuantity(() => parseQuantity({ amount: 1, scale: 2 })).message).toMatch(
      /^amount/,
    );
    expect(invalidQuantity(() => parseQuantity({ amount: '1e3', scale: 2 })).message).toMatch(
      /^amount/,
    );
    expect(invalidQuantity(() => parseQuantity({ amount: ' 1', scale: 2 })).message).toMatch(
      /^amount/,
    );
    expect(
      invalidQuantity(() => parseQuantity({ amount: '1'.repeat(79), scale: 2 })).message,
    ).toMatch(/^amount/);
    expect(invalidQuantity(() => parseQuantity({ amount: '1', scale: 256 })).message).toMatch(
      /^scale/,
    );
    expect(invalidQuantity(() => parseQuantity({ amount: '1', scale: '2' })).message).toMatch(
      /^scale/,
    );
    expect(invalidQuantity(() => parseQuantity({ amount: '1' })).message).toMatch(/^scale/);
    for (const notObject of [null, 'x', 3, [], true]) {
      expect(invalidQuantity(() => parseQuantity(notObject)).message).toMatch(/^quantity/);
    }
  });

  it('never throws anything but SettlementError on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          const q = parseQuantity(value);
          expect(q.amount >= 0n).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(SettlementError);
        }
      }),
    );
  });

  it('refuses to serialize what it would not parse', () => {
    invalidQuantity(() => serializeQuantity({ amount: -1n, scale: 2 }));
    invalidQuantity(() => serializeQuantity({ amount: 1n, scale: 300 }));
  });
});
