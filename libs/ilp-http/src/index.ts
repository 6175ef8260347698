/**
 * @tollgate/ilp-http — ILP over HTTP, RFC 35 synchronous mode (draft 2), for Node.
 *
 * A Prepare is `POST`ed as an OER packet (`application/octet-stream`) with
 * `Authorization: Bearer <token>`; the response is `200` with the Fulfill or Reject. HTTP
 * errors mean transport problems only (401, 400, 413, 415, 5xx). This is what every running
 * implementation speaks (Rafiki, interledger-rs, ilp-plugin-http), although the current
 * RFC text describes only the asynchronous mode (202 + `Callback-Url`/`Request-Id`), which
 * is left for later (no peer here speaks it).
 *
 * Implementation convention, not RFC: the `ILP-Peer-Name` request header naming the
 * sending account (ilp-plugin-http, interledger-relay); we also accept ilp-plugin-http's
 * `application/ilp+octet-stream` request type. HTTP → ILP error codes follow interledger-rs.
 *
 * - Server: {@link IlpHttpHandler} (framework-free) and a streaming `node:http` adapter.
 * - Client: {@link IlpHttpClient} with its own bounded keep-alive pool.
 */

// server
export {
  IlpHttpHandler,
  type HandlePacket,
  type IlpHttpAdmission,
  type IlpHttpHandlerOptions,
  type IlpHttpHeaders,
  type IlpHttpRequest,
  type IlpHttpResponse,
} from './ilp-http-handler';
export {
  createIlpHttpRequestListener,
  handleNodeRequest,
  type IlpHttpListenerOptions,
} from './node-adapter';
export {
  createStaticAuthenticator,
  parseBearerToken,
  type Authenticate,
  type StaticAccount,
} from './bearer-auth';

// client
export { IlpHttpClient, type IlpHttpClientOptions } from './ilp-http-client';

// limits and names
export {
  ACCEPTED_CONTENT_TYPES,
  ILP_CONTENT_TYPE,
  MAX_PREPARE_SIZE,
  MAX_REPLY_SIZE,
  PEER_NAME_HEADER,
} from './ilp-http-limits';
