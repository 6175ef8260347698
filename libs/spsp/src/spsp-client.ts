/**
 * Queries an SPSP endpoint (RFC 9): resolves a payment pointer, asks for
 * `application/spsp4+json`, and validates the answer. Uses the platform `fetch`, so it runs
 * in Node 18+ and in browsers.
 */
import { spspEndpoint, ResolveOptions } from './payment-pointer';
import { SpspError, SpspErrorCode } from './spsp-error';
import { parseSpspResponse, SPSP_ACCEPT, SpspResponse } from './spsp-response';

export interface QueryOptions extends ResolveOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** For a receipt verifier proxying the query (RFC 39): base64 16-byte nonce and 32-byte secret. */
  receiptNonce?: string;
  receiptSecret?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export async function querySpsp(
  pointerOrUrl: string,
  options: QueryOptions = {},
): Promise<SpspResponse> {
  const url = spspEndpoint(pointerOrUrl, options);
  const headers: Record<string, string> = { accept: SPSP_ACCEPT };
  if (options.receiptNonce !== undefined) headers['receipt-nonce'] = options.receiptNonce;
  if (options.receiptSecret !== undefined) headers['receipt-secret'] = options.receiptSecret;
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      headers,
      redirect: 'follow',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new SpspError(
      SpspErrorCode.Network,
      `SPSP query to ${url} failed: ${(error as Error).message}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  if (response.status === 404) {
    throw new SpspError(SpspErrorCode.NotFound, `no SPSP receiver at ${url}`, 404);
  }
  if (!response.ok) {
    throw new SpspError(
      SpspErrorCode.Http,
      `SPSP query to ${url} answered ${response.status}`,
      response.status,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new SpspError(
      SpspErrorCode.InvalidResponse,
      `SPSP answer from ${url} is not JSON`,
      response.status,
      {
        cause: error,
      },
    );
  }
  return parseSpspResponse(body);
}
