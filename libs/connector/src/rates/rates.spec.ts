import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../errors';
import { applyRate, parseDecimal, reduce } from './rational';
import { StaticRateSource } from './static-rate-source';

describe('rational', () => {
  it('parses decimal strings exactly', () => {
    expect(parseDecimal('1.08')).toEqual({ numerator: 27n, denominator: 25n });
    expect(parseDecimal('0.000125')).toEqual({ numerator: 1n, denominator: 8000n });
    expect(parseDecimal('42')).toEqual({ numerator: 42n, denominator: 1n });
    expect(parseDecimal('0')).toEqual({ numerator: 0n, denominator: 1n });
    for (const bad of ['', '-1', '1e5', '1.', '.5', ' 1', '1,5', 'NaN']) {
      expect(() => parseDecimal(bad)).toThrow(ConnectorError);
    }
  });

  it('reduces and applies rates with floor', () => {
    expect(reduce(6n, -4n)).toEqual({ numerator: -3n, denominator: 2n });
    expect(applyRate(10n, { numerator: 2n, denominator: 3n })).toBe(6n);
  });
});

describe('StaticRateSource', () => {
  it('rates between assets include the scale difference', () => {
    const source = new StaticRateSource({ USD: '1', EUR: '1.08' });
    expect(source.rate({ code: 'USD', scale: 2 }, { code: 'EUR', scale: 6 })).toEqual({
      numerator: 250_000n,
      denominator: 27n,
    });
    expect(source.rate({ code: 'EUR', scale: 2 }, { code: 'USD', scale: 2 })).toEqual({
      numerator: 27n,
      denominator: 25n,
    });
    expect(source.rate({ code: 'XRP', scale: 6 }, { code: 'XRP', scale: 9 })).toEqual({
      numerator: 1000n,
      denominator: 1n,
    });
    expect(source.rate({ code: 'USD', scale: 2 }, { code: 'GBP', scale: 2 })).toBeUndefined();
  });

  it('setRates replaces everything, bumps the version and is all-or-nothing', () => {
    const source = new StaticRateSource({ USD: '1' });
    const v = source.version;
    source.setRates({ USD: '1', EUR: '1.1' });
    expect(source.version).toBe(v + 1);
    expect(source.getRates()).toEqual({ USD: '1', EUR: '1.1' });
    expect(() => source.setRates({ USD: '1', EUR: 'abc' })).toThrow(ConnectorError);
    expect(() => source.setRates({ USD: '0' })).toThrow(/greater than 0/);
    expect(source.getRates()).toEqual({ USD: '1', EUR: '1.1' });
    expect(source.version).toBe(v + 1);
  });
});
