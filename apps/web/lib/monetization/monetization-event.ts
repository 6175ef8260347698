/**
 * `MonetizationEvent` as Web Monetization's 2021–2022 `<link rel="monetization">` draft
 * defines it (FACTS.md §12, generation 2): fired at the link, bubbling, once per fulfilled
 * packet that moved money, with the amount in the receiver's units and the receiver's RFC 39
 * receipt. Browsers with native support bring their own class; this one stands in for it.
 */

export interface MonetizationEventDetails {
  /** Receiver's base units that arrived in this packet, as a decimal integer string. */
  amount: string;
  assetCode: string;
  assetScale: number;
  /** The receiver's latest STREAM receipt (RFC 39) for the stream, base64; null without one. */
  receipt: string | null;
  /** The payment pointer form of the link's href (`$host/path`). */
  paymentPointer: string;
}

/** What a page reads off any monetization event, native or polyfilled. */
export type MonetizationEventLike = Event & MonetizationEventDetails;

export const MONETIZATION_EVENT = 'monetization';

/** The polyfill's event class; `window.MonetizationEvent` is set to it where none exists. */
export class PolyfilledMonetizationEvent extends Event implements MonetizationEventDetails {
  readonly amount: string;
  readonly assetCode: string;
  readonly assetScale: number;
  readonly receipt: string | null;
  readonly paymentPointer: string;

  constructor(type: string, init: MonetizationEventDetails & EventInit) {
    super(type, { bubbles: true, ...init });
    this.amount = init.amount;
    this.assetCode = init.assetCode;
    this.assetScale = init.assetScale;
    this.receipt = init.receipt;
    this.paymentPointer = init.paymentPointer;
  }
}

/** True for an event that carries the monetization fields (native or ours). */
export function isMonetizationEvent(event: Event): event is MonetizationEventLike {
  const e = event as Partial<MonetizationEventDetails>;
  return (
    event.type === MONETIZATION_EVENT &&
    typeof e.amount === 'string' &&
    typeof e.assetCode === 'string' &&
    typeof e.assetScale === 'number'
  );
}

/** `https://host/path` → `$host/path` (`/.well-known/pay` is implied, RFC 26). */
export function pointerOfUrl(href: string): string {
  const url = new URL(href);
  const path = url.pathname === '/.well-known/pay' ? '' : url.pathname.replace(/\/$/, '');
  return `$${url.host}${path}`;
}
