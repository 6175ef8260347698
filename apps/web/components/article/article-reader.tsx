'use client';
/**
 * The paid part of an article page: the session's `<link rel="monetization">`, the Web
 * Monetization polyfill paying it from the browser's demo wallet while the tab is visible,
 * a meter (time bought, time read, money spent) whose box never changes size, and the paid
 * paragraphs, shown only when the server says the money it has seen covers the reading.
 */
import { useEffect, useMemo, useState } from 'react';
import type { PublicArticle } from '@/lib/content/content-types';
import { priceText } from '@/lib/content/price-text';
import { formatAmount } from '@/lib/money';
import type { PayerSnapshot } from '@/lib/monetization/link-payer';
import { isMonetizationEvent, MONETIZATION_EVENT } from '@/lib/monetization/monetization-event';
import { installMonetizationPolyfill } from '@/lib/monetization/polyfill';
import { useDemoWallet } from '../wallet/use-demo-wallet';
import { ReadingMeter, type MeterStatus } from './reading-meter';
import { useReadSession } from './use-read-session';
import { WalletUnavailable } from '../wallet/wallet-unavailable';

export function ArticleReader({
  article,
  merchant,
  apiUrl,
}: {
  article: PublicArticle;
  /** Undefined for the node's default merchant. */
  merchant: string | undefined;
  apiUrl: string;
}) {
  const wallet = useDemoWallet(apiUrl);
  const reading = useReadSession(apiUrl, merchant, article.slug);
  const { session, state, postReceipt, refreshSoon } = reading;
  const [payer, setPayer] = useState<PayerSnapshot>();
  const [native, setNative] = useState(false);
  const [spent, setSpent] = useState(0n);
  const [hidden, setHidden] = useState(false);
  const [paying, setPaying] = useState(true);
  const price = BigInt(article.pricing.amount);
  const href = session?.monetizationHref;

  // Everything the agent pays (ours or the browser's own) arrives as events at the link.
  useEffect(() => {
    if (!href) return;
    const onMoney = (event: Event) => {
      if (!isMonetizationEvent(event)) return;
      if (!(event.target instanceof HTMLLinkElement) || event.target.href !== href) return;
      setSpent((total) => total + BigInt(event.amount));
      if (event.receipt) postReceipt(event.receipt);
      refreshSoon();
    };
    document.addEventListener(MONETIZATION_EVENT, onMoney);
    return () => document.removeEventListener(MONETIZATION_EVENT, onMoney);
  }, [href, postReceipt, refreshSoon]);

  useEffect(() => {
    const onVisibility = () => setHidden(document.visibilityState !== 'visible');
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, []);

  // The wallet as plain strings, so a refreshed balance does not restart the payment.
  const ready = wallet.state.status === 'ready' ? wallet.state : undefined;
  const walletKey = ready
    ? [
        ready.credentials.id,
        ready.credentials.token,
        ready.wallet.ilpAddress,
        ready.wallet.assetCode,
        String(ready.wallet.assetScale),
      ].join('\n')
    : undefined;
  const btpUrl = wallet.api.btpUrl();

  useEffect(() => {
    if (!href || !walletKey || !paying) return;
    const [accountId, token, ilpAddress, assetCode, assetScale] = walletKey.split('\n');
    const installed = installMonetizationPolyfill({
      wallet: { btpUrl, accountId, token, ilpAddress, assetCode, assetScale: Number(assetScale) },
      ratePerSecond: (link) => (link.href === href ? price : undefined),
      onChange: (_link, snapshot) => setPayer(snapshot),
    });
    setNative(!installed.active);
    return () => {
      installed.uninstall();
      setPayer(undefined);
    };
  }, [btpUrl, href, paying, price, walletKey]);

  const meterStatus = useMemo<MeterStatus>(() => {
    if (reading.status.status === 'error') return { tone: 'danger', text: reading.status.message };
    if (reading.status.status === 'starting')
      return { tone: 'muted', text: 'Opening a reading session…' };
    if (native)
      return { tone: 'muted', text: 'Your browser pays this page with Web Monetization.' };
    if (!paying) return { tone: 'muted', text: 'Payments are off. Nothing is sent.' };
    if (wallet.state.status === 'loading')
      return { tone: 'muted', text: 'Loading your demo wallet…' };
    if (!ready) return { tone: 'muted', text: 'No wallet is paying this page.' };
    if (hidden) return { tone: 'muted', text: 'Paused while this tab is hidden.' };
    switch (payer?.phase) {
      case 'failed':
        return { tone: 'danger', text: payer.failure ?? 'The payment stopped.' };
      case 'complete':
        return { tone: 'success', text: 'Paid: this article is yours to read.' };
      case 'streaming':
        return { tone: 'success', text: `Paying ${priceText(article.pricing)} while you read.` };
      default:
        return { tone: 'muted', text: 'Connecting your wallet…' };
    }
  }, [article, hidden, native, payer, paying, reading.status, ready, wallet.state.status]);

  const fmt = (amount: bigint | string) =>
    formatAmount(amount, article.pricing.assetScale, article.pricing.assetCode);

  return (
    <>
      {/* React places this in <head>; the polyfill (or the browser) finds it there. */}
      {href ? <link rel="monetization" href={href} /> : null}
      <ReadingMeter
        status={meterStatus}
        perSecond={article.pricing.per === 'second'}
        secondsBought={state?.secondsBought ?? null}
        usedSeconds={state?.usedSeconds}
        spent={fmt(spent)}
        paidTotal={state ? fmt(state.paidAmount) : undefined}
        stale={reading.stale}
      />
      {payer?.phase === 'complete' ? null : ready || native ? (
        <div className="button-row">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setPaying((on) => !on)}
            disabled={native}
          >
            {paying ? 'Stop paying' : 'Pay to read on'}
          </button>
        </div>
      ) : wallet.state.status === 'unavailable' ? (
        <div className="card stack">
          <WalletUnavailable
            message={wallet.state.message}
            busy={wallet.busy}
            onRetry={wallet.refresh}
          />
        </div>
      ) : wallet.state.status === 'none' ||
        (wallet.state.status === 'error' && !wallet.state.credentials) ? (
        <div className="card stack">
          {wallet.state.status === 'error' ? (
            <div className="notice notice--danger" role="alert">
              {wallet.state.message}
            </div>
          ) : null}
          <p style={{ margin: 0 }}>
            This article is paid by the second with Web Monetization. A browser with a monetization
            wallet pays it on its own; here, a demo wallet can pay for you.
          </p>
          <div className="button-row">
            <button type="button" className="button" onClick={wallet.create} disabled={wallet.busy}>
              Create a demo wallet
            </button>
          </div>
        </div>
      ) : null}

      <PaidParagraphs article={article} state={state} />

      {session ? (
        <p className="muted article__pointer">
          Any Interledger wallet can pay this reading session:{' '}
          <code data-testid="session-pointer">{session.paymentPointer}</code>
        </p>
      ) : null}
    </>
  );
}

function PaidParagraphs({
  article,
  state,
}: {
  article: PublicArticle;
  state: ReturnType<typeof useReadSession>['state'];
}) {
  if (article.paidParagraphs === 0) return null;
  if (state?.unlocked) {
    return (
      <section aria-label="Paid part" className="article__paid" data-testid="paid-paragraphs">
        {state.unlockedParagraphs.map((text, index) => (
          <p key={index}>{text}</p>
        ))}
      </section>
    );
  }
  const count = state?.lockedCount ?? article.paidParagraphs;
  const used = state ? state.usedSeconds : 0;
  const ranOut =
    state !== undefined && state.secondsBought !== null && state.secondsBought !== '0' && used > 0;
  return (
    <section aria-label="Paid part" className="article__locked" data-testid="locked-notice">
      <p>
        <strong>
          {count} more {count === 1 ? 'paragraph' : 'paragraphs'}
        </strong>{' '}
        {ranOut
          ? 'are locked: the time paid for is used up. They come back as soon as more money arrives.'
          : `appear as soon as your payment of ${priceText(article.pricing)} reaches the publisher.`}
      </p>
    </section>
  );
}
