/**
 * How the client turns a failed HTTP exchange into an ILP error, so the connector can send
 * its upstream a Reject. Based on interledger-rs (FACTS §7.1): HTTP 4xx → F02, 5xx → T01,
 * network error → T00, unreadable body → T01; our additions are marked below.
 */
import { IlpError, IlpErrorCode } from '@tollgate/ilp-core';

/**
 * Failures that happen before any byte reached the peer (DNS, refused, unroutable):
 * "route exists but the next hop could not be reached" is exactly RFC 27's T01, and the
 * packet was certainly not delivered. interledger-rs says T00 for every network error;
 * both are temporary, so retry behaviour is the same, the code just says more.
 */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
]);

const MAX_DETAIL_LENGTH = 200;

/** HTTP status other than 200 → ILP error. */
export function errorFromStatus(status: number, detail = ''): IlpError {
  const suffix = detail === '' ? '' : `: ${detail.slice(0, MAX_DETAIL_LENGTH)}`;
  const message = `peer answered HTTP ${status}${suffix}`;
  // Ours: a peer that says "slow down" is not unreachable; T05 lets the sender back off
  // and retry instead of giving up on the route as F02 would.
  if (status === 429) return new IlpError(IlpErrorCode.T05_RATE_LIMITED, message);
  // 4xx: the peer will refuse this request as long as our configuration (URL, token) stays
  // the same — final for this packet.
  if (status >= 400 && status < 500) return new IlpError(IlpErrorCode.F02_UNREACHABLE, message);
  // 5xx, and anything RFC 35's synchronous mode never answers (1xx/2xx other than 200, 3xx):
  // a peer that is up but did not give us a reply.
  return new IlpError(IlpErrorCode.T01_PEER_UNREACHABLE, message);
}

/** A socket/DNS/TLS error from `http.request` → ILP error. */
export function errorFromNetwork(error: unknown): IlpError {
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return new IlpError(IlpErrorCode.T01_PEER_UNREACHABLE, `cannot reach peer: ${text}`, {
      cause: error,
    });
  }
  // Reset or hang-up after the request went out: the peer may have acted on it.
  return new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, `HTTP exchange with peer failed: ${text}`, {
    cause: error,
  });
}

export function timeoutError(timeoutMs: number): IlpError {
  return new IlpError(
    IlpErrorCode.R00_TRANSFER_TIMED_OUT,
    `no reply from peer within ${timeoutMs} ms`,
  );
}

export function badReplyError(reason: string, cause?: unknown): IlpError {
  return new IlpError(
    IlpErrorCode.T01_PEER_UNREACHABLE,
    `peer sent no valid ILP reply: ${reason.slice(0, MAX_DETAIL_LENGTH)}`,
    { cause },
  );
}
