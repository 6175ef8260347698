import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from './secret-box';

describe('secret box', () => {
  const key = randomBytes(32);

  it('opens what it sealed, and never stores the plaintext', () => {
    const sealed = seal(key, 'whsec_abc');
    expect(sealed).not.toContain('whsec');
    expect(open(key, sealed)).toBe('whsec_abc');
    expect(seal(key, 'whsec_abc')).not.toBe(sealed);
  });

  it('refuses another key and a tampered value', () => {
    const sealed = seal(key, 'whsec_abc');
    expect(() => open(randomBytes(32), sealed)).toThrow();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    parts[3] = flipped.toString('base64url');
    expect(() => open(key, parts.join('.'))).toThrow();
    expect(() => open(key, 'garbage')).toThrow('not a sealed value');
  });
});
