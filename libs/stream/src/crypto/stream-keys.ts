/**
 * Key derivation and the per-connection key cache (RFC 29 §5.1, §6):
 *
 *   encKey         = HMAC-SHA256(sharedSecret, "ilp_stream_encryption")
 *   fulfillmentKey = HMAC-SHA256(sharedSecret, "ilp_stream_fulfillment")
 *   data           = IV (12, fresh) ‖ tag (16) ‖ AES-256-GCM(encKey, IV, plaintext)
 *   fulfillment    = HMAC-SHA256(fulfillmentKey, data)    (data = the encrypted bytes)
 *   condition      = SHA-256(fulfillment)
 *
 * {@link StreamKeys} derives and imports both keys once per connection.
 */
import { constantTimeEqual } from '@tollgate/ilp-core';
import { InvalidSharedSecretError } from '../errors';
import { AES_GCM_IV_LENGTH, StreamCrypto, StreamCryptoKey } from './stream-crypto';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

export const ENCRYPTION_KEY_STRING = ascii('ilp_stream_encryption');
export const FULFILLMENT_KEY_STRING = ascii('ilp_stream_fulfillment');
export const SHARED_SECRET_KEY_STRING = ascii('ilp_stream_shared_secret');
export const SHARED_SECRET_LENGTH = 32;

/** HMAC-SHA256(sharedSecret, "ilp_stream_encryption"); any secret length (vectors use 3 bytes). */
export async function deriveEncryptionKey(
  crypto: StreamCrypto,
  sharedSecret: Uint8Array,
): Promise<Uint8Array> {
  return crypto.hmacSha256(sharedSecret, ENCRYPTION_KEY_STRING);
}

/** HMAC-SHA256(sharedSecret, "ilp_stream_fulfillment"). */
export async function deriveFulfillmentKey(
  crypto: StreamCrypto,
  sharedSecret: Uint8Array,
): Promise<Uint8Array> {
  return crypto.hmacSha256(sharedSecret, FULFILLMENT_KEY_STRING);
}

/** Throws {@link InvalidSharedSecretError} unless `secret` is a 32-byte Uint8Array. */
export function checkSharedSecret(secret: unknown): asserts secret is Uint8Array {
  if (!(secret instanceof Uint8Array)) {
    throw new InvalidSharedSecretError('shared secret must be a Uint8Array');
  }
  if (secret.length !== SHARED_SECRET_LENGTH) {
    throw new InvalidSharedSecretError(
      `shared secret must be ${SHARED_SECRET_LENGTH} bytes, got ${secret.length}`,
    );
  }
}

export class StreamKeys {
  private constructor(
    readonly crypto: StreamCrypto,
    private readonly encryptionKey: StreamCryptoKey,
    private readonly fulfillmentKey: StreamCryptoKey,
  ) {}

  /** Derives and imports both keys for a 32-byte shared secret. */
  static async fromSharedSecret(
    crypto: StreamCrypto,
    sharedSecret: Uint8Array,
  ): Promise<StreamKeys> {
    checkSharedSecret(sharedSecret);
    return StreamKeys.fromDerivedKeys(
      crypto,
      await deriveEncryptionKey(crypto, sharedSecret),
      await deriveFulfillmentKey(crypto, sharedSecret),
    );
  }

  /** From already derived raw keys (tests, vectors). */
  static async fromDerivedKeys(
    crypto: StreamCrypto,
    encryptionKey: Uint8Array,
    fulfillmentKey: Uint8Array,
  ): Promise<StreamKeys> {
    return new StreamKeys(
      crypto,
      await crypto.importAesKey(encryptionKey),
      await crypto.importHmacKey(fulfillmentKey),
    );
  }

  /** Encrypts with a fresh random IV (or the given one: fixed-IV test vectors only). */
  async encrypt(plaintext: Uint8Array, iv?: Uint8Array): Promise<Uint8Array> {
    return this.crypto.aes256gcmEncrypt(
      this.encryptionKey,
      iv ?? this.crypto.randomBytes(AES_GCM_IV_LENGTH),
      plaintext,
    );
  }

  /** The plaintext, or `undefined` when `data` does not decrypt with this connection's key. */
  async decrypt(data: Uint8Array): Promise<Uint8Array | undefined> {
    return this.crypto.aes256gcmDecrypt(this.encryptionKey, data);
  }

  /** HMAC-SHA256(fulfillmentKey, encrypted data). */
  async fulfillment(encryptedData: Uint8Array): Promise<Uint8Array> {
    return this.crypto.hmacSha256(this.fulfillmentKey, encryptedData);
  }

  /** Fulfillment and condition for a Prepare carrying `encryptedData`. */
  async fulfillmentAndCondition(
    encryptedData: Uint8Array,
  ): Promise<{ fulfillment: Uint8Array; condition: Uint8Array }> {
    const fulfillment = await this.fulfillment(encryptedData);
    return { fulfillment, condition: await this.crypto.sha256(fulfillment) };
  }

  /** The fulfillment for `encryptedData` if its condition matches, else `undefined`. */
  async fulfillmentFor(
    encryptedData: Uint8Array,
    condition: Uint8Array,
  ): Promise<Uint8Array | undefined> {
    const { fulfillment, condition: expected } = await this.fulfillmentAndCondition(encryptedData);
    return constantTimeEqual(expected, condition) ? fulfillment : undefined;
  }
}
