/**
 * Hashing for high-entropy secrets (API keys, admin and link tokens). These are long random
 * values, not passwords, so one SHA-256 is enough to make a stolen database useless for
 * logging in, and it keeps the per-request check cheap. Comparison is constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A new random token: 32 bytes, base64url, with a prefix that says what it is for. */
export function generateToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}
