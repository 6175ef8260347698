import { describe, expect, it } from 'vitest';
import { errorFromNetwork, errorFromStatus } from './http-error-mapping';

describe('HTTP → ILP error mapping', () => {
  it.each([
    [401, 'F02'],
    [403, 'F02'],
    [415, 'F02'],
    [429, 'T05'],
    [499, 'F02'],
    [500, 'T01'],
    [599, 'T01'],
    [204, 'T01'],
    [301, 'T01'],
    [0, 'T01'],
  ])('status %i → %s', (status, code) => expect(errorFromStatus(status).code).toBe(code));

  it('keeps a short detail in the message', () => {
    expect(errorFromStatus(401, 'invalid authorization').message).toBe(
      'peer answered HTTP 401: invalid authorization',
    );
    expect(errorFromStatus(500, 'x'.repeat(1000)).message.length).toBeLessThan(250);
  });

  it.each([
    ['ECONNREFUSED', 'T01'],
    ['ENOTFOUND', 'T01'],
    ['EAI_AGAIN', 'T01'],
    ['EHOSTUNREACH', 'T01'],
    ['ENETUNREACH', 'T01'],
    ['ECONNRESET', 'T00'],
    ['EPIPE', 'T00'],
    [undefined, 'T00'],
  ])('network error %s → %s', (code, ilp) => {
    const error = Object.assign(new Error('x'), { code });
    const mapped = errorFromNetwork(error);
    expect(mapped.code).toBe(ilp);
    expect(mapped.cause).toBe(error);
  });

  it('maps a thrown non-Error to T00', () => {
    expect(errorFromNetwork('weird').code).toBe('T00');
    expect(errorFromNetwork(null).code).toBe('T00');
  });
});
