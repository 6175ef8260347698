/**
 * The one gateway to the Tollgate API, for server components and the browser alike. It
 * normalises every failure into an {@link ApiError} with a `kind` the pages switch on
 * (`not-found` → 404 page, `unreachable` → "the server is down"), so no fetch or HTTP detail
 * reaches a component.
 */
import type {
  ApiErrorBody,
  CheckoutInvoice,
  DemoInfo,
  DemoWallet,
  WalletCredentials,
} from './types';

export type ApiErrorKind = 'not-found' | 'unreachable' | 'unauthorized' | 'refused' | 'disabled';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export interface RequestOptions {
  fetch?: typeof fetch;
  timeoutMs: number;
  /** What to say when no answer came at all. */
  unreachable: string;
}

/**
 * One JSON request with the one error mapping every client in `lib/` shares: no answer →
 * `unreachable`, 404 → `not-found`, 401 → `unauthorized`, 5xx → `unreachable`, other 4xx →
 * `refused`, each with the server's message and code.
 */
export async function requestJson<T>(
  url: string,
  init: RequestInit,
  options: RequestOptions,
): Promise<T> {
  const doFetch = options.fetch ?? ((input, request) => fetch(input, request));
  let response: Response;
  try {
    response = await doFetch(url, {
      ...init,
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: { accept: 'application/json', ...init.headers },
    });
  } catch {
    throw new ApiError('unreachable', options.unreachable);
  }
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => undefined)) as ApiErrorBody | undefined;
  const text = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
  const message = text ?? `The server answered ${response.status}.`;
  if (response.status === 404) throw new ApiError('not-found', message, 404, body?.code);
  if (response.status === 401) throw new ApiError('unauthorized', message, 401, body?.code);
  if (response.status >= 500) throw new ApiError('unreachable', message, response.status);
  throw new ApiError('refused', message, response.status, body?.code);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TollgateApi {
  readonly baseUrl: string;
  checkout(invoiceId: string): Promise<CheckoutInvoice>;
  /** URL of the invoice's Server-Sent Events (`invoice` events with a CheckoutInvoice). */
  checkoutEventsUrl(invoiceId: string): string;
  /** Whether this node offers demo wallets; ApiError `disabled` when it does not. */
  demoInfo(): Promise<DemoInfo>;
  createWallet(): Promise<{ wallet: DemoWallet; token: string }>;
  wallet(credentials: WalletCredentials): Promise<DemoWallet>;
  topUp(credentials: WalletCredentials): Promise<DemoWallet>;
  /** The node's BTP endpoint (`ws://host:port/btp`). */
  btpUrl(): string;
}

export interface ApiOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function createApi(baseUrl: string, options: ApiOptions = {}): TollgateApi {
  const base = baseUrl.replace(/\/+$/, '');
  const requestOptions: RequestOptions = {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? 10_000,
    unreachable: `The Tollgate server at ${base} cannot be reached.`,
  };
  const call = <T>(path: string, init: RequestInit = {}): Promise<T> =>
    requestJson<T>(`${base}${path}`, init, requestOptions);

  const auth = (credentials: WalletCredentials) => ({
    authorization: `Bearer ${credentials.token}`,
  });
  const walletPath = (id: string) => `/api/demo/wallets/${encodeURIComponent(id)}`;
  /** A server without demo wallets answers 404 on the collection itself. */
  const demo = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isApiError(error) && error.kind === 'not-found' && error.code === undefined) {
        throw new ApiError('disabled', 'Demo wallets are turned off on this node.', 404);
      }
      throw error;
    }
  };

  return {
    baseUrl: base,
    async checkout(invoiceId) {
      // The server would answer 400 for a malformed id; to a customer it is simply unknown.
      if (!UUID.test(invoiceId)) throw new ApiError('not-found', 'No such invoice.', 404);
      return call<CheckoutInvoice>(`/api/checkout/${invoiceId}`);
    },
    checkoutEventsUrl: (invoiceId) =>
      `${base}/api/checkout/${encodeURIComponent(invoiceId)}/events`,
    demoInfo: () => demo(() => call<DemoInfo>('/api/demo')),
    createWallet: () =>
      demo(() =>
        call<{ wallet: DemoWallet; token: string }>('/api/demo/wallets', { method: 'POST' }),
      ),
    wallet: (credentials) =>
      demo(() => call<DemoWallet>(walletPath(credentials.id), { headers: auth(credentials) })),
    topUp: (credentials) =>
      demo(() =>
        call<DemoWallet>(`${walletPath(credentials.id)}/top-up`, {
          method: 'POST',
          headers: { ...auth(credentials), 'content-type': 'application/json' },
          body: '{}',
        }),
      ),
    btpUrl: () => `${base.replace(/^http/, 'ws')}/btp`,
  };
}
