/** Checks shared by the clients and the HTTP handlers: account ids and Idempotency-Keys. */
import { SettlementError, SettlementErrorCode } from './settlement-error';

/** RFC 38 account ids are URL-safe: RFC 3986 unreserved characters only. */
const ACCOUNT_ID = /^[A-Za-z0-9._~-]{1,128}$/;
/** Visible ASCII, so a key can sit in a header and a log line unchanged. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export function isValidAccountId(id: unknown): id is string {
  return typeof id === 'string' && ACCOUNT_ID.test(id) && id !== '.' && id !== '..';
}

export function checkAccountId(id: unknown, field = 'account id'): string {
  if (!isValidAccountId(id)) {
    throw new SettlementError(
      SettlementErrorCode.InvalidAccountId,
      `${field} must be 1 to 128 URL-safe characters (A-Z a-z 0-9 . _ ~ -)`,
    );
  }
  return id;
}

export function checkIdempotencyKey(key: string | string[] | undefined): string {
  if (key === undefined || key === '') {
    throw new SettlementError(
      SettlementErrorCode.MissingIdempotencyKey,
      'Idempotency-Key header is required',
    );
  }
  if (Array.isArray(key) || !IDEMPOTENCY_KEY.test(key)) {
    throw new SettlementError(
      SettlementErrorCode.InvalidIdempotencyKey,
      'Idempotency-Key must be one header of 1 to 200 visible ASCII characters',
    );
  }
  return key;
}
