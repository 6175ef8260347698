/** What the content routes answer (the shapes the reading page and merchants rely on). */
import { PriceViewDto } from './pricing.dto';

/** An article as its merchant sees it, paid paragraphs included. */
export class ContentItemDto {
  id!: string;
  slug!: string;
  title!: string;
  teaser!: string[];
  paragraphs!: string[];
  pricing!: PriceViewDto;
  /** The external wallet that receives the money, or null for this node's own pointer. */
  externalPointer!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class ContentListDto {
  /** Newest first. */
  data!: ContentItemDto[];
}

export class PublicMerchantDto {
  name!: string;
  slug!: string;
}

/** What anyone may see of an article: never its paid text. */
export class PublicContentDto {
  id!: string;
  merchant!: PublicMerchantDto;
  slug!: string;
  title!: string;
  teaser!: string[];
  pricing!: PriceViewDto;
  /** How many paid paragraphs follow the teaser. */
  paidParagraphs!: number;
  /** True when the money goes to a wallet hosted elsewhere (receipts must be posted). */
  externalWallet!: boolean;
}

/** A new paid session. The token is shown once: keep it to read and to resume. */
export class CreatedSessionDto {
  sessionId!: string;
  contentId!: string;
  /** Bearer token for the session's routes. */
  token!: string;
  /** `$host/<merchant>/sessions/<id>`: pay this with any ILP wallet. */
  paymentPointer!: string;
  /** The same pointer as its SPSP endpoint URL. */
  spspUrl!: string;
  /** For `<link rel="monetization" href>` (Web Monetization): the SPSP URL. */
  monetizationHref!: string;
  /** The session's price, fixed for its lifetime. */
  pricing!: PriceViewDto;
  /** True: post every `monetization` event's receipt to `/api/public/sessions/:id/receipts`. */
  receiptsRequired!: boolean;
  /** Send a heartbeat (or read the content) at least this often while the page is visible. */
  heartbeatSeconds!: number;
  /** Reading time allowed past what was bought, while the next payment is on its way. */
  graceSeconds!: number;
}

/** Where a session stands, with the paragraphs it may read now. */
export class SessionStateDto {
  sessionId!: string;
  contentId!: string;
  pricing!: PriceViewDto;
  /**
   * Verified money, base units: this node's journal for its own pointers, verified receipts
   * for an external wallet.
   */
  paidAmount!: string;
  /** Sum of the verified receipts posted for this session (informational for own pointers). */
  receiptsAmount!: string;
  /** Reading time charged so far, in seconds (millisecond precision). */
  usedSeconds!: number;
  /** Whole seconds the money buys (per-second prices); null for per-view prices. */
  secondsBought!: string | null;
  /** Bought seconds not read yet (they stay with the session); null for per-view prices. */
  remainingSeconds!: string | null;
  graceSeconds!: number;
  heartbeatSeconds!: number;
  /** True while reading time is being counted (a visible beat and no pause since). */
  active!: boolean;
  /** True when the paid paragraphs are released. */
  unlocked!: boolean;
  /** The paid paragraphs when unlocked, else empty. */
  unlockedParagraphs!: string[];
  /** Paid paragraphs withheld now. */
  lockedCount!: number;
}

/** The answer to a posted receipt: what it added, and the session after it. */
export class ReceiptAcceptedDto extends SessionStateDto {
  /** What this receipt added (base units): its total minus the highest seen before. */
  increase!: string;
}
