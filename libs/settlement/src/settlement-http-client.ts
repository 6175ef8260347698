/**
 * HTTP clients for both directions of RFC 38: the connector calling its engine
 * ({@link SettlementEngineClient}) and the engine calling its connector
 * ({@link ConnectorSettlementClient}). Plain `fetch`; one attempt per call — callers retry
 * with the same Idempotency-Key when {@link SettlementHttpError.retryable} says so
 * ({@link retrySettlementCall} does that with capped exponential back-off and jitter).
 */
import { serializeQuantity, type Quantity } from './quantity';
import { SettlementErrorCode } from './settlement-error';
import { checkAccountId } from './validation';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const DEFAULT_TIMEOUT_MS = 10_000;

export interface SettlementClientOptions {
  /** Per request, including reading the body. Default 10 s. */
  timeoutMs?: number;
}

/**
 * A call that did not end in the answer we wanted. `status` is undefined when no HTTP answer
 * came (network error, timeout). `retryable` says whether repeating the same request (same
 * key) may succeed: no answer, 5xx, 408, 429, or 409 `idempotency_in_progress`.
 */
export class SettlementHttpError extends Error {
  override readonly name = 'SettlementHttpError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** The `code` of a JSON error body, when there was one. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function retryableStatus(status: number, code: string | undefined): boolean {
  if (status >= 500 || status === 408 || status === 429) return true;
  return status === 409 && code === SettlementErrorCode.IdempotencyInProgress;
}

interface RawAnswer {
  status: number;
  body: Uint8Array;
  contentType: string;
}

