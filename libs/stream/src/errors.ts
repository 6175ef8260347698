/**
 * Typed errors of the STREAM library. Codec failures are ilp-core's `CodecError`; the
 * rest are here, each with a stable machine-readable field to switch on.
 */
import { ErrorCode } from './packet/frames';

/** A shared secret that is not 32 bytes (RFC 29 recommends 32; we require it). */
export class InvalidSharedSecretError extends Error {
  override readonly name = 'InvalidSharedSecretError';
}

/**
 * Why a connection or stream closed, with the STREAM error code sent or received in the
 * ConnectionClose / StreamClose frame (`remote` when the peer closed it).
 */
export class StreamProtocolError extends Error {
  override readonly name = 'StreamProtocolError';

  constructor(
    readonly code: ErrorCode | number,
    message: string,
    readonly remote = false,
  ) {
    super(message);
  }
}

export function isStreamProtocolError(error: unknown): error is StreamProtocolError {
  return error instanceof StreamProtocolError;
}

export type ReceiptErrorReason =
  | 'malformed'
  | 'invalid-version'
  | 'invalid-hmac'
  | 'unknown-nonce'
  | 'expired'
  | 'not-increasing'
  | 'invalid-input';

const RECEIPT_MESSAGES: Record<ReceiptErrorReason, string> = {
  malformed: 'receipt malformed',
  'invalid-version': 'invalid version',
  'invalid-hmac': 'invalid hmac',
  'unknown-nonce': 'unknown receipt nonce',
  expired: 'receipt expired',
  'not-increasing': 'receipt amount not increasing',
  'invalid-input': 'invalid receipt input',
};

/** A receipt that cannot be decoded, verified or credited (RFC 39). */
export class ReceiptError extends Error {
  override readonly name = 'ReceiptError';

  constructor(
    readonly reason: ReceiptErrorReason,
    detail?: string,
  ) {
    super(detail ? `${RECEIPT_MESSAGES[reason]}: ${detail}` : RECEIPT_MESSAGES[reason]);
  }
}

export function isReceiptError(error: unknown): error is ReceiptError {
  return error instanceof ReceiptError;
}
