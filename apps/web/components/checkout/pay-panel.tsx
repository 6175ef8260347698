'use client';
/**
 * The Pay panel of the checkout: streams the invoice from the browser's demo wallet in
 * chunks (STREAM over BTP/WebSocket), with a progress bar that never changes size, the
 * amount delivered, the exchange rate and the speed, pause / resume, and one clear end
 * state: paid, expired, or failed with the reason. Progress is the server's (live events)
 * or this payment's, whichever is further, so a reload mid-payment shows the truth.
 */
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckoutInvoice } from '@/lib/api/types';
import { remainingDue } from '@/lib/checkout';
import { formatAmount, formatRatio, progressBasisPoints } from '@/lib/money';
import { StreamPayment, type PaymentSnapshot } from '@/lib/payment/stream-payment';
import { ProgressBar } from '../ui/progress-bar';
import { StatusBadge } from '../ui/status-badge';
import { useDemoWallet } from '../wallet/use-demo-wallet';
import { WalletUnavailable } from '../wallet/wallet-unavailable';
import { useInvoiceEvents } from './use-invoice-events';

interface Attempt {
  payment: StreamPayment;
  /** What the server had received when this attempt started. */
  receivedBefore: bigint;
}

export function PayPanel({ initial, apiUrl }: { initial: CheckoutInvoice; apiUrl: string }) {
  const wallet = useDemoWallet(apiUrl);
  const { invoice, live, reload } = useInvoiceEvents(wallet.api, initial);
  const [attempt, setAttempt] = useState<Attempt>();
  const [snapshot, setSnapshot] = useState<PaymentSnapshot>();
  const attemptRef = useRef<Attempt | undefined>(undefined);
  const { refresh: refreshWallet } = wallet;

  const amount = BigInt(invoice.amount);
  const serverReceived = BigInt(invoice.received);
  const localReceived = attempt && snapshot ? attempt.receivedBefore + snapshot.delivered : 0n;
  const received = serverReceived > localReceived ? serverReceived : localReceived;
  const shown = received > amount ? amount : received;
  const phase = snapshot?.phase;
  const running =
    phase === 'connecting' || phase === 'streaming' || phase === 'pausing' || phase === 'paused';

  // The wallet's balance is shown as soon as the payment ends, not after the connection has
  // finished closing (which can take a while after a refusal).
  useEffect(() => {
    if (phase === 'complete' || phase === 'failed') void refreshWallet();
  }, [phase, refreshWallet]);

  // An invoice that ends (expires, or is paid elsewhere) ends the payment too.
  useEffect(() => {
    if (invoice.status !== 'open') attemptRef.current?.payment.cancel();
  }, [invoice.status]);
  useEffect(() => () => attemptRef.current?.payment.cancel(), []);

  const pay = useCallback(async () => {
    if (wallet.state.status !== 'ready') return;
    const { wallet: w, credentials } = wallet.state;
    const payment = new StreamPayment({
      btpUrl: wallet.api.btpUrl(),
      spspUrl: invoice.spspUrl,
      wallet: {
        ...credentials,
        ilpAddress: w.ilpAddress,
        assetCode: w.assetCode,
        assetScale: w.assetScale,
      },
      remaining: remainingDue(invoice),
      onChange: setSnapshot,
    });
    const next = { payment, receivedBefore: BigInt(invoice.received) };
    attemptRef.current = next;
    setAttempt(next);
    setSnapshot(payment.state);
    await payment.run();
    await Promise.all([reload(), refreshWallet()]);
  }, [invoice, reload, refreshWallet, wallet.api, wallet.state]);

  const status = invoice.status;
  const failed = phase === 'failed' && status === 'open';
  const tone = status === 'paid' ? 'complete' : failed ? 'failed' : 'active';
  const percent = progressBasisPoints(shown, amount);
  const fmt = (value: bigint) => formatAmount(value, invoice.assetScale, invoice.assetCode);

  return (
    <section aria-labelledby="pay-title" className="stack">
      <h2 id="pay-title" style={{ marginBottom: 0 }}>
        Payment <StatusBadge status={status} />
      </h2>
      <div>
        <ProgressBar
          value={percent}
          tone={tone}
          label="Payment progress"
          valueText={`${fmt(shown)} of ${fmt(amount)}`}
        />
        <div className="progress-label">
          <span data-testid="received">
            {fmt(shown)} of {fmt(amount)}
          </span>
          <span>{Math.floor(percent / 100)} %</span>
        </div>
      </div>

      <dl className="stats">
        <div>
          <dt>Delivered</dt>
          <dd data-testid="delivered">{snapshot ? fmt(snapshot.delivered) : '—'}</dd>
        </div>
        <div>
          <dt>Exchange rate</dt>
          <dd data-testid="rate">{rateText(snapshot, invoice, wallet.state)}</dd>
        </div>
        <div>
          <dt>Speed</dt>
          <dd>{speedText(snapshot, invoice)}</dd>
        </div>
      </dl>

      <div aria-live="polite" data-testid="payment-state" className="payment-state">
        <EndState
          status={status}
          phase={phase}
          failure={failed ? snapshot?.failure : undefined}
          live={live}
          paidAt={invoice.paidAt}
        />
      </div>

      <WalletControls
        wallet={wallet}
        open={status === 'open'}
        paidHere={status === 'paid' && attempt !== undefined}
        running={running}
        phase={phase}
        onPay={pay}
        onPause={() => attempt?.payment.pause()}
        onResume={() => attempt?.payment.resume()}
        failed={failed}
      />
    </section>
  );
}

