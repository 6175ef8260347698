/**
 * A Web Monetization polyfill (the 2021–2022 `<link rel="monetization">` draft, FACTS.md §12)
 * for browsers without native support. It plays the user agent's part with a wallet it is
 * given: every `<link rel="monetization" href>` in the document is paid while the page is
 * visible (see link-payer.ts), `load` / `error` are fired at the link when the payment is
 * set up or gives up, and `monetization` events carry each packet's amount and receipt.
 *
 * - Visibility: `visibilitychange` to hidden pauses every link (nothing is sent while the
 *   page is not seen); back to visible resumes. `pagehide` ends the connections; a page
 *   restored from the back/forward cache starts again on `pageshow`.
 * - Links are found when they appear, disappear or change href (a MutationObserver), so a
 *   page can add its link after it has rendered, as React does.
 * - How much to send is the agent's choice; here the caller says it per link
 *   (`ratePerSecond`), in the receiver's base units, and a link it says nothing about is
 *   left alone.
 *
 * Where the browser supports Web Monetization itself (`relList.supports('monetization')`),
 * nothing is installed: the browser pays, and the page hears the same events.
 */
import { LinkPayer, type MonetizationWallet, type PayerSnapshot } from './link-payer';
import { PolyfilledMonetizationEvent } from './monetization-event';

export interface PolyfillOptions {
  wallet: MonetizationWallet;
  /** Receiver's base units per visible second for this link, or undefined to skip it. */
  ratePerSecond: (link: HTMLLinkElement) => bigint | undefined;
  stepMs?: number;
  /** Each payer's state, for a meter. */
  onChange?: (link: HTMLLinkElement, snapshot: PayerSnapshot) => void;
  /** For tests and embedders; default `document`. */
  document?: Document;
}

export interface InstalledPolyfill {
  /** False when the browser monetizes natively and the polyfill stood aside. */
  readonly active: boolean;
  uninstall(): void;
}

const SELECTOR = 'link[rel~="monetization" i][href]';

export function supportsMonetizationNatively(doc: Document = document): boolean {
  try {
    return doc.createElement('link').relList.supports('monetization');
  } catch {
    return false;
  }
}

export function installMonetizationPolyfill(options: PolyfillOptions): InstalledPolyfill {
  const doc = options.document ?? document;
  if (supportsMonetizationNatively(doc)) return { active: false, uninstall: () => undefined };
  const win = doc.defaultView as (Window & { MonetizationEvent?: unknown }) | null;
  if (win && win.MonetizationEvent === undefined) {
    win.MonetizationEvent = PolyfilledMonetizationEvent;
  }

  /** One payer per link, keyed by the href it was set up for. */
  const payers = new Map<HTMLLinkElement, { href: string; payer: LinkPayer }>();
  const visible = () => doc.visibilityState === 'visible';

  const sync = () => {
    const links = new Set(
      [...doc.querySelectorAll<HTMLLinkElement>(SELECTOR)].filter((l) => l.isConnected),
    );
    for (const [link, entry] of payers) {
      if (!links.has(link) || link.href !== entry.href) {
        entry.payer.stop();
        payers.delete(link);
      }
    }
    for (const link of links) {
      if (payers.has(link)) continue;
      const rate = options.ratePerSecond(link);
      if (rate === undefined || rate <= 0n) continue;
      const payer = new LinkPayer({
        link,
        wallet: options.wallet,
        ratePerSecond: rate,
        stepMs: options.stepMs,
        onChange: (snapshot) => options.onChange?.(link, snapshot),
      });
      payers.set(link, { href: link.href, payer });
      if (visible()) payer.resume();
      else payer.pause();
    }
  };

  const onVisibility = () => {
    for (const { payer } of payers.values()) {
      if (visible()) payer.resume();
      else payer.pause();
    }
  };
  const onPageHide = () => {
    for (const { payer } of payers.values()) payer.stop();
    payers.clear();
  };
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) sync();
  };

  const observer = new MutationObserver(sync);
  observer.observe(doc.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['rel', 'href'],
  });
  doc.addEventListener('visibilitychange', onVisibility);
  win?.addEventListener('pagehide', onPageHide);
  win?.addEventListener('pageshow', onPageShow);
  sync();

  return {
    active: true,
    uninstall() {
      observer.disconnect();
      doc.removeEventListener('visibilitychange', onVisibility);
      win?.removeEventListener('pagehide', onPageHide);
      win?.removeEventListener('pageshow', onPageShow);
      onPageHide();
    },
  };
}
