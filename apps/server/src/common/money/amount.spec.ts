import { describe, expect, it } from 'vitest';
import { isAmountString, parseAmount, serializeAmount } from './amount';

describe('amounts at the JSON edge', () => {
  it.each(['0', '1', '1000', '18446744073709551615'])('accepts unsigned %s', (s) => {
    expect(isAmountString(s)).toBe(true);
    expect(serializeAmount(parseAmount(s))).toBe(s);
  });

  it.each(['', '-1', '01', '1.5', '1e3', ' 1', '18446744073709551616', 'abc', '0x10', '+1'])(
    'refuses unsigned %j',
    (s) => {
      expect(isAmountString(s)).toBe(false);
      expect(() => parseAmount(s)).toThrow(RangeError);
    },
  );

  it('refuses non-strings, including numbers that look right', () => {
    expect(isAmountString(1000)).toBe(false);
    expect(isAmountString(null)).toBe(false);
    expect(isAmountString(10n)).toBe(false);
  });

  it('accepts signed values only when asked', () => {
    expect(isAmountString('-1000', true)).toBe(true);
    expect(parseAmount('-18446744073709551615', true)).toBe(-18446744073709551615n);
    expect(isAmountString('-0', true)).toBe(false);
    expect(isAmountString('-18446744073709551616', true)).toBe(false);
  });
});
