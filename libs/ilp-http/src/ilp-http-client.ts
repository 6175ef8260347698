/**
 * The client side of ILP over HTTP (RFC 35 synchronous mode): POST a Prepare, get the
 * Fulfill or Reject back in the response body. Each client owns its own keep-alive agent
 * with a bounded pool, so one slow peer can neither starve other peers' connections nor
 * make us open unbounded sockets to it. Every failure is an `IlpError` (see
 * `http-error-mapping.ts`) ready for the connector to turn into a Reject.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import {
  deserializeIlpReply,
  IlpError,
  IlpErrorCode,
  IlpPacketType,
  Reader,
} from '@tollgate/ilp-core';
import {
  badReplyError,
  errorFromNetwork,
  errorFromStatus,
  timeoutError,
} from './http-error-mapping';
import { ILP_CONTENT_TYPE, MAX_REPLY_SIZE, PEER_NAME_HEADER } from './ilp-http-limits';

export interface IlpHttpClientOptions {
  /** The peer's ILP-over-HTTP endpoint, e.g. `http://peer:8080/ilp` (http or https). */
  url: string | URL;
  /** Our outgoing bearer token for this peer. */
  token: string;
  /** Sent as `ILP-Peer-Name` (implementation convention): our account name at the peer. */
  peerName?: string;
  /** Most connections open to the peer at once (default 32). Further sends queue. */
  maxSockets?: number;
  /** Most idle connections kept for reuse (default: `maxSockets`). */
  maxFreeSockets?: number;
  /**
   * How long an idle connection stays in the pool (default 15 s), also the TCP keep-alive
   * probe delay. A Node peer's `Keep-Alive: timeout=N` hint shortens it automatically.
   */
  keepAliveMs?: number;
  /**
   * Upper bound on one exchange (default 30 s, ilp-connector's maxHoldTime). Without an
   * explicit per-call timeout, the Prepare's own expiry shortens it.
   */
  timeoutMs?: number;
  /** TLS settings for https URLs (custom CA, client certificate …). */
  tls?: Pick<https.AgentOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;
}

const DEFAULT_MAX_SOCKETS = 32;
const DEFAULT_KEEP_ALIVE_MS = 15_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
// Status text worth keeping for the error message; the rest of an error body is discarded.
const MAX_ERROR_TEXT = 256;

export class IlpHttpClient {
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;
  private readonly target: http.RequestOptions;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly timeoutMs: number;
  private readonly inFlight = new Set<http.ClientRequest>();
  private closed = false;

