import { describe, expect, it } from 'vitest';
import { parseAmountInput } from './amount-input';

describe('parseAmountInput', () => {
  it.each([
    ['12.50', 2, '1250'],
    ['0.29', 2, '29'],
    ['7', 2, '700'],
    ['.5', 2, '50'],
    ['1,250.5', 2, '125050'],
    ['3.000', 0, '3'],
    ['0.000000001', 9, '1'],
    ['18446744073709551615', 0, '18446744073709551615'],
  ])('%s at scale %i is %s base units', (input, scale, expected) => {
    expect(parseAmountInput(input, scale)).toEqual({ ok: true, baseUnits: expected });
  });

  it.each([
    ['', 2, 'Enter an amount'],
    ['abc', 2, 'Enter an amount'],
    ['1.2.3', 2, 'Enter an amount'],
    ['-5', 2, 'Enter an amount'],
    ['.', 2, 'Enter an amount'],
    ['0', 2, 'more than zero'],
    ['0.001', 2, 'At most 2 digits'],
    ['1.5', 0, 'no fractions'],
    ['18446744073709551616', 0, 'too large'],
  ])('refuses %j at scale %i', (input, scale, problem) => {
    const parsed = parseAmountInput(input, scale);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toContain(problem);
  });
});
