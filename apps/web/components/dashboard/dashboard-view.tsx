'use client';
/**
 * The signed-in dashboard: who is signed in and how fresh the figures are, totals, revenue
 * over time, creating invoices and articles, the invoice and payment lists, and the node's
 * peers and settlements for the node owner. Every section reloads on the live tick.
 */
import { useCallback, useMemo, useState } from 'react';
import { createDashboardApi } from '@/lib/dashboard/dashboard-api';
import type { MerchantProfile, RevenueBucket } from '@/lib/dashboard/dashboard-types';
import { formatAmount } from '@/lib/money';
import { CreateArticleForm } from './create-article-form';
import { CreateInvoiceForm } from './create-invoice-form';
import { InvoicesPanel } from './invoices-panel';
import { NodePanel } from './node-panel';
import { PaymentsPanel } from './payments-panel';
import { RevenueChart } from './revenue-chart';
import { SectionCard } from './section-card';
import { useLiveTick } from './use-live-tick';
import { useSection } from './use-section';

/** How often the figures are refreshed while the tab is visible. */
const LIVE_INTERVAL_MS = 3_000;

const RANGES: Record<RevenueBucket, { count: number; ms: number; label: string }> = {
  minute: { count: 60, ms: 60_000, label: 'Last hour' },
  hour: { count: 24, ms: 3_600_000, label: 'Last 24 hours' },
  day: { count: 30, ms: 86_400_000, label: 'Last 30 days' },
};

export interface DashboardContext {
  api: ReturnType<typeof createDashboardApi>;
  merchant: MerchantProfile;
  tick: number;
  publicApiUrl: string;
  onUnauthorized: () => void;
  refresh: () => void;
}

export function DashboardView({
  apiKey,
  merchant,
  publicApiUrl,
  onSignOut,
}: {
  apiKey: string;
  merchant: MerchantProfile;
  publicApiUrl: string;
  onSignOut: (reason?: string) => void;
}) {
  const api = useMemo(() => createDashboardApi(apiKey), [apiKey]);
  const { tick, updatedAt, refresh } = useLiveTick(LIVE_INTERVAL_MS);
  const onUnauthorized = useCallback(
    () =>
      onSignOut('Your API key is no longer accepted (it may have been revoked). Sign in again.'),
    [onSignOut],
  );
  const context: DashboardContext = { api, merchant, tick, publicApiUrl, onUnauthorized, refresh };

  const fmt = (amount: string) => formatAmount(amount, merchant.assetScale, merchant.assetCode);
  const summary = useSection(
    useCallback(() => api.summary(), [api]),
    tick,
    onUnauthorized,
  );

  const [bucket, setBucket] = useState<RevenueBucket>('minute');
  const loadRevenue = useCallback(() => {
    const range = RANGES[bucket];
    // The end is the start of the next bucket, so the current one is complete in the chart.
    const to = new Date(Math.floor(Date.now() / range.ms) * range.ms + range.ms);
    const from = new Date(to.getTime() - range.count * range.ms);
    return api.revenue(bucket, from, to);
  }, [api, bucket]);
  const revenue = useSection(loadRevenue, tick, onUnauthorized);

  return (
    <div className="stack">
      <div className="dash-bar card">
        <div>
          <p className="dash-bar__merchant" data-testid="merchant-name">
            {merchant.name}
          </p>
          <p className="muted dash-bar__meta">
            <code>{merchant.slug}</code> · {merchant.assetCode}, scale {merchant.assetScale}
          </p>
        </div>
        <p className="muted dash-bar__live" aria-live="off" data-testid="live-status">
          <span className="dash-live-dot" aria-hidden="true" /> Live · updated{' '}
          {updatedAt ? updatedAt.toLocaleTimeString('en-GB') : '—'}
        </p>
        <button type="button" className="button button--secondary" onClick={() => onSignOut()}>
          Sign out
        </button>
      </div>

      <SectionCard id="totals" title="Totals" state={summary} minHeight={96}>
        {(s) => (
          <dl className="dash-totals">
            <div>
              <dt>Received in total</dt>
              <dd data-testid="total-received">{fmt(s.received.total)}</dd>
              <dd className="muted">{count(s.received.payments, 'payment')}</dd>
            </div>
            <div>
              <dt>Received today (UTC)</dt>
              <dd data-testid="today-received">{fmt(s.today.received)}</dd>
              <dd className="muted">{count(s.today.payments, 'payment')}</dd>
            </div>
            <div>
              <dt>Paid invoices</dt>
              <dd data-testid="paid-invoices">{s.invoices.paid.count}</dd>
              <dd className="muted">{fmt(s.invoices.paid.amount)}</dd>
            </div>
            <div>
              <dt>Open invoices</dt>
              <dd data-testid="open-invoices">{s.invoices.open.count}</dd>
              <dd className="muted">{fmt(s.invoices.open.amount)} due</dd>
            </div>
          </dl>
        )}
      </SectionCard>

      <SectionCard
        id="revenue"
        title="Revenue"
        state={revenue}
        minHeight={300}
        actions={
          <div className="dash-segmented" role="group" aria-label="Revenue period">
            {(Object.keys(RANGES) as RevenueBucket[]).map((b) => (
              <button
                key={b}
                type="button"
                className="dash-segmented__button"
                aria-pressed={bucket === b}
                onClick={() => setBucket(b)}
              >
                {RANGES[b].label}
              </button>
            ))}
          </div>
        }
      >
        {(series) => <RevenueChart series={series} />}
      </SectionCard>

      <div className="grid-2 dash-create">
        <CreateInvoiceForm context={context} />
        <CreateArticleForm context={context} />
      </div>

      <InvoicesPanel context={context} />
      <PaymentsPanel context={context} />
      <NodePanel context={context} />
    </div>
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
