/**
 * The two RFC 38 HTTP surfaces as framework-free request → response functions, plus a
 * `node:http` adapter: the engine's API (called by its connector) and the connector's API
 * (called by its engine). Input is validated before anything runs (400 naming the field,
 * 413 for oversized bodies, 415 for non-JSON settlements); settlement POSTs go through the
 * {@link IdempotencyStore}; handler errors become `{ statusCode, code, message }` bodies.
 * Unexpected failures answer 500 without details (and reach `onError`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestFingerprint, type IdempotencyStore, type StoredResponse } from './idempotency';
import { parseQuantity, serializeQuantity, type Quantity } from './quantity';
import { SettlementError, SettlementErrorCode } from './settlement-error';
import { checkAccountId, checkIdempotencyKey } from './validation';

/** JSON bodies are a Quantity or `{ id }`: a few hundred bytes. */
export const MAX_JSON_BODY = 16 * 1024;
/** Messages travel in ILP packet data, which cannot exceed 32767 bytes. */
export const MAX_MESSAGE_BODY = 32 * 1024;

export interface SettlementHttpRequest {
  method: string;
  /** Path with optional query, e.g. `/accounts/alice/settlements`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export interface SettlementHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** One request in, one response out; never rejects. */
export type SettlementApi = (request: SettlementHttpRequest) => Promise<SettlementHttpResponse>;

export interface SettlementApiOptions {
  /** How long a request waits for another one running with the same key. Default 5 s. */
  inProgressWaitMs?: number;
  /** Called with every unexpected error (answered 500), for logging. */
  onError?: (error: unknown, request: { method: string; url: string }) => void;
}

/**
 * What the connector does for its engine. `credit` should itself be idempotent per
 * `idempotencyKey` (e.g. the key stored in a unique column in the same transaction as the
 * balance change): the idempotency store and the handler are not one transaction, so a
 * crash between the two re-runs the handler once the pending key is stale.
 */
export interface ConnectorSettlementHandlers {
  /** The peer paid us `q` on the engine's ledger: credit its account. */
  credit(accountId: string, q: Quantity, idempotencyKey: string): Promise<void>;
  /** Relay to the peer's engine; resolve with its reply. */
  message(accountId: string, data: Uint8Array): Promise<Uint8Array>;
}

export interface EngineHandlers {
  createAccount(id: string): Promise<void>;
  deleteAccount(id: string): Promise<void>;
  settle(id: string, q: Quantity, idempotencyKey: string): Promise<void>;
  receiveMessage(id: string, data: Uint8Array): Promise<Uint8Array>;
}

/** Scopes of the idempotency keys; the two sides never share keys. */
export const ENGINE_SETTLE_SCOPE = 'engine.settlements';
export const CONNECTOR_CREDIT_SCOPE = 'connector.settlements';

type RouteKind = 'json' | 'bytes' | 'none';

interface Route {
  kind: RouteKind;
  run(request: SettlementHttpRequest): Promise<SettlementHttpResponse>;
}

type Resolve = (method: string, segments: string[]) => Route | SettlementError;

const encoder = new TextEncoder();

function jsonResponse(status: number, value: unknown, extra: Record<string, string> = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra },
    body: encoder.encode(JSON.stringify(value)),
  };
}

export function errorResponse(error: SettlementError): SettlementHttpResponse {
  const extra: Record<string, string> =
    error.code === SettlementErrorCode.IdempotencyInProgress ? { 'retry-after': '1' } : {};
  return jsonResponse(
    error.status,
    { statusCode: error.status, code: error.code, message: error.message },
    extra,
  );
}

function internalError(): SettlementHttpResponse {
  return jsonResponse(500, {
    statusCode: 500,
    code: SettlementErrorCode.Internal,
    message: 'internal error',
  });
}

function header(request: SettlementHttpRequest, name: string): string | string[] | undefined {
  return request.headers[name] ?? request.headers[name.toLowerCase()];
}

function readJson(request: SettlementHttpRequest, what: string): unknown {
  const type = header(request, 'content-type');
  if (typeof type === 'string' && type !== '' && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new SettlementError(
      SettlementErrorCode.UnsupportedMediaType,
      `Content-Type must be application/json`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(request.body);
    return JSON.parse(text);
  } catch {
    throw new SettlementError(SettlementErrorCode.InvalidBody, `body must be a JSON ${what}`);
  }
}

function readSettlementQuantity(request: SettlementHttpRequest): Quantity {
  const q = parseQuantity(readJson(request, 'Quantity { amount, scale }'));
  if (q.amount === 0n) {
    throw new SettlementError(SettlementErrorCode.InvalidQuantity, 'amount must be greater than 0');
  }
  return q;
}

/** Splits `/a/b%2Fc?x` into decoded segments; a badly encoded segment is an invalid id. */
function splitPath(url: string): string[] {
  const path = url.split('?', 1)[0].split('#', 1)[0];
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return '\u0000';
      }
    });
}

