/**
 * The SPSP response body (RFC 9, with RFC 39's `receipts_enabled`): where to send STREAM
 * packets and the 32-byte shared secret. Unknown fields are ignored, as the RFC requires.
 */
import { fromBase64, isValidIlpAddress, toBase64 } from '@tollgate/ilp-core';
import { SpspError, SpspErrorCode } from './spsp-error';

export const SPSP_MEDIA_TYPE = 'application/spsp4+json';
/** What clients send: the current type first, the older one as a fallback. */
export const SPSP_ACCEPT = 'application/spsp4+json, application/spsp+json';

export interface SpspResponse {
  destinationAccount: string;
  /** Exactly 32 bytes. */
  sharedSecret: Uint8Array;
  /** True when the receiver will put STREAM receipts in its Fulfills. */
  receiptsEnabled?: boolean;
}

export interface SpspResponseJson {
  destination_account: string;
  shared_secret: string;
  receipts_enabled?: boolean;
}

/** Standard padded base64, as the RFC recommends. */
export function serializeSpspResponse(response: SpspResponse): SpspResponseJson {
  if (response.sharedSecret.length !== 32) {
    throw new RangeError(`shared secret must be 32 bytes, not ${response.sharedSecret.length}`);
  }
  const json: SpspResponseJson = {
    destination_account: response.destinationAccount,
    shared_secret: toBase64(response.sharedSecret),
  };
  if (response.receiptsEnabled !== undefined) json.receipts_enabled = response.receiptsEnabled;
  return json;
}

/** Validates a parsed body; the secret may be base64 or base64url, padded or not. */
export function parseSpspResponse(body: unknown): SpspResponse {
  const bad = (why: string): never => {
    throw new SpspError(SpspErrorCode.InvalidResponse, `invalid SPSP response: ${why}`);
  };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) bad('not a JSON object');
  const json = body as Record<string, unknown>;
  const destination = json.destination_account;
  if (typeof destination !== 'string' || !isValidIlpAddress(destination)) {
    bad('destination_account is not a valid ILP address');
  }
  if (typeof json.shared_secret !== 'string') bad('shared_secret is missing');
  let secret: Uint8Array;
  try {
    secret = fromBase64(json.shared_secret as string);
  } catch {
    return bad('shared_secret is not base64');
  }
  if (secret.length !== 32) bad(`shared_secret must decode to 32 bytes, not ${secret.length}`);
  const response: SpspResponse = {
    destinationAccount: destination as string,
    sharedSecret: secret,
  };
  if (json.receipts_enabled !== undefined) {
    if (typeof json.receipts_enabled !== 'boolean') bad('receipts_enabled must be a boolean');
    response.receiptsEnabled = json.receipts_enabled as boolean;
  }
  return response;
}
