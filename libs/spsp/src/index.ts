/**
 * @tollgate/spsp — the Simple Payment Setup Protocol (RFC 9) and payment pointers (RFC 26).
 *
 * - Payment pointers: `$host/path` → `https://host/path`, `$host` → `https://host/.well-known/pay`.
 * - Client: `querySpsp(pointer)` → `{ destinationAccount, sharedSecret, receiptsEnabled }` for
 *   a STREAM connection; accepts base64 and base64url secrets, padded or not.
 * - Server: `handleSpspRequest(request, resolve)` builds the `application/spsp4+json` answer,
 *   with RFC 39 `Receipt-Nonce` / `Receipt-Secret` handling and CORS for browser wallets.
 *
 * Plain TypeScript over the platform `fetch`: runs in Node and in browsers.
 */
export { SpspError, SpspErrorCode } from './spsp-error';
export {
  WELL_KNOWN_PAY,
  isPaymentPointer,
  resolvePaymentPointer,
  spspEndpoint,
  toPaymentPointer,
  type ResolveOptions,
} from './payment-pointer';
export {
  SPSP_ACCEPT,
  SPSP_MEDIA_TYPE,
  parseSpspResponse,
  serializeSpspResponse,
  type SpspResponse,
  type SpspResponseJson,
} from './spsp-response';
export { querySpsp, type QueryOptions } from './spsp-client';
export {
  SPSP_CORS_HEADERS,
  acceptsSpsp,
  handleSpspRequest,
  type ReceiptRequest,
  type SpspHttpResponse,
  type SpspRequest,
  type SpspResolver,
} from './spsp-server';
