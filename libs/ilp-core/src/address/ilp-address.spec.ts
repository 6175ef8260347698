import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError, CodecErrorCode } from '../errors/codec-error';
import { addressArb } from '../../test/arbitraries';
import { loadVectors } from '../../test/vectors';
import {
  assertIlpAddress,
  childAddress,
  getScheme,
  isPrefixOf,
  isValidAddressSegment,
  isValidIlpAddress,
  isValidIlpAddressBytes,
  longestPrefixMatch,
} from './ilp-address';

interface AddressVectors {
  regex: string;
  valid: string[];
  invalid: string[];
  length: {
    name: string;
    build: { prefix: string; fill: string; totalLength: number };
    valid: boolean;
  }[];
}

const vectors = loadVectors<AddressVectors>('ilp-addresses.json');

/** Wire bytes of a test string: one byte per char (the invalid vector \u00f0 is the byte f0). */
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('ilp-addresses.json', () => {
  it.each(vectors.valid)('valid: %s', (address) => {
    expect(isValidIlpAddress(address)).toBe(true);
    expect(isValidIlpAddressBytes(latin1(address), 0, address.length)).toBe(true);
    expect(() => assertIlpAddress(address)).not.toThrow();
  });

  it.each(vectors.invalid)('invalid: %j', (address) => {
    expect(isValidIlpAddress(address)).toBe(false);
    expect(isValidIlpAddressBytes(latin1(address), 0, address.length)).toBe(false);
    expect(() => assertIlpAddress(address)).toThrow(CodecError);
  });

  it.each(vectors.length.map((v) => [v.name, v] as const))('%s', (_, v) => {
    const address = v.build.prefix.padEnd(v.build.totalLength, v.build.fill);
    expect(address.length).toBe(v.build.totalLength);
    expect(isValidIlpAddress(address)).toBe(v.valid);
    expect(isValidIlpAddressBytes(latin1(address), 0, address.length)).toBe(v.valid);
  });

  it('agrees with the RFC 15 regex on generated and mutated strings', () => {
    const rfc = new RegExp(vectors.regex);
    const almost = fc.oneof(
      addressArb,
      addressArb.chain((a) =>
        fc
          .tuple(fc.nat(a.length), fc.constantFrom('.', '', '*', ' ', 'é', '..', 'A', '\u012e'))
          .map(([i, s]) => a.slice(0, i) + s + a.slice(i + 1)),
      ),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(almost, (s) => {
        expect(isValidIlpAddress(s)).toBe(rfc.test(s));
        if (Array.from(s).every((c) => c.charCodeAt(0) < 256)) {
          expect(isValidIlpAddressBytes(latin1(s), 0, s.length)).toBe(rfc.test(s));
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('address helpers', () => {
  it('isValidIlpAddress rejects non-strings', () => {
    for (const value of [undefined, null, 42, {}, ['g.a']])
      expect(isValidIlpAddress(value)).toBe(false);
  });

  it('assertIlpAddress throws CodecError(InvalidAddress)', () => {
    try {
      assertIlpAddress('what.alice', 'destination');
      throw new Error('should have thrown');
    } catch (error) {
      expect((error as CodecError).code).toBe(CodecErrorCode.InvalidAddress);
      expect((error as CodecError).message).toContain('destination');
    }
  });

  it('getScheme returns the first segment', () => {
    expect(getScheme('g.us.bank')).toBe('g');
    expect(getScheme('test3.x')).toBe('test3');
    expect(getScheme('private.a.b')).toBe('private');
    expect(() => getScheme('nope')).toThrow(CodecError);
  });

  it('isPrefixOf is segment-aware', () => {
    expect(isPrefixOf('test.a', 'test.a.b')).toBe(true);
    expect(isPrefixOf('test.a', 'test.a')).toBe(true);
    expect(isPrefixOf('test.a', 'test.ab')).toBe(false);
    expect(isPrefixOf('test.a.b', 'test.a')).toBe(false);
    expect(isPrefixOf('', 'g.anything')).toBe(true);
    expect(isPrefixOf('g', 'g.us')).toBe(true);
    expect(isPrefixOf('test.', 'test.a')).toBe(false);
  });

  it('childAddress appends one validated segment', () => {
    expect(childAddress('test.parent', 'child_1')).toBe('test.parent.child_1');
    for (const segment of ['', 'a.b', 'a b', 'é']) {
      expect(() => childAddress('test.parent', segment)).toThrow(CodecError);
    }
    expect(() => childAddress('bad', 'child')).toThrow(CodecError);
    expect(() => childAddress('test.' + 'a'.repeat(1015), 'xyz')).toThrow(CodecError);
  });

  it('isValidAddressSegment', () => {
    expect(isValidAddressSegment('Az09_~-')).toBe(true);
    expect(isValidAddressSegment('')).toBe(false);
    expect(isValidAddressSegment('a.b')).toBe(false);
  });

  it('longestPrefixMatch walks segment boundaries', () => {
    const table = new Map([
      ['g', 1],
      ['g.us', 2],
      ['g.us.bank', 3],
      ['', 0],
    ]);
    expect(longestPrefixMatch('g.us.bank.alice', table)).toBe('g.us.bank');
    expect(longestPrefixMatch('g.us.bankx', table)).toBe('g.us');
    expect(longestPrefixMatch('g.us', table)).toBe('g.us');
    expect(longestPrefixMatch('test.x', table)).toBe('');
    expect(longestPrefixMatch('test.x', new Set(['g']))).toBeUndefined();
  });
});
