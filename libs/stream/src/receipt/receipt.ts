/**
 * STREAM receipts (RFC 39): 58 bytes proving how much a receiver got on one stream.
 *
 *   version UInt8 (1) ‖ nonce (16) ‖ streamId UInt8 ‖ totalReceived UInt64 ‖
 *   hmac (32) = HMAC-SHA256(receiptSecret, the first 26 bytes)
 *
 * The nonce and 32-byte secret are given to the receiver out of band by the verifier
 * (SPSP `Receipt-Nonce` / `Receipt-Secret` headers, or the receiver's own config).
 */
import { MAX_UINT64, constantTimeEqual } from '@tollgate/ilp-core';
import { StreamCrypto } from '../crypto/stream-crypto';
import { ReceiptError } from '../errors';

export const RECEIPT_VERSION = 1;
export const RECEIPT_LENGTH = 58;
export const RECEIPT_NONCE_LENGTH = 16;
export const RECEIPT_SECRET_LENGTH = 32;
const SIGNED_LENGTH = 26;

export interface ReceiptInput {
  nonce: Uint8Array;
  /** 0..255: the receipt's stream id field is a single byte. */
  streamId: number;
  totalReceived: bigint;
  secret: Uint8Array;
}

export interface Receipt {
  version: number;
  nonce: Uint8Array;
  streamId: number;
  totalReceived: bigint;
  hmac: Uint8Array;
}

function checkInput(input: ReceiptInput): void {
  if (!(input.nonce instanceof Uint8Array) || input.nonce.length !== RECEIPT_NONCE_LENGTH) {
    throw new ReceiptError('invalid-input', `nonce must be ${RECEIPT_NONCE_LENGTH} bytes`);
  }
  if (!(input.secret instanceof Uint8Array) || input.secret.length !== RECEIPT_SECRET_LENGTH) {
    throw new ReceiptError('invalid-input', `secret must be ${RECEIPT_SECRET_LENGTH} bytes`);
  }
  if (!Number.isInteger(input.streamId) || input.streamId < 0 || input.streamId > 255) {
    throw new ReceiptError('invalid-input', `streamId ${input.streamId} does not fit in a byte`);
  }
  if (
    typeof input.totalReceived !== 'bigint' ||
    input.totalReceived < 0n ||
    input.totalReceived > MAX_UINT64
  ) {
    throw new ReceiptError('invalid-input', 'totalReceived must be a UInt64 bigint');
  }
}

/** The 26 signed bytes (everything but the HMAC). */
function signedPart(input: ReceiptInput): Uint8Array {
  const out = new Uint8Array(RECEIPT_LENGTH);
  out[0] = RECEIPT_VERSION;
  out.set(input.nonce, 1);
  out[17] = input.streamId;
  let v = input.totalReceived;
  for (let i = 25; i >= 18; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Builds a 58-byte receipt. Throws ReceiptError('invalid-input') for bad fields. */
export async function createReceipt(
  crypto: StreamCrypto,
  input: ReceiptInput,
): Promise<Uint8Array> {
  checkInput(input);
  const out = signedPart(input);
  out.set(await crypto.hmacSha256(input.secret, out.subarray(0, SIGNED_LENGTH)), SIGNED_LENGTH);
  return out;
}

/**
 * Reads a receipt's fields without checking the HMAC. Throws ReceiptError 'malformed'
 * (length ≠ 58) or 'invalid-version' (version ≠ 1).
 */
export function decodeReceipt(bytes: Uint8Array): Receipt {
  if (!(bytes instanceof Uint8Array) || bytes.length !== RECEIPT_LENGTH) {
    throw new ReceiptError(
      'malformed',
      `length ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`,
    );
  }
  if (bytes[0] !== RECEIPT_VERSION) {
    throw new ReceiptError('invalid-version', `version ${bytes[0]}`);
  }
  let totalReceived = 0n;
  for (let i = 18; i < 26; i++) totalReceived = (totalReceived << 8n) | BigInt(bytes[i]);
  return {
    version: bytes[0],
    nonce: bytes.slice(1, 17),
    streamId: bytes[17],
    totalReceived,
    hmac: bytes.slice(SIGNED_LENGTH, RECEIPT_LENGTH),
  };
}

/**
 * Decodes and checks the HMAC with `secret` (or the secret a function picks for the
 * decoded nonce). Throws ReceiptError 'malformed' / 'invalid-version' / 'invalid-hmac'.
 */
export async function verifyReceipt(
  crypto: StreamCrypto,
  bytes: Uint8Array,
  secret: Uint8Array | ((receipt: Receipt) => Uint8Array | Promise<Uint8Array>),
): Promise<Receipt> {
  const receipt = decodeReceipt(bytes);
  const key = typeof secret === 'function' ? await secret(receipt) : secret;
  const expected = await crypto.hmacSha256(key, bytes.subarray(0, SIGNED_LENGTH));
  if (!constantTimeEqual(expected, receipt.hmac)) throw new ReceiptError('invalid-hmac');
  return receipt;
}
