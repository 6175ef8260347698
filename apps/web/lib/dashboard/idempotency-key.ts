/**
 * A fresh Idempotency-Key for a form. `crypto.randomUUID` exists only in secure contexts
 * (https or localhost); `getRandomValues` everywhere, so that is what this uses.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dash-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
