/**
 * The server side of ILP over HTTP (RFC 35 synchronous mode), framework-free: it sees only
 * the method, the lowercased headers and the body bytes, and returns status, headers and
 * body. HTTP statuses are for transport problems (auth, media type, size, unparseable
 * body); anything that goes wrong with a packet the node understood is a Reject with 200.
 *
 * The work is split in two phases so a streaming adapter (see `node-adapter.ts`) can refuse
 * a request from its headers alone — before reading, let alone buffering, the body.
 */
import {
  CodecError,
  deserializeIlpReply,
  deserializePrepare,
  isValidIlpAddress,
  rejectFrom,
  serializeReject,
  type IlpPrepare,
} from '@tollgate/ilp-core';
import { parseBearerToken, type Authenticate } from './bearer-auth';
import { ACCEPTED_CONTENT_TYPES, ILP_CONTENT_TYPE, MAX_PREPARE_SIZE } from './ilp-http-limits';

/** Header values as Node (and most frameworks) expose them, names lowercased. */
export type IlpHttpHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface IlpHttpRequest {
  method: string;
  headers: IlpHttpHeaders;
  body: Uint8Array;
}

export interface IlpHttpResponse {
  status: number;
  /** Lowercased names. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * Handles an authenticated Prepare and returns the serialized Fulfill or Reject. `prepare`
 * is the decoded form of `bytes` (already validated here), passed along so the connector
 * need not decode the packet a second time. Throwing an `IlpError` yields a Reject with its
 * code; throwing anything else yields T00.
 */
export type HandlePacket = (
  accountId: string,
  bytes: Uint8Array,
  prepare: IlpPrepare,
) => Promise<Uint8Array>;

export interface IlpHttpHandlerOptions {
  authenticate: Authenticate;
  handlePacket: HandlePacket;
  /**
   * This node's ILP address, the `triggeredBy` of the Rejects produced here. A function for
   * nodes that learn their address later (ILDCP).
   */
  nodeAddress: string | (() => string);
  /** Told about failures of `authenticate` / `handlePacket` (for logs; must not throw). */
  onError?: (error: unknown, context: { accountId?: string }) => void;
}

/** Outcome of the header phase: go on and read the body, or answer at once. */
export type IlpHttpAdmission =
  | {
      readonly ok: true;
      readonly accountId: string;
      /** Declared `Content-Length` (already checked against the limit), if any. */
      readonly contentLength: number | undefined;
    }
  | { readonly ok: false; readonly response: IlpHttpResponse };

const encoder = new TextEncoder();
const MAX_REASON_LENGTH = 200;

function textResponse(
  status: number,
  reason: string,
  extra?: Record<string, string>,
): IlpHttpResponse {
  const text =
    reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...extra },
    body: encoder.encode(text),
  };
}

const UNAUTHORIZED = (): IlpHttpResponse =>
  textResponse(401, 'unauthorized', { 'www-authenticate': 'Bearer' });
/** 413: the body is longer than any ILP Prepare can be. */
export function payloadTooLarge(): IlpHttpResponse {
  return textResponse(413, `body exceeds ${MAX_PREPARE_SIZE} bytes, the largest ILP Prepare`);
}

