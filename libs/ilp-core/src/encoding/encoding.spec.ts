import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError, fromBase64, fromHex, toBase64, toBase64Url, toHex } from '../index';

describe('hex', () => {
  it('round-trips and matches Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
        expect(fromHex(toHex(bytes))).toEqual(bytes);
        expect(fromHex(toHex(bytes).toUpperCase())).toEqual(bytes);
      }),
    );
  });

  it('rejects odd lengths and non-hex digits', () => {
    expect(() => fromHex('abc')).toThrow(CodecError);
    expect(() => fromHex('zz')).toThrow(CodecError);
  });
});

describe('base64', () => {
  it('round-trips all four variants and matches Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const standard = Buffer.from(bytes).toString('base64');
        expect(toBase64(bytes)).toBe(standard);
        expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
        for (const text of [
          standard,
          standard.replace(/=+$/, ''),
          toBase64Url(bytes),
          toBase64Url(bytes) + '='.repeat((4 - (toBase64Url(bytes).length % 4)) % 4),
        ]) {
          expect(fromBase64(text)).toEqual(bytes);
        }
      }),
    );
  });

  it('rejects invalid characters, lengths and stray bits', () => {
    for (const text of ['a', 'ab$d', 'ab=d', 'AB==', 'ABC=']) {
      expect(() => fromBase64(text)).toThrow(CodecError);
    }
    expect(fromBase64('AA==')).toEqual(new Uint8Array([0]));
  });
});
