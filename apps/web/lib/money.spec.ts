import { describe, expect, it } from 'vitest';
import { formatAmount, formatRatio, progressBasisPoints, toBaseUnits } from './money';

describe('formatAmount', () => {
  it.each([
    ['125050', 2, 'USD', '1,250.50 USD'],
    ['5', 2, 'USD', '0.05 USD'],
    ['0', 2, 'USD', '0.00 USD'],
    ['1234567', 0, 'JPY', '1,234,567 JPY'],
    ['1000000', 6, 'EUR', '1.00 EUR'],
    ['1000001', 6, 'EUR', '1.000001 EUR'],
    ['-2000', 2, 'USD', '−20.00 USD'],
    ['18446744073709551615', 9, 'XRP', '18,446,744,073.709551615 XRP'],
  ])('%s at scale %d %s → %s', (amount, scale, code, text) => {
    expect(formatAmount(amount, scale, code)).toBe(text);
  });

  it('signs positive amounts on request and never parses floats', () => {
    expect(formatAmount(2000n, 2, 'USD', { signed: true })).toBe('+20.00 USD');
    expect(() => toBaseUnits('1.5')).toThrow(RangeError);
    expect(() => toBaseUnits('1e3')).toThrow(RangeError);
  });
});

describe('progressBasisPoints', () => {
  it('is exact and reaches 100 % only when the whole arrived', () => {
    expect(progressBasisPoints(0n, 500n)).toBe(0);
    expect(progressBasisPoints(250n, 500n)).toBe(5000);
    expect(progressBasisPoints(99_999n, 100_000n)).toBe(9999);
    expect(progressBasisPoints(500n, 500n)).toBe(10_000);
    expect(progressBasisPoints(600n, 500n)).toBe(10_000);
  });
});

describe('formatRatio', () => {
  it('rounds down to the digits asked for', () => {
    expect(formatRatio(2n, 3n)).toBe('0.6666');
    expect(formatRatio(5n, 4n)).toBe('1.25');
    expect(formatRatio(1n, 1n)).toBe('1.00');
  });
});
