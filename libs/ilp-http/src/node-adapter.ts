/**
 * Runs an {@link IlpHttpHandler} on a `node:http` request: headers are judged first, then the
 * body is streamed with a hard cap, so an oversized or unauthenticated upload is refused
 * without ever being buffered. Works with any framework that hands over Node's `req`/`res`
 * with the body still unread (Express/Nest: mount it before any body parser).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  IlpHttpHandler,
  type IlpHttpHandlerOptions,
  payloadTooLarge,
  type IlpHttpResponse,
} from './ilp-http-handler';
import { MAX_PREPARE_SIZE } from './ilp-http-limits';

export interface IlpHttpListenerOptions {
  /** Only this path (query ignored) is served; others get 404. Default: every path. */
  path?: string;
}

const TOO_LARGE = 'too-large';
const ABORTED = 'aborted';
type BodyOutcome = Uint8Array | typeof TOO_LARGE | typeof ABORTED;

const noop = (): void => undefined;

/**
 * Answers one request. Never rejects: a failure of our own after admission becomes a 500
 * only if no answer has been started (the handler itself turns packet failures into
 * Rejects).
 */
export async function handleNodeRequest(
  handler: IlpHttpHandler,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // A client that goes away mid-body makes `req` emit 'error'; that is not our failure.
  req.on('error', noop);
  try {
    const admission = await handler.admit(req.method ?? '', req.headers);
    if (!admission.ok) {
      refuseUnread(req, res, admission.response);
      return;
    }
    const body = await readCapped(req, MAX_PREPARE_SIZE);
    if (body === ABORTED) return;
    if (body === TOO_LARGE) {
      // We stop reading here; closing is the only way to be rid of the rest of the upload.
      send(res, payloadTooLarge(), true);
      return;
    }
    send(res, await handler.handleBody(admission.accountId, body));
  } catch {
    send(res, {
      status: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: new TextEncoder().encode('internal error'),
    });
  }
}

/** A `(req, res)` listener for `http.createServer` (or `https`). */
export function createIlpHttpRequestListener(
  handler: IlpHttpHandler | IlpHttpHandlerOptions,
  options: IlpHttpListenerOptions = {},
): RequestListener {
  const ilp = handler instanceof IlpHttpHandler ? handler : new IlpHttpHandler(handler);
  const { path } = options;
  return (req, res) => {
    if (path !== undefined && (req.url ?? '').split('?', 1)[0] !== path) {
      refuseUnread(req, res, {
        status: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: new TextEncoder().encode('not found'),
      });
      return;
    }
    void handleNodeRequest(ilp, req, res);
  };
}

/**
 * Answers before the body was read. A small declared body is left to Node, which discards
 * it and keeps the connection for the next request. A declared body above the limit is not
 * read at all: answer and close. A chunked body of unknown size is discarded up to the
 * limit, so the answer is not lost to a reset, and the connection is cut beyond it.
 */
function refuseUnread(req: IncomingMessage, res: ServerResponse, response: IlpHttpResponse): void {
  const declared = req.headers['content-length'];
  const chunked = declared === undefined && req.headers['transfer-encoding'] !== undefined;
  if (declared !== undefined && !(Number(declared) <= MAX_PREPARE_SIZE)) {
    send(res, response, true);
    return;
  }
  if (chunked) {
    let discarded = 0;
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > MAX_PREPARE_SIZE) req.destroy();
    });
  }
  send(res, response);
}

/** Reads the whole body, stopping (and pausing the stream) as soon as it exceeds `limit`. */
function readCapped(req: IncomingMessage, limit: number): Promise<BodyOutcome> {
  // Already consumed by a body parser or already gone: nothing left to read.
  if (req.destroyed) return Promise.resolve(ABORTED);
  if (req.readableEnded) return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (outcome: BodyOutcome): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limit) {
        req.pause();
        done(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    // 'close' before 'end' means the client went away mid-body.
    const onClose = (): void => done(ABORTED);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

function send(res: ServerResponse, response: IlpHttpResponse, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = {
    ...response.headers,
    'content-length': response.body.length,
  };
  if (close) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(response.body);
}