function header(headers: IlpHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The declared body length: a number, `undefined` when absent, `NaN` when malformed. */
function contentLength(headers: IlpHttpHeaders): number | undefined {
  const value = header(headers, 'content-length');
  if (value === undefined) return undefined;
  return /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}

function mediaType(value: string): string {
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

export class IlpHttpHandler {
  private readonly authenticate: Authenticate;
  private readonly handlePacket: HandlePacket;
  private readonly nodeAddress: () => string;
  private readonly onError: (error: unknown, context: { accountId?: string }) => void;

  constructor(options: IlpHttpHandlerOptions) {
    const { nodeAddress } = options;
    if (typeof nodeAddress === 'string' && nodeAddress !== '' && !isValidIlpAddress(nodeAddress)) {
      throw new TypeError(`nodeAddress ${JSON.stringify(nodeAddress)} is not a valid ILP address`);
    }
    this.authenticate = options.authenticate;
    this.handlePacket = options.handlePacket;
    this.nodeAddress = typeof nodeAddress === 'string' ? () => nodeAddress : nodeAddress;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Both phases over a body the framework has already read. Never throws. */
  async handle(request: IlpHttpRequest): Promise<IlpHttpResponse> {
    const admission = await this.admit(request.method, request.headers);
    if (!admission.ok) return admission.response;
    return this.handleBody(admission.accountId, request.body);
  }

  /**
   * Header phase. Syntax is checked before the (possibly slow) credential lookup:
   * method → Authorization shape → Content-Type → Content-Length → authenticate().
   * A missing header and a wrong token get the same 401. Never throws.
   */
  async admit(method: string, headers: IlpHttpHeaders): Promise<IlpHttpAdmission> {
    if (method.toUpperCase() !== 'POST') {
      return refuse(textResponse(405, 'method not allowed: use POST', { allow: 'POST' }));
    }
    const token = parseBearerToken(header(headers, 'authorization'));
    if (token === undefined) return refuse(UNAUTHORIZED());

    // RFC 9110 §8.3: without Content-Type a recipient may assume application/octet-stream.
    const type = header(headers, 'content-type');
    if (type !== undefined && !ACCEPTED_CONTENT_TYPES.includes(mediaType(type))) {
      return refuse(textResponse(415, `unsupported media type: send ${ILP_CONTENT_TYPE}`));
    }

    const length = contentLength(headers);
    if (length !== undefined && Number.isNaN(length)) {
      return refuse(textResponse(400, 'malformed Content-Length'));
    }
    if (length !== undefined && length > MAX_PREPARE_SIZE) return refuse(payloadTooLarge());

    const peerName = header(headers, 'ilp-peer-name')?.trim() || undefined;
    let accountId: string | undefined;
    try {
      accountId = await this.authenticate(token, peerName);
    } catch (error) {
      // The credential store failed, not the peer: a 5xx tells it to retry (client: T01).
      this.onError(error, {});
      return refuse(textResponse(503, 'authentication unavailable'));
    }
    if (typeof accountId !== 'string' || accountId === '') return refuse(UNAUTHORIZED());
    return { ok: true, accountId, contentLength: length };
  }

  /**
   * Body phase for an admitted request: 400 for anything that is not a valid Prepare, else
   * 200 with whatever `handlePacket` answers — or a Reject if it throws. Never throws.
   */
  async handleBody(accountId: string, body: Uint8Array): Promise<IlpHttpResponse> {
    if (body.length === 0) return textResponse(400, 'empty body: expected an ILP Prepare');
    if (body.length > MAX_PREPARE_SIZE) return payloadTooLarge();
    let prepare: IlpPrepare;
    try {
      prepare = deserializePrepare(body);
    } catch (error) {
      const reason = error instanceof CodecError ? error.message : 'unreadable packet';
      return textResponse(400, `invalid ILP Prepare: ${reason}`);
    }

    let reply: Uint8Array;
    try {
      reply = await this.handlePacket(accountId, body, prepare);
      if (!isValidReply(reply)) {
        throw new TypeError('handlePacket returned something other than a Fulfill or Reject');
      }
    } catch (error) {
      this.onError(error, { accountId });
      reply = this.reject(error);
    }
    return { status: 200, headers: { 'content-type': ILP_CONTENT_TYPE }, body: reply };
  }

  private reject(error: unknown): Uint8Array {
    let triggeredBy = '';
    try {
      const address = this.nodeAddress();
      if (isValidIlpAddress(address)) triggeredBy = address;
    } catch {
      // an address we cannot learn must not turn a Reject into a 500
    }
    return serializeReject(rejectFrom(error, triggeredBy));
  }
}

function refuse(response: IlpHttpResponse): IlpHttpAdmission {
  return { ok: false, response };
}

// A full (zero-copy) decode, not just the type byte: a connector bug must reach the peer
// as a T00 Reject, never as bytes its decoder chokes on. It costs about as much as
// decoding the Prepare did.
function isValidReply(reply: unknown): reply is Uint8Array {
  if (!(reply instanceof Uint8Array)) return false;
  try {
    deserializeIlpReply(reply);
    return true;
  } catch {
    return false;
  }
}
