/**
 * The one error type of the settlement library: a code to branch on, a message for people,
 * and the HTTP status each code answers with on the RFC 38 APIs.
 */
export enum SettlementErrorCode {
  /** A Quantity that is not `{ amount: "<integer>", scale: 0..255 }`, or amount 0. */
  InvalidQuantity = 'invalid_quantity',
  /** An account id that is not a URL-safe string of 1..128 characters. */
  InvalidAccountId = 'invalid_account_id',
  /** A body that is not the JSON object the route expects. */
  InvalidBody = 'invalid_body',
  MissingIdempotencyKey = 'missing_idempotency_key',
  InvalidIdempotencyKey = 'invalid_idempotency_key',
  /** The Idempotency-Key was already used with another request (other account or amount). */
  IdempotencyConflict = 'idempotency_conflict',
  /** The same Idempotency-Key is being processed right now; retry later with the same key. */
  IdempotencyInProgress = 'idempotency_in_progress',
  AccountNotFound = 'account_not_found',
  AccountExists = 'account_exists',
  /** A peer message the engine does not understand or refuses (bad signature, other chain…). */
  InvalidMessage = 'invalid_message',
  /** The peer (its connector or engine) could not be reached or refused the message. */
  PeerUnreachable = 'peer_unreachable',
  BodyTooLarge = 'body_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  NotFound = 'not_found',
  MethodNotAllowed = 'method_not_allowed',
  Internal = 'internal_error',
}

export const SETTLEMENT_ERROR_STATUS: Record<SettlementErrorCode, number> = {
  [SettlementErrorCode.InvalidQuantity]: 400,
  [SettlementErrorCode.InvalidAccountId]: 400,
  [SettlementErrorCode.InvalidBody]: 400,
  [SettlementErrorCode.MissingIdempotencyKey]: 400,
  [SettlementErrorCode.InvalidIdempotencyKey]: 400,
  [SettlementErrorCode.IdempotencyConflict]: 409,
  [SettlementErrorCode.IdempotencyInProgress]: 409,
  [SettlementErrorCode.AccountNotFound]: 404,
  [SettlementErrorCode.AccountExists]: 409,
  [SettlementErrorCode.InvalidMessage]: 400,
  [SettlementErrorCode.PeerUnreachable]: 502,
  [SettlementErrorCode.BodyTooLarge]: 413,
  [SettlementErrorCode.UnsupportedMediaType]: 415,
  [SettlementErrorCode.NotFound]: 404,
  [SettlementErrorCode.MethodNotAllowed]: 405,
  [SettlementErrorCode.Internal]: 500,
};

/** String literal form of the codes, for callers that compare against plain strings. */
export type SettlementErrorCodeValue = `${SettlementErrorCode}`;

export class SettlementError extends Error {
  override readonly name = 'SettlementError';
  readonly code: SettlementErrorCode;
  constructor(
    code: SettlementErrorCode | SettlementErrorCodeValue,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? defaultMessage(code as SettlementErrorCode), options);
    this.code = code as SettlementErrorCode;
  }

  get status(): number {
    return SETTLEMENT_ERROR_STATUS[this.code] ?? 500;
  }
}

function defaultMessage(code: SettlementErrorCode): string {
  switch (code) {
    case SettlementErrorCode.AccountNotFound:
      return 'account not found';
    case SettlementErrorCode.AccountExists:
      return 'account already exists';
    case SettlementErrorCode.InvalidMessage:
      return 'message not understood';
    case SettlementErrorCode.IdempotencyConflict:
      return 'Idempotency-Key is tied to another request';
    case SettlementErrorCode.IdempotencyInProgress:
      return 'a request with this Idempotency-Key is still being processed';
    default:
      return code;
  }
}
