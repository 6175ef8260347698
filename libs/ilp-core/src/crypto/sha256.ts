/**
 * SHA-256 through Web Crypto (`globalThis.crypto.subtle`), available in browsers and in
 * Node >= 20, so this module works in both. It is async only; Node code on the hot path
 * uses the sync variant from `../node` (node:crypto), which browsers never import.
 */
function subtle(): SubtleCrypto {
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  if (!crypto?.subtle) throw new Error('Web Crypto (globalThis.crypto.subtle) is not available');
  return crypto.subtle;
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  // Web Crypto refuses views of SharedArrayBuffer: copy those (rare) into a plain buffer
  const input = (
    bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice()
  ) as Uint8Array<ArrayBuffer>;
  return new Uint8Array(await subtle().digest('SHA-256', input));
}

/** Cryptographically random bytes from `globalThis.crypto.getRandomValues`. */
export function randomBytes(length: number): Uint8Array {
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  if (!crypto?.getRandomValues)
    throw new Error('globalThis.crypto.getRandomValues is not available');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 65_536) {
    crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65_536)));
  }
  return out;
}
