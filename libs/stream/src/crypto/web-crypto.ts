/**
 * {@link StreamCrypto} over Web Crypto (`globalThis.crypto.subtle`): the implementation
 * browsers use, and a portable fallback in Node ≥ 20. Everything is async. Web Crypto's
 * AES-GCM output is ciphertext ‖ tag, so it is rearranged into STREAM's IV ‖ tag ‖ ciphertext.
 */
import {
  AES_GCM_IV_LENGTH,
  AES_GCM_TAG_LENGTH,
  ENCRYPTION_OVERHEAD,
  StreamCrypto,
  StreamCryptoKey,
} from './stream-crypto';

type Bytes = Uint8Array<ArrayBuffer>;

/** Web Crypto accepts only views of a plain ArrayBuffer: copy anything else (rare). */
function source(bytes: Uint8Array): Bytes {
  return (bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice()) as Bytes;
}

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;

export class WebStreamCrypto implements StreamCrypto {
  readonly name = 'web-crypto';
  private readonly subtle: SubtleCrypto;
  private readonly webCrypto: Crypto;

  constructor(webCrypto: Crypto | undefined = (globalThis as { crypto?: Crypto }).crypto) {
    if (!webCrypto?.subtle) {
      throw new Error('Web Crypto (globalThis.crypto.subtle) is not available');
    }
    this.webCrypto = webCrypto;
    this.subtle = webCrypto.subtle;
  }

  randomBytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 65_536) {
      this.webCrypto.getRandomValues(out.subarray(i, Math.min(length, i + 65_536)));
    }
    return out;
  }

  async sha256(data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await this.subtle.digest('SHA-256', source(data)));
  }

  async importHmacKey(raw: Uint8Array): Promise<StreamCryptoKey> {
    const key = await this.subtle.importKey('raw', source(raw), HMAC, false, ['sign']);
    return key as unknown as StreamCryptoKey;
  }

  async hmacSha256(key: StreamCryptoKey | Uint8Array, data: Uint8Array): Promise<Uint8Array> {
    const cryptoKey = (key instanceof Uint8Array
      ? await this.importHmacKey(key)
      : key) as unknown as CryptoKey;
    return new Uint8Array(await this.subtle.sign('HMAC', cryptoKey, source(data)));
  }

  async importAesKey(raw: Uint8Array): Promise<StreamCryptoKey> {
    const key = await this.subtle.importKey('raw', source(raw), 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
    return key as unknown as StreamCryptoKey;
  }

  async aes256gcmEncrypt(
    key: StreamCryptoKey,
    iv: Uint8Array,
    plaintext: Uint8Array,
  ): Promise<Uint8Array> {
    const sealed = new Uint8Array(
      await this.subtle.encrypt(
        { name: 'AES-GCM', iv: source(iv), tagLength: AES_GCM_TAG_LENGTH * 8 },
        key as unknown as CryptoKey,
        source(plaintext),
      ),
    );
    const ctLength = sealed.length - AES_GCM_TAG_LENGTH;
    const out = new Uint8Array(ENCRYPTION_OVERHEAD + ctLength);
    out.set(iv, 0);
    out.set(sealed.subarray(ctLength), AES_GCM_IV_LENGTH);
    out.set(sealed.subarray(0, ctLength), ENCRYPTION_OVERHEAD);
    return out;
  }

  async aes256gcmDecrypt(key: StreamCryptoKey, data: Uint8Array): Promise<Uint8Array | undefined> {
    if (!(data instanceof Uint8Array) || data.length < ENCRYPTION_OVERHEAD) return undefined;
    const ctLength = data.length - ENCRYPTION_OVERHEAD;
    const sealed = new Uint8Array(ctLength + AES_GCM_TAG_LENGTH);
    sealed.set(data.subarray(ENCRYPTION_OVERHEAD), 0);
    sealed.set(data.subarray(AES_GCM_IV_LENGTH, ENCRYPTION_OVERHEAD), ctLength);
    try {
      const plain = await this.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: data.slice(0, AES_GCM_IV_LENGTH),
          tagLength: AES_GCM_TAG_LENGTH * 8,
        },
        key as unknown as CryptoKey,
        sealed,
      );
      return new Uint8Array(plain);
    } catch {
      return undefined;
    }
  }
}