/** Shared flow of a settlement POST: validate, then run once per Idempotency-Key. */
function idempotentQuantityRoute(
  store: IdempotencyStore,
  scope: string,
  accountSegment: string,
  run: (accountId: string, q: Quantity, key: string) => Promise<void>,
  waitMs: number,
): Route {
  return {
    kind: 'json',
    async run(request) {
      const accountId = checkAccountId(accountSegment);
      const key = checkIdempotencyKey(header(request, 'idempotency-key'));
      const q = readSettlementQuantity(request);
      const fingerprint = requestFingerprint(accountId, q.amount.toString(), String(q.scale));
      const deadline = Date.now() + waitMs;
      for (;;) {
        const begun = await store.begin(scope, key, fingerprint);
        if (begun.kind === 'conflict') {
          throw new SettlementError(
            SettlementErrorCode.IdempotencyConflict,
            'Idempotency-Key is tied to another request (other account or Quantity)',
          );
        }
        if (begun.kind === 'replay') return replay(begun.response);
        if (begun.kind === 'new') break;
        if (Date.now() >= deadline) {
          throw new SettlementError(SettlementErrorCode.IdempotencyInProgress);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      let response: SettlementHttpResponse;
      try {
        await run(accountId, q, key);
        response = jsonResponse(201, serializeQuantity(q));
      } catch (error) {
        // Nothing was done (or it is safe to redo): let a retry with this key run again.
        await store.release(scope, key).catch(() => undefined);
        throw error;
      }
      const stored: StoredResponse = {
        status: response.status,
        body: new TextDecoder().decode(response.body),
      };
      await store.complete(scope, key, stored);
      return response;
    },
  };
}

function replay(stored: StoredResponse): SettlementHttpResponse {
  return {
    status: stored.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'idempotent-replayed': 'true' },
    body: encoder.encode(stored.body),
  };
}

function messageRoute(
  accountSegment: string,
  run: (accountId: string, data: Uint8Array) => Promise<Uint8Array>,
): Route {
  return {
    kind: 'bytes',
    async run(request) {
      const accountId = checkAccountId(accountSegment);
      const reply = await run(accountId, request.body);
      return {
        status: 201,
        headers: { 'content-type': 'application/octet-stream' },
        body: reply,
      };
    },
  };
}

function notFound(): SettlementError {
  return new SettlementError(SettlementErrorCode.NotFound, 'no such route');
}

function methodNotAllowed(allowed: string): SettlementError {
  return new SettlementError(
    SettlementErrorCode.MethodNotAllowed,
    `method not allowed; use ${allowed}`,
  );
}

function engineRoutes(h: EngineHandlers, store: IdempotencyStore, waitMs: number): Resolve {
  return (method, s) => {
    if (s[0] !== 'accounts') return notFound();
    if (s.length === 1) {
      if (method !== 'POST') return methodNotAllowed('POST');
      return {
        kind: 'json',
        async run(request) {
          const body = readJson(request, 'object { id }');
          if (typeof body !== 'object' || body === null || Array.isArray(body)) {
            throw new SettlementError(
              SettlementErrorCode.InvalidBody,
              'body must be { "id": "<account id>" }',
            );
          }
          const id = checkAccountId((body as { id?: unknown }).id, 'id');
          await h.createAccount(id);
          return jsonResponse(201, { id });
        },
      };
    }
    if (s.length === 2) {
      if (method !== 'DELETE') return methodNotAllowed('DELETE');
      return {
        kind: 'none',
        async run() {
          await h.deleteAccount(checkAccountId(s[1]));
          return { status: 204, headers: {}, body: new Uint8Array(0) };
        },
      };
    }
    if (s.length === 3 && (s[2] === 'settlements' || s[2] === 'messages')) {
      if (method !== 'POST') return methodNotAllowed('POST');
      return s[2] === 'settlements'
        ? idempotentQuantityRoute(
            store,
            ENGINE_SETTLE_SCOPE,
            s[1],
            (id, q, key) => h.settle(id, q, key),
            waitMs,
          )
        : messageRoute(s[1], (id, data) => h.receiveMessage(id, data));
    }
    return notFound();
  };
}

function connectorRoutes(
  h: ConnectorSettlementHandlers,
  store: IdempotencyStore,
  waitMs: number,
): Resolve {
  return (method, s) => {
    if (s[0] !== 'accounts' || s.length !== 3) return notFound();
    if (s[2] !== 'settlements' && s[2] !== 'messages') return notFound();
    if (method !== 'POST') return methodNotAllowed('POST');
    return s[2] === 'settlements'
      ? idempotentQuantityRoute(
          store,
          CONNECTOR_CREDIT_SCOPE,
          s[1],
          (id, q, key) => h.credit(id, q, key),
          waitMs,
        )
      : messageRoute(s[1], (id, data) => h.message(id, data));
  };
}

function bodyLimit(kind: RouteKind): number {
  return kind === 'bytes' ? MAX_MESSAGE_BODY : MAX_JSON_BODY;
}

function toApi(
  resolve: Resolve,
  options: SettlementApiOptions,
): SettlementApi & { route: Resolve } {
  const api = async (request: SettlementHttpRequest): Promise<SettlementHttpResponse> => {
    try {
      const route = resolve(request.method.toUpperCase(), splitPath(request.url));
      if (route instanceof SettlementError) throw route;
      if (request.body.byteLength > bodyLimit(route.kind)) {
        throw new SettlementError(
          SettlementErrorCode.BodyTooLarge,
          `body larger than ${bodyLimit(route.kind)} bytes`,
        );
      }
      return await route.run(request);
    } catch (error) {
      if (error instanceof SettlementError && error.code !== SettlementErrorCode.Internal) {
        return errorResponse(error);
      }
      options.onError?.(error, { method: request.method, url: request.url });
      return internalError();
    }
  };
  return Object.assign(api, { route: resolve });
}

/** The engine's RFC 38 API as a function (for tests and other transports). */
export function createEngineApi(
  h: EngineHandlers,
  store: IdempotencyStore,
  options: SettlementApiOptions = {},
): SettlementApi {
  return toApi(engineRoutes(h, store, options.inProgressWaitMs ?? 5000), options);
}

/** The connector's engine-facing RFC 38 API as a function. */
export function createConnectorApi(
  h: ConnectorSettlementHandlers,
  store: IdempotencyStore,
  options: SettlementApiOptions = {},
): SettlementApi {
  return toApi(connectorRoutes(h, store, options.inProgressWaitMs ?? 5000), options);
}

export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * `POST /accounts`, `DELETE /accounts/:id`, `POST /accounts/:id/settlements` and
 * `POST /accounts/:id/messages` for `http.createServer` (or an Express/Nest mount placed
 * before any body parser).
 */
export function createEngineApiHandler(
  h: EngineHandlers,
  store: IdempotencyStore,
  options: SettlementApiOptions = {},
): NodeRequestListener {
  return nodeListener(toApi(engineRoutes(h, store, options.inProgressWaitMs ?? 5000), options));
}

/** `POST /accounts/:id/settlements` and `POST /accounts/:id/messages` for `node:http`. */
export function createConnectorApiHandler(
  h: ConnectorSettlementHandlers,
  store: IdempotencyStore,
  options: SettlementApiOptions = {},
): NodeRequestListener {
  return nodeListener(toApi(connectorRoutes(h, store, options.inProgressWaitMs ?? 5000), options));
}

function nodeListener(api: SettlementApi & { route: Resolve }): NodeRequestListener {
  return (req, res) => {
    void serveNode(api, req, res);
  };
}

async function serveNode(
  api: SettlementApi & { route: Resolve },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // A client leaving mid-body makes `req` emit 'error': not our failure.
  req.on('error', () => undefined);
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  try {
    const route = api.route(method, splitPath(url));
    if (route instanceof SettlementError) {
      refuseUnread(req, res, errorResponse(route), MAX_JSON_BODY);
      return;
    }
    const limit = bodyLimit(route.kind);
    const declared = req.headers['content-length'];
    if (declared !== undefined && !(Number(declared) <= limit)) {
      const tooLarge = new SettlementError(
        SettlementErrorCode.BodyTooLarge,
        `body larger than ${limit} bytes`,
      );
      send(res, errorResponse(tooLarge), true);
      return;
    }
    const body = await readCapped(req, limit);
    if (body === 'aborted') return;
    if (body === 'too-large') {
      const tooLarge = new SettlementError(
        SettlementErrorCode.BodyTooLarge,
        `body larger than ${limit} bytes`,
      );
      send(res, errorResponse(tooLarge), true);
      return;
    }
    send(res, await api({ method, url, headers: req.headers, body }));
  } catch {
    send(res, internalError());
  }
}

/** Answers without reading the body; a big or unbounded upload is cut off rather than drained. */
function refuseUnread(
  req: IncomingMessage,
  res: ServerResponse,
  response: SettlementHttpResponse,
  limit: number,
): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= limit)) {
    send(res, response, true);
    return;
  }
  if (declared === undefined && req.headers['transfer-encoding'] !== undefined) {
    let discarded = 0;
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > limit) req.destroy();
    });
  }
  send(res, response);
}

function readCapped(
  req: IncomingMessage,
  limit: number,
): Promise<Uint8Array | 'too-large' | 'aborted'> {
  if (req.destroyed) return Promise.resolve('aborted');
  if (req.readableEnded) return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (outcome: Uint8Array | 'too-large' | 'aborted'): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limit) {
        req.pause();
        finish('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(new Uint8Array(Buffer.concat(chunks, total)));
    const onClose = (): void => finish('aborted');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

function send(res: ServerResponse, response: SettlementHttpResponse, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...response.headers };
  headers['content-length'] = response.body.byteLength;
  if (close) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(response.body);
}
