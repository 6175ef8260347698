/**
 * The crypto adapter STREAM needs: HMAC-SHA256, SHA-256, AES-256-GCM and random bytes.
 *
 * Two implementations: {@link WebStreamCrypto} (Web Crypto, async, browsers and Node ≥ 20,
 * exported from the package root) and `NodeStreamCrypto` (node:crypto, synchronous, from the
 * `node` entry file that browser bundles never import). Methods return {@link Awaitable}
 * values so a synchronous implementation costs no promise per call on the hot path; callers
 * always `await` them.
 *
 * Keys are imported once into opaque {@link StreamCryptoKey} handles (a CryptoKey in Web
 * Crypto, a KeyObject in Node) and cached per connection by `StreamKeys`.
 */
export type Awaitable<T> = T | Promise<T>;

/** An imported key; only the adapter that made it can use it. */
export interface StreamCryptoKey {
  readonly __streamCryptoKey: true;
}

export const AES_GCM_IV_LENGTH = 12;
export const AES_GCM_TAG_LENGTH = 16;
/** IV + tag: the bytes encryption adds to a STREAM packet. */
export const ENCRYPTION_OVERHEAD = AES_GCM_IV_LENGTH + AES_GCM_TAG_LENGTH;

export interface StreamCrypto {
  /** Short name for logs and benchmarks ('web-crypto', 'node-crypto'). */
  readonly name: string;
  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array;
  sha256(data: Uint8Array): Awaitable<Uint8Array>;
  /** Imports a raw key for HMAC-SHA256. */
  importHmacKey(raw: Uint8Array): Awaitable<StreamCryptoKey>;
  /** HMAC-SHA256 with an imported key or raw key bytes (raw bytes are imported each call). */
  hmacSha256(key: StreamCryptoKey | Uint8Array, data: Uint8Array): Awaitable<Uint8Array>;
  /** Imports a raw 32-byte key for AES-256-GCM. */
  importAesKey(raw: Uint8Array): Awaitable<StreamCryptoKey>;
  /** AES-256-GCM without additional data; returns IV (12) ‖ tag (16) ‖ ciphertext. */
  aes256gcmEncrypt(
    key: StreamCryptoKey,
    iv: Uint8Array,
    plaintext: Uint8Array,
  ): Awaitable<Uint8Array>;
  /**
   * Opens IV ‖ tag ‖ ciphertext. Returns `undefined` when the data is too short or does
   * not authenticate (a wrong key, tampering): callers decide what that means.
   */
  aes256gcmDecrypt(key: StreamCryptoKey, data: Uint8Array): Awaitable<Uint8Array | undefined>;
}
