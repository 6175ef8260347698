/**
 * The dashboard's gateway to the merchant API, from the browser. Calls go to this web
 * server's own `/dashboard/api/*` (see merchant-proxy.ts), which forwards them with the
 * merchant's key: the API keeps its merchant routes same-origin, and the key never leaves
 * the page except in that header. Failures are the foundation's {@link ApiError}s; a route
 * this node does not have is `not-found` with no error code, which sections show as
 * "not available on this node".
 */
import { requestJson } from '../api/client';
import type {
  DashboardSummary,
  InvoiceFilter,
  MerchantArticle,
  MerchantInvoice,
  MerchantPayment,
  MerchantProfile,
  NewArticle,
  NewInvoice,
  Page,
  PaymentFilter,
  PeerAccount,
  RevenueBucket,
  RevenueSeries,
  SettlementRecord,
} from './dashboard-types';

export const DASHBOARD_API_BASE = '/dashboard/api';

export interface DashboardApi {
  me(): Promise<MerchantProfile>;
  summary(): Promise<DashboardSummary>;
  revenue(bucket: RevenueBucket, from: Date, to: Date): Promise<RevenueSeries>;
  invoices(filter: InvoiceFilter, cursor?: string, limit?: number): Promise<Page<MerchantInvoice>>;
  payments(filter: PaymentFilter, cursor?: string, limit?: number): Promise<Page<MerchantPayment>>;
  peers(): Promise<PeerAccount[]>;
  settlements(): Promise<Page<SettlementRecord>>;
  articles(): Promise<{ data: MerchantArticle[] }>;
  createInvoice(invoice: NewInvoice, idempotencyKey: string): Promise<MerchantInvoice>;
  createArticle(article: NewArticle): Promise<MerchantArticle>;
}

export function createDashboardApi(apiKey: string, base = DASHBOARD_API_BASE): DashboardApi {
  const call = <T>(path: string, init: RequestInit = {}): Promise<T> =>
    requestJson<T>(
      `${base}${path}`,
      { ...init, headers: { authorization: `Bearer ${apiKey}`, ...init.headers } },
      { timeoutMs: 15_000, unreachable: 'The dashboard cannot reach the web server.' },
    );

  const query = (values: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) {
      if (value !== undefined && value !== '') params.set(name, String(value));
    }
    const text = params.toString();
    return text ? `?${text}` : '';
  };
  const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

  return {
    me: () => call('/me'),
    summary: () => call('/dashboard/summary'),
    revenue: (bucket, from, to) =>
      call(
        `/dashboard/revenue${query({ bucket, from: from.toISOString(), to: to.toISOString() })}`,
      ),
    invoices: (filter, cursor, limit = 10) =>
      call(`/invoices${query({ ...filter, cursor, limit })}`),
    payments: (filter, cursor, limit = 10) =>
      call(`/payments${query({ ...filter, cursor, limit })}`),
    peers: () => call('/dashboard/peers'),
    settlements: () => call(`/dashboard/settlements${query({ limit: 20 })}`),
    articles: () => call('/content'),
    createInvoice: (invoice, idempotencyKey) =>
      call('/invoices', post(invoice, { 'idempotency-key': idempotencyKey })),
    createArticle: (article) => call('/content', post(article)),
  };
}
