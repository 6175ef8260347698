/**
 * Stateless connection tokens (the ilp-protocol-stream server scheme, FACTS §8.1): nothing
 * is stored when an address is handed out. The token carries what the server needs later,
 * encrypted under the server secret:
 *
 *   token        = AES-256-GCM(serverSecret, 18 random bytes ‖ var(connectionTag) ‖
 *                  var(receiptNonce) ‖ var(receiptSecret))          (IV ‖ tag ‖ ciphertext)
 *   destination  = <serverAddress>.<base64url(token)>
 *   sharedSecret = HMAC-SHA256(HMAC-SHA256(serverSecret, "ilp_stream_shared_secret"), token)
 */
import {
  CodecError,
  Reader,
  Writer,
  fromBase64,
  toBase64Url,
  varOctetStringSize,
} from '@tollgate/ilp-core';
import { AES_GCM_IV_LENGTH, StreamCrypto, StreamCryptoKey } from '../crypto/stream-crypto';

export const TOKEN_NONCE_LENGTH = 18;

export interface TokenContents {
  connectionTag: string | undefined;
  receiptNonce: Uint8Array | undefined;
  receiptSecret: Uint8Array | undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function serializeTokenPlaintext(random: Uint8Array, contents: TokenContents): Uint8Array {
  const tag =
    contents.connectionTag === undefined
      ? new Uint8Array(0)
      : encoder.encode(contents.connectionTag);
  const nonce = contents.receiptNonce ?? new Uint8Array(0);
  const secret = contents.receiptSecret ?? new Uint8Array(0);
  const writer = new Writer(
    TOKEN_NONCE_LENGTH +
      varOctetStringSize(tag.length) +
      varOctetStringSize(nonce.length) +
      varOctetStringSize(secret.length),
  );
  writer.writeOctets(random, TOKEN_NONCE_LENGTH, 'token nonce');
  writer.writeVarOctetString(tag, 'connectionTag');
  writer.writeVarOctetString(nonce, 'receiptNonce');
  writer.writeVarOctetString(secret, 'receiptSecret');
  return writer.finish();
}

/** Parses a decrypted token; undefined when it is not one of ours. */
export function deserializeTokenPlaintext(bytes: Uint8Array): TokenContents | undefined {
  try {
    const reader = new Reader(bytes);
    reader.skip(TOKEN_NONCE_LENGTH, 'token nonce');
    const tag = reader.readVarOctetString('connectionTag');
    const nonce = reader.readVarOctetString('receiptNonce');
    const secret = reader.readVarOctetString('receiptSecret');
    return {
      connectionTag: tag.length === 0 ? undefined : decoder.decode(tag),
      receiptNonce: nonce.length === 0 ? undefined : nonce.slice(),
      receiptSecret: secret.length === 0 ? undefined : secret.slice(),
    };
  } catch (error) {
    if (error instanceof CodecError || error instanceof TypeError) return undefined;
    throw error;
  }
}

export async function encryptToken(
  crypto: StreamCrypto,
  key: StreamCryptoKey,
  contents: TokenContents,
): Promise<Uint8Array> {
  const plaintext = serializeTokenPlaintext(crypto.randomBytes(TOKEN_NONCE_LENGTH), contents);
  return crypto.aes256gcmEncrypt(key, crypto.randomBytes(AES_GCM_IV_LENGTH), plaintext);
}

/** The token from an address segment, or undefined if it is not base64url or not ours. */
export async function decryptToken(
  crypto: StreamCrypto,
  key: StreamCryptoKey,
  segment: string,
): Promise<{ token: Uint8Array; contents: TokenContents } | undefined> {
  let token: Uint8Array;
  try {
    token = fromBase64(segment);
  } catch {
    return undefined;
  }
  const plaintext = await crypto.aes256gcmDecrypt(key, token);
  if (plaintext === undefined) return undefined;
  const contents = deserializeTokenPlaintext(plaintext);
  return contents === undefined ? undefined : { token, contents };
}

export function tokenSegment(token: Uint8Array): string {
  return toBase64Url(token);
}
