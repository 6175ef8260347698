/**
 * The shapes of the Tollgate API the front end reads, typed by hand from the server's
 * OpenAPI document (`/api/docs/json`) and views. Amounts are decimal strings of base units.
 */

export type InvoiceStatus = 'open' | 'paid' | 'expired';

/** `GET /api/checkout/:id` and each `invoice` event of `/api/checkout/:id/events`. */
export interface CheckoutInvoice {
  id: string;
  merchant: { name: string; slug: string };
  amount: string;
  received: string;
  assetCode: string;
  assetScale: number;
  description: string;
  status: InvoiceStatus;
  expiresAt: string;
  paidAt: string | null;
  createdAt: string;
  /** `$host/<merchant>/invoices/<id>`, for any ILP wallet. */
  paymentPointer: string;
  spspUrl: string;
}

export type WalletEntryKind = 'top-up' | 'payment' | 'received' | 'adjustment';

export interface WalletHistoryEntry {
  kind: WalletEntryKind;
  /** Signed base units. */
  amount: string;
  at: string;
}

/** `GET /api/demo/wallets/:id`. */
export interface DemoWallet {
  id: string;
  ilpAddress: string;
  assetCode: string;
  assetScale: number;
  balance: string;
  topUpAmount: string;
  maxBalance: string;
  history: WalletHistoryEntry[];
}

/** What the browser keeps (localStorage) to use its wallet. */
export interface WalletCredentials {
  id: string;
  token: string;
}

/** The error body every API route answers with. */
export interface ApiErrorBody {
  statusCode: number;
  code?: string;
  message: string | string[];
}

/** `GET /api/demo`: the node offers demo wallets, on these terms (base units as strings). */
export interface DemoInfo {
  enabled: true;
  assetCode: string;
  assetScale: number;
  topUpAmount: string;
  maxBalance: string;
}
