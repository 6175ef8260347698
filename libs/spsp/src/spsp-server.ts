/**
 * The receiver side of SPSP, framework-free: given the request's headers and a function that
 * mints STREAM credentials for this receiver, builds the HTTP answer (status, headers, JSON).
 * The app mounts it on `GET /.well-known/pay`, `GET /:merchant`, and per-invoice paths.
 */
import { fromBase64 } from '@tollgate/ilp-core';
import { serializeSpspResponse, SPSP_MEDIA_TYPE, SpspResponse } from './spsp-response';

export interface SpspRequest {
  /** Header names lower-case. */
  headers: Record<string, string | string[] | undefined>;
}

export interface ReceiptRequest {
  /** 16 bytes. */
  nonce: Uint8Array;
  /** 32 bytes. */
  secret: Uint8Array;
}

/**
 * Mints fresh STREAM credentials (a new shared secret per query); undefined when the
 * receiver does not exist. `receipts` is set when the query carried Receipt-Nonce/-Secret.
 * `receipts_enabled` is answered from the resolver's `receiptsEnabled` when it sets one, else
 * from whether the query carried receipt headers.
 */
export type SpspResolver = (
  receipts: ReceiptRequest | undefined,
) => Promise<SpspResponse | undefined>;

export interface SpspHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** CORS for Web Monetization polyfills and browser wallets (FACTS §10.2). */
export const SPSP_CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, OPTIONS',
  'access-control-allow-headers': 'web-monetization-id, receipt-nonce, receipt-secret, accept',
};

const json = (
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): SpspHttpResponse => ({
  status,
  headers: {
    'content-type': SPSP_MEDIA_TYPE,
    'cache-control': 'no-store',
    ...SPSP_CORS_HEADERS,
    ...extra,
  },
  body,
});

/** True when the Accept header asks for SPSP (so a path can also serve HTML to browsers). */
export function acceptsSpsp(accept: string | string[] | undefined): boolean {
  const value = Array.isArray(accept) ? accept.join(',') : (accept ?? '');
  return /application\/spsp4\+json|application\/spsp\+json/i.test(value);
}

export async function handleSpspRequest(
  request: SpspRequest,
  resolve: SpspResolver,
): Promise<SpspHttpResponse> {
  if (!acceptsSpsp(request.headers.accept)) {
    return json(406, {
      id: 'NotAcceptableError',
      message: `Accept must include ${SPSP_MEDIA_TYPE}`,
    });
  }
  const nonceHeader = single(request.headers['receipt-nonce']);
  const secretHeader = single(request.headers['receipt-secret']);
  let receipts: ReceiptRequest | undefined;
  if ((nonceHeader === undefined) !== (secretHeader === undefined)) {
    return json(400, {
      id: 'InvalidReceiptsError',
      message: 'Receipt-Nonce and Receipt-Secret go together',
    });
  }
  if (nonceHeader !== undefined && secretHeader !== undefined) {
    const nonce = decode(nonceHeader);
    const secret = decode(secretHeader);
    if (nonce?.length !== 16 || secret?.length !== 32) {
      return json(400, {
        id: 'InvalidReceiptsError',
        message: 'Receipt-Nonce must be 16 bytes and Receipt-Secret 32 bytes, base64',
      });
    }
    receipts = { nonce, secret };
  }
  const answer = await resolve(receipts);
  if (!answer) return json(404, { id: 'InvalidReceiverError', message: 'Invalid receiver ID' });
  // The resolver may know better (a verifier that asks the receiver for receipts itself).
  return json(
    200,
    serializeSpspResponse({
      ...answer,
      receiptsEnabled: answer.receiptsEnabled ?? receipts !== undefined,
    }),
  );
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function decode(text: string): Uint8Array | undefined {
  try {
    return fromBase64(text.trim());
  } catch {
    return undefined;
  }
}