  constructor(options: IlpHttpClientOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`ILP-over-HTTP URL must be http or https, got ${url.protocol}`);
    }
    if (url.username !== '' || url.password !== '') {
      throw new TypeError('ILP-over-HTTP URL must not carry credentials; use `token`');
    }
    const maxSockets = positiveInteger(options.maxSockets ?? DEFAULT_MAX_SOCKETS, 'maxSockets');
    const maxFreeSockets = positiveInteger(options.maxFreeSockets ?? maxSockets, 'maxFreeSockets');
    const keepAliveMs = positiveInteger(
      options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
      'keepAliveMs',
    );
    this.timeoutMs = positiveInteger(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');

    const agentOptions: http.AgentOptions = {
      keepAlive: true,
      keepAliveMsecs: keepAliveMs,
      maxSockets,
      // per-origin and total are the same here: one client talks to one origin
      maxTotalSockets: maxSockets,
      maxFreeSockets,
      // idle sockets are closed after this long (Node applies it to free sockets only)
      timeout: keepAliveMs,
      // reuse the most recent socket so surplus ones go idle and time out after a burst
      scheduling: 'lifo',
    };
    const secure = url.protocol === 'https:';
    this.agent = secure
      ? new https.Agent({ ...agentOptions, ...options.tls })
      : new http.Agent(agentOptions);
    this.request = secure ? https.request : http.request;
    this.target = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      agent: this.agent,
    };

    const headers: Record<string, string> = {
      'content-type': ILP_CONTENT_TYPE,
      accept: ILP_CONTENT_TYPE,
      authorization: `Bearer ${options.token}`,
    };
    if (options.peerName !== undefined) headers[PEER_NAME_HEADER.toLowerCase()] = options.peerName;
    // fail at construction, not on the first packet, if a value cannot be a header
    for (const [name, value] of Object.entries(headers)) http.validateHeaderValue(name, value);
    if (options.token === '') throw new TypeError('token must not be empty');
    this.headers = headers;
  }

  /**
   * Sends a serialized Prepare and resolves with the serialized Fulfill or Reject the peer
   * answered. `timeoutMs` overrides the timeout; otherwise it is the time left until the
   * Prepare expires, at most the client's `timeoutMs`. Rejects only with `IlpError`:
   * R00 on timeout (or an already expired Prepare, which is not sent), F02 for HTTP 4xx,
   * T05 for 429, T01 for 5xx / unreachable peer / a body that is not a Fulfill or Reject,
   * T00 for a connection that fails mid-exchange. Does not check the fulfillment against
   * the condition: that is the connector's job.
   */
  send(prepare: Uint8Array, timeoutMs?: number): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(clientClosed());
    if (!(prepare instanceof Uint8Array) || prepare.length === 0) {
      return Promise.reject(
        new IlpError(IlpErrorCode.F01_INVALID_PACKET, 'send() needs a serialized Prepare'),
      );
    }
    // setTimeout fires at once for delays above 2^31 − 1 ms; no Prepare lives that long
    const timeout = Math.min(timeoutMs ?? this.timeoutFor(prepare), MAX_TIMER_MS);
    if (!(timeout > 0)) {
      return Promise.reject(
        new IlpError(IlpErrorCode.R00_TRANSFER_TIMED_OUT, 'Prepare expired before it was sent'),
      );
    }

    return new Promise<Uint8Array>((resolve, reject) => {
      let settled = false;
      const req = this.request({
        ...this.target,
        headers: { ...this.headers, 'content-length': String(prepare.length) },
      });
      this.inFlight.add(req);
      const timer = setTimeout(() => abort(timeoutError(timeout)), timeout);

      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(req);
        return true;
      };
      // Ends the exchange early: the socket cannot be reused mid-response, so it goes.
      const abort = (error: IlpError): void => {
        if (!finish()) return;
        req.destroy();
        reject(error);
      };

      // close() destroys our requests: say so rather than report a network failure
      const failed = (error: unknown): void =>
        abort(this.closed ? clientClosed() : errorFromNetwork(error));
      req.on('error', failed);
      req.on('close', () => failed(new Error('connection closed before the reply arrived')));
      req.on('response', (res) => {
        res.on('error', failed);
        if (res.statusCode !== 200) {
          const status = res.statusCode ?? 0;
          readErrorText(
            res,
            (text) => {
              if (finish()) reject(errorFromStatus(status, text));
            },
            () => abort(errorFromStatus(status, 'error body too large')),
          );
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (declared > MAX_REPLY_SIZE) {
          abort(badReplyError(`body of ${declared} bytes is larger than any ILP reply`));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > MAX_REPLY_SIZE) {
            abort(badReplyError(`body is larger than any ILP reply (${MAX_REPLY_SIZE} bytes)`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
          const problem = replyProblem(body);
          if (!finish()) return;
          if (problem === undefined) resolve(body);
          else reject(problem);
        });
      });
      req.end(prepare);
    });
  }

  /** Destroys the pool and fails every exchange still in flight (T01). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Requests still queued for a socket would otherwise open new ones once the pool's
    // sockets are destroyed.
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
    this.agent.destroy();
  }

  /** Time left until the Prepare expires, capped at the client's timeout. */
  private timeoutFor(prepare: Uint8Array): number {
    const expiresAt = prepareExpiry(prepare);
    if (expiresAt === undefined) return this.timeoutMs;
    return Math.min(this.timeoutMs, expiresAt - Date.now());
  }
}

function clientClosed(): IlpError {
  return new IlpError(IlpErrorCode.T01_PEER_UNREACHABLE, 'client is closed');
}

/**
 * The expiry of a serialized Prepare, read in place (type, length, 8-byte amount, then the
 * 17-digit timestamp) rather than decoding the whole packet; `undefined` if unreadable —
 * then the peer, not this transport, gets to say the packet is bad.
 */
function prepareExpiry(prepare: Uint8Array): number | undefined {
  if (!(prepare instanceof Uint8Array) || prepare[0] !== IlpPacketType.Prepare) return undefined;
  try {
    const reader = new Reader(prepare, 1);
    reader.readLength('Prepare');
    reader.skip(8, 'amount');
    return reader.readIlpTimestampMs('expiresAt');
  } catch {
    return undefined;
  }
}

/** `undefined` when `body` is a valid Fulfill or Reject, else the error to throw. */
function replyProblem(body: Uint8Array): IlpError | undefined {
  try {
    deserializeIlpReply(body);
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable';
    return badReplyError(body.length === 0 ? 'empty body' : reason, error);
  }
}

/**
 * Collects the start of an error body for the message and reads the rest to its end, so
 * the connection goes back to the pool instead of being torn down.
 */
function readErrorText(
  res: http.IncomingMessage,
  done: (text: string) => void,
  tooLarge: () => void,
): void {
  let text = '';
  let total = 0;
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    total += chunk.length;
    // an error page is worth draining to keep the connection, a flood is not
    if (total > MAX_REPLY_SIZE) tooLarge();
    else if (text.length < MAX_ERROR_TEXT) text += chunk.slice(0, MAX_ERROR_TEXT - text.length);
  });
  res.on('end', () => done(text.trim()));
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
