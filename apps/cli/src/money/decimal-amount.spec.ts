import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmountSyntaxError,
  MAX_UINT64,
  formatAmount,
  formatBaseUnits,
  parseDecimalAmount,
  unitRate,
} from './decimal-amount';

const scales = fc.integer({ min: 0, max: 30 });
const uint64 = fc.bigInt({ min: 0n, max: MAX_UINT64 });

/** A canonical decimal with exactly `scale` places that fits UInt64 at that scale. */
const canonical = scales.chain((scale) =>
  uint64.map((value) => ({ scale, value, text: formatAmount(value, scale) })),
);

describe('decimal amounts', () => {
  it.each([
    ['12.50', 2, 1250n],
    ['12.5', 2, 1250n],
    ['12', 2, 1200n],
    ['12.', 2, 1200n],
    ['0.01', 2, 1n],
    ['0', 2, 0n],
    ['12.500', 2, 1250n],
    ['7', 0, 7n],
    ['0.000001', 6, 1n],
    ['184467440737095516.15', 2, MAX_UINT64],
    ['18446744073709551615', 0, MAX_UINT64],
  ])('parses %s at scale %i to %s base units', (text, scale, expected) => {
    expect(parseDecimalAmount(text, scale)).toBe(expected);
  });

  it.each([
    ['12.505', 2, 'more decimal places than USD (2 decimal places) allows'],
    ['0.001', 2, 'more decimal places'],
    ['1.5', 0, 'more decimal places'],
    ['184467440737095516.16', 2, 'too large'],
    ['18446744073709551616', 0, 'too large'],
    ['', 2, 'not an amount'],
    ['-1', 2, 'not an amount'],
    ['+1', 2, 'not an amount'],
    ['1e3', 2, 'not an amount'],
    ['1,000.00', 2, 'not an amount'],
    [' 1', 2, 'not an amount'],
    ['.5', 2, 'not an amount'],
    ['1.2.3', 2, 'not an amount'],
    ['0x10', 2, 'not an amount'],
    ['١٢', 2, 'not an amount'],
    ['NaN', 2, 'not an amount'],
    ['Infinity', 2, 'not an amount'],
  ])('refuses %j at scale %i (%s)', (text, scale, message) => {
    expect(() => parseDecimalAmount(text, scale, 'USD')).toThrow(AmountSyntaxError);
    expect(() => parseDecimalAmount(text, scale, 'USD')).toThrow(message);
  });

  it.each([
    [1250n, 2, '12.50'],
    [5n, 2, '0.05'],
    [0n, 2, '0.00'],
    [-1250n, 2, '-12.50'],
    [-5n, 3, '-0.005'],
    [42n, 0, '42'],
    [-42n, 0, '-42'],
    [MAX_UINT64, 2, '184467440737095516.15'],
    [1n, 9, '0.000000001'],
  ])('formats %s at scale %i as %s', (value, scale, text) => {
    expect(formatAmount(value, scale)).toBe(text);
  });

  it('formats base-unit strings from the server, refusing anything else', () => {
    expect(formatBaseUnits('-100000000', 6)).toBe('-100.000000');
    expect(() => formatBaseUnits('12.5', 2)).toThrow(AmountSyntaxError);
    expect(() => formatBaseUnits('', 2)).toThrow(AmountSyntaxError);
  });

  it('refuses impossible scales', () => {
    expect(() => formatAmount(1n, -1)).toThrow(RangeError);
    expect(() => formatAmount(1n, 1.5)).toThrow(RangeError);
    expect(() => parseDecimalAmount('1', 256)).toThrow(RangeError);
  });

  it('round-trips: format(parse(x)) === x for every canonical amount', () => {
    fc.assert(
      fc.property(canonical, ({ scale, value, text }) => {
        const parsed = parseDecimalAmount(text, scale);
        expect(typeof parsed).toBe('bigint');
        expect(parsed).toBe(value);
        expect(formatAmount(parsed, scale)).toBe(text);
      }),
    );
  });

  it('round-trips: parse(format(n)) === n, signs aside', () => {
    fc.assert(
      fc.property(scales, fc.bigInt({ min: -MAX_UINT64, max: MAX_UINT64 }), (scale, n) => {
        const text = formatAmount(n, scale);
        const magnitude = n < 0n ? -n : n;
        expect(text.startsWith('-')).toBe(n < 0n);
        expect(parseDecimalAmount(text.replace(/^-/, ''), scale)).toBe(magnitude);
      }),
    );
  });

  it('loses nothing beyond float precision: every digit of a 2^64 − 1 amount survives', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 2n ** 53n, max: MAX_UINT64 }),
        fc.integer({ min: 0, max: 18 }),
        (value, scale) => {
          const text = formatAmount(value, scale);
          expect(text.replace('.', '').replace(/^0+(?=.)/, '')).toBe(value.toString());
          expect(parseDecimalAmount(text, scale)).toBe(value);
        },
      ),
    );
  });

  it('accepts zero padding beyond the scale, refuses any lost digit', () => {
    fc.assert(
      fc.property(
        canonical,
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 9 }),
        ({ scale, value, text }, zeros, lost) => {
          const point = scale === 0 ? '.' : '';
          expect(parseDecimalAmount(`${text}${point}${'0'.repeat(zeros)}`, scale)).toBe(value);
          expect(() =>
            parseDecimalAmount(`${text}${point}${'0'.repeat(zeros - 1)}${lost}`, scale),
          ).toThrow(AmountSyntaxError);
        },
      ),
    );
  });

  it('gives the rate in whole units, cut not rounded', () => {
    expect(unitRate(1000n, 2, 8_000_000n, 6)).toBe('0.8');
    expect(unitRate(1250n, 2, 1250n, 2)).toBe('1');
    expect(unitRate(3n, 0, 1n, 0)).toBe('0.333333');
    expect(unitRate(3n, 0, 2n, 0)).toBe('0.666666');
    expect(unitRate(1n, 0, 0n, 2)).toBe('0');
    expect(unitRate(0n, 2, 0n, 2)).toBeNull();
    expect(unitRate(MAX_UINT64, 0, MAX_UINT64, 0, 12)).toBe('1');
  });
});
