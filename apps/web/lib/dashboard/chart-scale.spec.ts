import { describe, expect, it } from 'vitest';
import { niceCeiling, share } from './chart-scale';

describe('niceCeiling', () => {
  it.each([
    [0n, 0n],
    [1n, 1n],
    [3n, 5n],
    [250n, 500n],
    [200n, 200n],
    [1001n, 2000n],
    [9_999n, 10_000n],
    [18_446_744_073_709_551_615n, 20_000_000_000_000_000_000n],
  ])('%s → %s', (value, expected) => {
    expect(niceCeiling(value)).toBe(expected);
  });
});

describe('share', () => {
  it('is exact to four decimals for amounts beyond 2^53', () => {
    expect(share(9_007_199_254_740_993n, 18_014_398_509_481_986n)).toBe(0.5);
    expect(share(1n, 3n)).toBe(0.3333);
    expect(share(0n, 5n)).toBe(0);
    expect(share(5n, 0n)).toBe(0);
    expect(share(7n, 5n)).toBe(1);
  });
});
