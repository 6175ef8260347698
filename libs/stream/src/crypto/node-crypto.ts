/**
 * {@link StreamCrypto} over `node:crypto`: synchronous (each call returns its value, not a
 * promise), several times faster than Web Crypto per packet in Node. Reached only through
 * the package's `node` entry file, so browser bundles never see `node:crypto`.
 */
import {
  KeyObject,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  randomFillSync,
} from 'node:crypto';
import {
  AES_GCM_IV_LENGTH,
  AES_GCM_TAG_LENGTH,
  ENCRYPTION_OVERHEAD,
  StreamCrypto,
  StreamCryptoKey,
} from './stream-crypto';

/** A plain Uint8Array view of a Buffer (no copy), so callers never see Buffer semantics. */
function plain(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function keyObject(key: StreamCryptoKey | Uint8Array): KeyObject {
  return key instanceof Uint8Array ? createSecretKey(key) : (key as unknown as KeyObject);
}

export class NodeStreamCrypto implements StreamCrypto {
  readonly name = 'node-crypto';

  randomBytes(length: number): Uint8Array {
    return randomFillSync(new Uint8Array(length));
  }

  sha256(data: Uint8Array): Uint8Array {
    return plain(createHash('sha256').update(data).digest());
  }

  importHmacKey(raw: Uint8Array): StreamCryptoKey {
    return createSecretKey(raw) as unknown as StreamCryptoKey;
  }

  hmacSha256(key: StreamCryptoKey | Uint8Array, data: Uint8Array): Uint8Array {
    return plain(createHmac('sha256', keyObject(key)).update(data).digest());
  }

  importAesKey(raw: Uint8Array): StreamCryptoKey {
    return createSecretKey(raw) as unknown as StreamCryptoKey;
  }

  aes256gcmEncrypt(key: StreamCryptoKey, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const cipher = createCipheriv('aes-256-gcm', keyObject(key), iv, {
      authTagLength: AES_GCM_TAG_LENGTH,
    });
    const out = new Uint8Array(ENCRYPTION_OVERHEAD + plaintext.length);
    const body = cipher.update(plaintext);
    const rest = cipher.final();
    out.set(iv, 0);
    out.set(cipher.getAuthTag(), AES_GCM_IV_LENGTH);
    out.set(body, ENCRYPTION_OVERHEAD);
    if (rest.length > 0) out.set(rest, ENCRYPTION_OVERHEAD + body.length);
    return out;
  }

  aes256gcmDecrypt(key: StreamCryptoKey, data: Uint8Array): Uint8Array | undefined {
    if (!(data instanceof Uint8Array) || data.length < ENCRYPTION_OVERHEAD) return undefined;
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        keyObject(key),
        data.subarray(0, AES_GCM_IV_LENGTH),
        { authTagLength: AES_GCM_TAG_LENGTH },
      );
      decipher.setAuthTag(data.subarray(AES_GCM_IV_LENGTH, ENCRYPTION_OVERHEAD));
      const body = decipher.update(data.subarray(ENCRYPTION_OVERHEAD));
      const rest = decipher.final();
      if (rest.length === 0) return plain(body);
      const out = new Uint8Array(body.length + rest.length);
      out.set(body, 0);
      out.set(rest, body.length);
      return out;
    } catch {
      return undefined;
    }
  }
}
