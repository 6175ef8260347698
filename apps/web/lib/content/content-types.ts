/**
 * The paid-content API as the reading page sees it (`/api/public/*`), typed by hand from the
 * server's views (apps/server/src/content/dto/content-views.dto.ts). Amounts are decimal
 * strings of base units with the asset's scale beside them.
 */

export type PricePer = 'second' | 'view';

export interface Pricing {
  per: PricePer;
  amount: string;
  assetCode: string;
  assetScale: number;
}

/** `GET /api/public/content/[:merchant/]:slug`: never the paid text. */
export interface PublicArticle {
  id: string;
  merchant: { name: string; slug: string };
  slug: string;
  title: string;
  teaser: string[];
  pricing: Pricing;
  paidParagraphs: number;
  externalWallet: boolean;
}

/** `POST /api/public/content/[:merchant/]:slug/sessions`; the token is shown once. */
export interface CreatedReadSession {
  sessionId: string;
  contentId: string;
  token: string;
  paymentPointer: string;
  spspUrl: string;
  monetizationHref: string;
  pricing: Pricing;
  receiptsRequired: boolean;
  heartbeatSeconds: number;
  graceSeconds: number;
}

/** `GET /api/public/sessions/:id/content` and the heartbeat's answer. */
export interface ReadSessionState {
  sessionId: string;
  contentId: string;
  pricing: Pricing;
  paidAmount: string;
  receiptsAmount: string;
  usedSeconds: number;
  secondsBought: string | null;
  remainingSeconds: string | null;
  graceSeconds: number;
  heartbeatSeconds: number;
  active: boolean;
  unlocked: boolean;
  unlockedParagraphs: string[];
  lockedCount: number;
}

/** What the browser keeps to resume a session (the token opens it). */
export interface StoredReadSession {
  sessionId: string;
  token: string;
  monetizationHref: string;
  paymentPointer: string;
  heartbeatSeconds: number;
  receiptsRequired: boolean;
}
