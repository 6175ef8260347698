import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isPaymentPointer,
  resolvePaymentPointer,
  spspEndpoint,
  toPaymentPointer,
} from './payment-pointer';
import { SpspError } from './spsp-error';

const vectors = JSON.parse(
  readFileSync(resolve(__dirname, '../../../protocol/vectors/payment-pointers.json'), 'utf8'),
) as {
  vectors: { pointer: string; url: string }[];
  invalidPointers: { pointer: string; why: string }[];
};

describe('payment pointers (RFC 26)', () => {
  it.each(vectors.vectors)('$pointer → $url', ({ pointer, url }) => {
    expect(resolvePaymentPointer(pointer)).toBe(url);
    expect(toPaymentPointer(url)).toBe(pointer);
  });

  it.each(vectors.invalidPointers)('refuses $pointer ($why)', ({ pointer }) => {
    expect(() => resolvePaymentPointer(pointer)).toThrow(SpspError);
    expect(isPaymentPointer(pointer)).toBe(false);
  });

  it.each([
    '$',
    '$/x',
    '$exa mple.com',
    '$-bad.com',
    '$example.com/a b',
    '$éxample.com',
    '$example..com',
  ])('refuses %j', (pointer) => {
    expect(() => resolvePaymentPointer(pointer)).toThrow(SpspError);
  });

  it('maps "$host/" to the well-known path', () => {
    expect(resolvePaymentPointer('$example.com/')).toBe('https://example.com/.well-known/pay');
  });

  it('allows a port and http on localhost only when asked (development)', () => {
    expect(() => resolvePaymentPointer('$localhost:8080/alice')).toThrow(/port/);
    expect(resolvePaymentPointer('$localhost:8080/alice', { allowInsecure: true })).toBe(
      'http://localhost:8080/alice',
    );
    expect(resolvePaymentPointer('$shop.example:8443/alice', { allowInsecure: true })).toBe(
      'https://shop.example:8443/alice',
    );
  });

  it('accepts raw endpoint URLs where a pointer is expected, https only unless insecure', () => {
    expect(spspEndpoint('https://example.com/bob')).toBe('https://example.com/bob');
    expect(() => spspEndpoint('http://example.com/bob')).toThrow(/https/);
    expect(spspEndpoint('http://127.0.0.1:8080/bob', { allowInsecure: true })).toBe(
      'http://127.0.0.1:8080/bob',
    );
    expect(() => spspEndpoint('not a url')).toThrow(SpspError);
  });
});