class SettlementHttp {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, options: SettlementClientOptions = {}) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new TypeError(`invalid settlement base URL: ${baseUrl}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`settlement base URL must be http(s): ${baseUrl}`);
    }
    this.base = url.toString().replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Uint8Array | string,
  ): Promise<RawAnswer> {
    const what = `${method} ${path}`;
    let response: Response;
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const payload =
        typeof body === 'string' || body === undefined ? body : (body as Uint8Array<ArrayBuffer>);
      response = await fetch(this.base + path, { method, headers, body: payload, signal });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        body: bytes,
        contentType: response.headers.get('content-type') ?? '',
      };
    } catch (error) {
      const timedOut = signal.aborted;
      throw new SettlementHttpError(
        timedOut ? `${what}: no answer within ${this.timeoutMs} ms` : `${what}: ${describe(error)}`,
        true,
        undefined,
        undefined,
        { cause: error },
      );
    }
  }

  fail(method: string, path: string, answer: RawAnswer): SettlementHttpError {
    let code: string | undefined;
    let detail = '';
    const text = new TextDecoder().decode(answer.body.subarray(0, 2048));
    try {
      const json = JSON.parse(text) as { code?: unknown; message?: unknown };
      if (typeof json.code === 'string') code = json.code;
      if (typeof json.message === 'string') detail = json.message;
    } catch {
      detail = text.trim().slice(0, 200);
    }
    return new SettlementHttpError(
      `${method} ${path}: HTTP ${answer.status}${detail ? ` ${detail}` : ''}`,
      retryableStatus(answer.status, code),
      answer.status,
      code,
    );
  }

  async postQuantity(path: string, q: Quantity, idempotencyKey: string): Promise<void> {
    if (!idempotencyKey) throw new TypeError('idempotencyKey is required');
    const answer = await this.request(
      'POST',
      path,
      {
        'content-type': 'application/json',
        accept: 'application/json',
        [IDEMPOTENCY_KEY_HEADER]: idempotencyKey,
      },
      JSON.stringify(serializeQuantity(q)),
    );
    if (answer.status !== 201 && answer.status !== 200) throw this.fail('POST', path, answer);
  }

  async postMessage(path: string, data: Uint8Array): Promise<Uint8Array> {
    const answer = await this.request(
      'POST',
      path,
      { 'content-type': 'application/octet-stream', accept: 'application/octet-stream' },
      data,
    );
    if (answer.status !== 201 && answer.status !== 200) throw this.fail('POST', path, answer);
    return answer.body;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const inner = cause instanceof Error ? `: ${cause.message}` : '';
    return `${error.message}${inner}`;
  }
  return String(error);
}

function accountPath(id: string, suffix = ''): string {
  return `/accounts/${encodeURIComponent(checkAccountId(id))}${suffix}`;
}

/** The connector's side: calls its settlement engine. */
export class SettlementEngineClient {
  private readonly http: SettlementHttp;
  constructor(baseUrl: string, options: SettlementClientOptions = {}) {
    this.http = new SettlementHttp(baseUrl, options);
  }

  /** `POST /accounts`; an account that already exists (200 or 409) counts as created. */
  async createAccount(id: string): Promise<void> {
    checkAccountId(id);
    const answer = await this.http.request(
      'POST',
      '/accounts',
      { 'content-type': 'application/json', accept: 'application/json' },
      JSON.stringify({ id }),
    );
    if (answer.status === 201 || answer.status === 200 || answer.status === 409) return;
    throw this.http.fail('POST', '/accounts', answer);
  }

  /** `DELETE /accounts/:id`; an account already gone (404) counts as deleted. */
  async deleteAccount(id: string): Promise<void> {
    const path = accountPath(id);
    const answer = await this.http.request('DELETE', path, {});
    if (answer.status === 204 || answer.status === 200 || answer.status === 404) return;
    throw this.http.fail('DELETE', path, answer);
  }

  /** `POST /accounts/:id/settlements`: pay the peer `q` on the engine's ledger. */
  async settle(id: string, q: Quantity, idempotencyKey: string): Promise<void> {
    return this.http.postQuantity(accountPath(id, '/settlements'), q, idempotencyKey);
  }

  /** `POST /accounts/:id/messages`: hand the engine a message from the peer's engine. */
  async sendMessage(id: string, data: Uint8Array): Promise<Uint8Array> {
    return this.http.postMessage(accountPath(id, '/messages'), data);
  }
}

/** The engine's side: calls its connector. */
export class ConnectorSettlementClient {
  private readonly http: SettlementHttp;
  constructor(baseUrl: string, options: SettlementClientOptions = {}) {
    this.http = new SettlementHttp(baseUrl, options);
  }

  /** `POST /accounts/:id/settlements`: the peer paid us `q`; credit its account. */
  async creditSettlement(id: string, q: Quantity, idempotencyKey: string): Promise<void> {
    return this.http.postQuantity(accountPath(id, '/settlements'), q, idempotencyKey);
  }

  /** `POST /accounts/:id/messages`: send bytes to the peer's engine, get its reply. */
  async sendMessage(id: string, data: Uint8Array): Promise<Uint8Array> {
    return this.http.postMessage(accountPath(id, '/messages'), data);
  }
}

export interface RetryOptions {
  /** Give up after this many attempts (default: never). */
  maxAttempts?: number;
  /** First delay, doubled each attempt. Default 100 ms. */
  baseDelayMs?: number;
  /** Cap of the delay; RFC 38 asks for at most one hour. Default 60 s. */
  maxDelayMs?: number;
  /** Stops the retries (the pending wait ends at once). */
  signal?: AbortSignal;
  onRetry?: (error: SettlementHttpError, attempt: number, delayMs: number) => void;
}

/** Delay before retry number `attempt` (1-based): full jitter over a capped exponential. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * Runs `call` until it succeeds, throws something not retryable, or `maxAttempts` /
 * `signal` end it. The call must reuse its Idempotency-Key on every attempt.
 */
export async function retrySettlementCall<T>(
  call: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const base = options.baseDelayMs ?? 100;
  const max = Math.min(options.maxDelayMs ?? 60_000, 3_600_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable = error instanceof SettlementHttpError && error.retryable;
      if (!retryable || attempt === options.maxAttempts || options.signal?.aborted) throw error;
      const delay = backoffDelay(attempt, base, max);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
