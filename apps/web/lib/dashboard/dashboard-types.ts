/**
 * The merchant API as the dashboard reads it, typed by hand from the server's views
 * (`/api/me`, `/api/dashboard/*`, `/api/invoices`, `/api/payments`, `/api/content`). Amounts
 * are decimal strings of base units with the asset's scale beside them.
 */
import type { InvoiceStatus } from '../api/types';
import type { Pricing } from '../content/content-types';

/** `GET /api/me`. */
export interface MerchantProfile {
  id: string;
  name: string;
  slug: string;
  assetCode: string;
  assetScale: number;
  createdAt: string;
}

/** `GET /api/dashboard/summary`. */
export interface DashboardSummary {
  assetCode: string;
  assetScale: number;
  received: { total: string; payments: number };
  today: { received: string; payments: number; since: string };
  invoices: Record<InvoiceStatus, { count: number; amount: string }>;
}

export type RevenueBucket = 'minute' | 'hour' | 'day';

/** `GET /api/dashboard/revenue`: every bucket present, empty ones with "0". */
export interface RevenueSeries {
  bucket: RevenueBucket;
  from: string;
  to: string;
  assetCode: string;
  assetScale: number;
  total: string;
  buckets: { start: string; amount: string; payments: number }[];
}

/** One page of a cursor-paged list. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** An invoice in `GET /api/invoices` and `POST /api/invoices`. */
export interface MerchantInvoice {
  id: string;
  amount: string;
  received: string;
  assetCode: string;
  assetScale: number;
  description: string;
  status: InvoiceStatus;
  expiresAt: string;
  paidAt: string | null;
  createdAt: string;
  paymentPointer: string;
  spspUrl: string;
}

/** `GET /api/payments`: what one STREAM connection delivered. */
export interface MerchantPayment {
  id: string;
  /** What was paid: the merchant's pointer, an invoice, or an article's reading session. */
  kind?: 'pointer' | 'invoice' | 'session' | 'other';
  invoiceId: string | null;
  amount: string;
  assetCode: string;
  assetScale: number;
  firstAt: string;
  lastAt: string;
}

/** `GET /api/dashboard/peers` (the node owner's merchant only). */
export interface PeerAccount {
  id: string;
  relation: string;
  assetCode: string;
  assetScale: number;
  ilpAddress: string | null;
  balance: string;
  reservedIncoming: string;
  reservedOutgoing: string;
  connected: boolean;
}

/** `GET /api/dashboard/settlements` (the node owner's merchant only). */
export interface SettlementRecord {
  id: string;
  accountId: string;
  direction: 'outgoing' | 'incoming';
  state: 'queued' | 'sent' | 'confirmed' | 'failed';
  amount: string;
  assetCode: string;
  assetScale: number;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** `GET|POST /api/content`: an article as its merchant sees it. */
export interface MerchantArticle {
  id: string;
  slug: string;
  title: string;
  teaser: string[];
  paragraphs: string[];
  pricing: Pricing;
  externalPointer: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InvoiceFilter {
  status?: InvoiceStatus;
  from?: string;
  to?: string;
}

export interface PaymentFilter {
  invoiceId?: string;
  from?: string;
  to?: string;
}

export interface NewInvoice {
  amount: string;
  description?: string;
  expiresAt?: string;
}

export interface NewArticle {
  slug: string;
  title: string;
  teaser: string[];
  paragraphs: string[];
  pricing: { per: 'second' | 'view'; amount: string };
}
