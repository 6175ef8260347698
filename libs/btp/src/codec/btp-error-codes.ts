/**
 * BTP error codes (RFC 23 §"Error Codes") and {@link BtpProtocolError}, the one error type
 * this library uses for failures that travel in a BTP Error packet. T = retry after a
 * back-off; F = do not retry the same request.
 */

export enum BtpErrorCode {
  T00_UNREACHABLE = 'T00',
  F00_NOT_ACCEPTED = 'F00',
  F01_INVALID_FIELDS = 'F01',
  F03_TRANSFER_NOT_FOUND = 'F03',
  F04_INVALID_FULFILLMENT = 'F04',
  F05_DUPLICATE_ID = 'F05',
  F06_ALREADY_ROLLED_BACK = 'F06',
  F07_ALREADY_FULFILLED = 'F07',
  F08_INSUFFICIENT_BALANCE = 'F08',
}

/** The `name` RFC 23 pairs with each code. */
export const BTP_ERROR_NAMES: Readonly<Record<BtpErrorCode, string>> = {
  T00: 'UnreachableError',
  F00: 'NotAcceptedError',
  F01: 'InvalidFieldsError',
  F03: 'TransferNotFoundError',
  F04: 'InvalidFulfillmentError',
  F05: 'DuplicateIdError',
  F06: 'AlreadyRolledBackError',
  F07: 'AlreadyFulfilledError',
  F08: 'InsufficientBalanceError',
};

/**
 * A BTP-level failure: what a handler throws to choose the Error packet sent back, and what
 * a request rejects with when the peer answered with an Error (then `code`, `btpName` and
 * `data` are the peer's, and `triggeredAt` its timestamp).
 */
export class BtpProtocolError extends Error {
  override readonly name = 'BtpProtocolError';

  constructor(
    /** Three IA5 characters; the RFC 23 codes are in {@link BtpErrorCode}. */
    readonly code: BtpErrorCode | string,
    message: string,
    readonly btpName: string = BTP_ERROR_NAMES[code as BtpErrorCode] ?? 'UnknownError',
    readonly data: Uint8Array = new TextEncoder().encode(message),
    readonly triggeredAt?: Date,
  ) {
    super(message);
  }

  /** F codes are final; T (and anything else) temporary. */
  get isFinal(): boolean {
    return this.code.startsWith('F');
  }
}

export function isBtpProtocolError(error: unknown): error is BtpProtocolError {
  return error instanceof BtpProtocolError;
}
