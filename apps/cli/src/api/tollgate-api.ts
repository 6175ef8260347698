/**
 * The CLI's REST client for a Tollgate server: bearer auth, JSON in and out, and one way of
 * failing. The server's error bodies (`{ statusCode, code, message }`) become a CliError that
 * shows them (4xx → exit "refused", 5xx → "failure"); an unreachable server → "network".
 */
import { CliError } from '../cli-error';
import { ExitCode } from '../exit-codes';

export interface ApiErrorBody {
  statusCode?: number;
  error?: string;
  code?: string;
  message?: string;
}

export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
    message: string,
  ) {
    super(status >= 500 ? ExitCode.Failure : ExitCode.Refused, message);
  }

  /** The server's machine-readable reason (e.g. `idempotency_conflict`), if it gave one. */
  get code(): string | undefined {
    return this.body?.code;
  }
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TollgateApiOptions {
  /** e.g. http://localhost:8080 (no trailing slash). */
  baseUrl: string;
  /** Bearer token: a merchant API key or the admin token. */
  token?: string;
  /** Per-request time limit (ms). Default 30 000. */
  timeoutMs?: number;
}

export class TollgateApi {
  constructor(private readonly options: TollgateApiOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async get<T>(path: string): Promise<T> {
    return (await this.request<T>('GET', path)).body;
  }

  post<T>(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await this.send(method, path, {
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    if (!response.ok) throw httpError(method, path, response.status, text);
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CliError(
          ExitCode.Failure,
          `${method} ${path}: the server at ${this.baseUrl} answered ${response.status} with something that is not JSON (is it a Tollgate server?)`,
        );
      }
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /**
   * Opens a long-lived response (Server-Sent Events) and hands it over once its headers
   * are in; errors as for `request`. No time limit: `signal` ends it.
   */
  async openStream(path: string, signal?: AbortSignal): Promise<Response> {
    const response = await this.send('GET', path, {
      headers: { accept: 'text/event-stream' },
      signal,
    });
    if (!response.ok) throw httpError('GET', path, response.status, await response.text());
    return response;
  }

  private async send(method: string, path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.options.token !== undefined)
      headers.set('authorization', `Bearer ${this.options.token}`);
    try {
      return await fetch(`${this.baseUrl}${path}`, { ...init, method, headers });
    } catch (error) {
      throw new CliError(
        ExitCode.Network,
        `cannot reach the Tollgate server at ${this.baseUrl}: ${describeFetchError(error)}`,
        { cause: error },
      );
    }
  }
}

function httpError(method: string, path: string, status: number, text: string): ApiError {
  let body: ApiErrorBody | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') body = parsed as ApiErrorBody;
  } catch {
    // not JSON: shown as text below
  }
  const what =
    body?.message !== undefined
      ? `${body.message}${body.code !== undefined ? ` (${body.code})` : ''}`
      : text.trim().slice(0, 200) || 'no details';
  return new ApiError(status, body, `${method} ${path}: the server answered ${status}: ${what}`);
}

/** fetch hides the useful part (ECONNREFUSED, ENOTFOUND, a timeout) in `cause`. */
function describeFetchError(error: unknown): string {
  const e = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e.name === 'TimeoutError') return 'no answer in time';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}
