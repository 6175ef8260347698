import { describe, expect, it } from 'vitest';
import { bigintNumeric } from './bigint-numeric.transformer';

describe('bigintNumeric', () => {
  it.each(['0', '9007199254740993', '18446744073709551615'])('round-trips %s exactly', (s) => {
    expect(bigintNumeric.from(s)).toBe(BigInt(s));
    expect(bigintNumeric.to(BigInt(s))).toBe(s);
  });

  it('passes null and undefined through', () => {
    expect(bigintNumeric.from(null)).toBeNull();
    expect(bigintNumeric.to(null)).toBeNull();
    expect(bigintNumeric.to(undefined)).toBeUndefined();
  });

  it('refuses a number where money belongs', () => {
    expect(() => bigintNumeric.to(1.5 as unknown as bigint)).toThrow(TypeError);
  });

  it('refuses a fractional numeric', () => {
    expect(() => bigintNumeric.from('1.5')).toThrow();
  });
});