function EndState({
  status,
  phase,
  failure,
  live,
  paidAt,
}: {
  status: CheckoutInvoice['status'];
  phase: PaymentSnapshot['phase'] | undefined;
  failure: string | undefined;
  live: boolean;
  paidAt: string | null;
}) {
  if (status === 'paid') {
    return (
      <div className="notice notice--success" role="status">
        <strong>Paid in full</strong>
        Thank you: the merchant has received the whole amount
        {paidAt ? <> at {new Date(paidAt).toUTCString()}</> : null}.
      </div>
    );
  }
  if (status === 'expired') {
    return (
      <div className="notice notice--warning" role="status">
        <strong>This invoice has expired</strong>
        It no longer takes payments. Ask the merchant for a new one; money already sent stays with
        the merchant.
      </div>
    );
  }
  if (failure) {
    return (
      <div className="notice notice--danger" role="alert">
        <strong>The payment failed</strong>
        <span data-testid="failure-reason">{failure}</span>
      </div>
    );
  }
  if (phase === 'connecting') return <p className="muted">Connecting to the payment node…</p>;
  if (phase === 'streaming') return <p className="muted">Streaming the payment…</p>;
  if (phase === 'pausing') {
    return <p className="muted">Pausing after the part being sent now…</p>;
  }
  if (phase === 'paused')
    return <p className="muted">Paused. Nothing more is sent until you resume.</p>;
  if (phase === 'complete')
    return <p className="muted">Sent. Waiting for the merchant to confirm…</p>;
  if (!live) return <p className="muted">Live updates are reconnecting…</p>;
  return <p className="muted">Waiting for payment.</p>;
}

function WalletControls({
  wallet,
  open,
  paidHere,
  running,
  phase,
  failed,
  onPay,
  onPause,
  onResume,
}: {
  wallet: ReturnType<typeof useDemoWallet>;
  /** The invoice still takes payments (else only the wallet line shows). */
  open: boolean;
  /** The invoice was paid from this page: the wallet line stays, with its new balance. */
  paidHere: boolean;
  running: boolean;
  phase: PaymentSnapshot['phase'] | undefined;
  failed: boolean;
  onPay: () => void;
  onPause: () => void;
  onResume: () => void;
}) {
  const { state } = wallet;
  if (!open && (!paidHere || state.status !== 'ready')) return null;
  if (state.status === 'loading') return <p className="muted">Loading your demo wallet…</p>;
  if (state.status === 'unavailable') {
    return (
      <WalletUnavailable message={state.message} busy={wallet.busy} onRetry={wallet.refresh} />
    );
  }
  if (state.status === 'none' || (state.status === 'error' && !state.credentials)) {
    return (
      <div className="stack">
        {state.status === 'error' ? (
          <div className="notice notice--danger" role="alert">
            {state.message}
          </div>
        ) : null}
        <p className="muted">
          To pay from this page you need a demo wallet: an account on this node with some demo money
          in it.
        </p>
        <div className="button-row">
          <button type="button" className="button" onClick={wallet.create} disabled={wallet.busy}>
            Create a demo wallet
          </button>
        </div>
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="notice notice--danger" role="alert">
        {state.message}
      </div>
    );
  }
  const { wallet: w } = state;
  return (
    <div className="stack">
      <p className="muted" style={{ margin: 0 }}>
        {open ? 'Paying from' : 'Paid from'} demo wallet <code>{w.id}</code>, balance{' '}
        <strong data-testid="wallet-balance">
          {formatAmount(w.balance, w.assetScale, w.assetCode)}
        </strong>{' '}
        (<Link href="/wallet">manage</Link>)
      </p>
      {open ? (
        <div className="button-row">
          {!running ? (
            <button type="button" className="button" onClick={onPay}>
              {failed ? 'Try again' : phase === 'complete' ? 'Pay the rest' : 'Pay'}
            </button>
          ) : phase === 'paused' ? (
            <button type="button" className="button" onClick={onResume}>
              Resume
            </button>
          ) : (
            <button type="button" className="button button--secondary" onClick={onPause}>
              Pause
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}

function rateText(
  snapshot: PaymentSnapshot | undefined,
  invoice: CheckoutInvoice,
  wallet: ReturnType<typeof useDemoWallet>['state'],
): string {
  if (!snapshot?.rate || wallet.status !== 'ready') return '—';
  const { assetCode, assetScale } = wallet.wallet;
  // base units per base unit → whole units per whole unit
  const num = snapshot.rate.num * 10n ** BigInt(assetScale);
  const den = snapshot.rate.den * 10n ** BigInt(invoice.assetScale);
  return `1 ${assetCode} = ${formatRatio(num, den)} ${invoice.assetCode}`;
}

function speedText(snapshot: PaymentSnapshot | undefined, invoice: CheckoutInvoice): string {
  if (!snapshot || snapshot.streamingMs <= 0 || snapshot.delivered === 0n) return '—';
  const perSecond =
    (snapshot.delivered * 1000n) / BigInt(Math.max(1, Math.round(snapshot.streamingMs)));
  return `${formatAmount(perSecond, invoice.assetScale, invoice.assetCode)}/s`;
}
