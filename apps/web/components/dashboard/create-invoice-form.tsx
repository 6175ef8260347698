'use client';
/**
 * Creating an invoice from the dashboard: an amount typed in whole units (parsed exactly to
 * base units), a description and a lifetime. One Idempotency-Key per filled-in form, so a
 * double click or a retry after a network error never makes two invoices. The new invoice's
 * checkout link and payment pointer are shown to hand to the customer.
 */
import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { isApiError } from '@/lib/api/client';
import { parseAmountInput } from '@/lib/dashboard/amount-input';
import { newIdempotencyKey } from '@/lib/dashboard/idempotency-key';
import type { MerchantInvoice } from '@/lib/dashboard/dashboard-types';
import { formatAmount } from '@/lib/money';
import { CopyButton } from '../ui/copy-button';
import type { DashboardContext } from './dashboard-view';

const LIFETIMES = [
  { minutes: 15, label: '15 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 1440, label: '1 day' },
  { minutes: 10_080, label: '1 week' },
];

export function CreateInvoiceForm({ context }: { context: DashboardContext }) {
  const { api, merchant, refresh, publicApiUrl, onUnauthorized } = context;
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [lifetime, setLifetime] = useState(60);
  const [amountError, setAmountError] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<MerchantInvoice>();
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());
  const amountErrorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseAmountInput(amount, merchant.assetScale);
    if (!parsed.ok) {
      setAmountError(parsed.problem);
      return;
    }
    setAmountError(undefined);
    setFailure(undefined);
    setCreated(undefined);
    setBusy(true);
    try {
      const invoice = await api.createInvoice(
        {
          amount: parsed.baseUnits,
          description: description.trim() || undefined,
          expiresAt: new Date(Date.now() + lifetime * 60_000).toISOString(),
        },
        idempotencyKey,
      );
      setCreated(invoice);
      setAmount('');
      setDescription('');
      setIdempotencyKey(newIdempotencyKey());
      refresh();
    } catch (error) {
      if (isApiError(error) && error.kind === 'unauthorized') return onUnauthorized();
      setFailure(isApiError(error) ? error.message : 'The invoice could not be created.');
    } finally {
      setBusy(false);
    }
  };

  const checkoutUrl =
    created && typeof window !== 'undefined'
      ? `${window.location.origin}/checkout/${created.id}`
      : undefined;
  const pointer = created ? publicPointer(created.spspUrl, publicApiUrl) : undefined;

  return (
    <section className="card stack" aria-labelledby="new-invoice-title">
      <h2 id="new-invoice-title">New invoice</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <div>
          <label htmlFor="invoice-amount">Amount ({merchant.assetCode})</label>
          <input
            id="invoice-amount"
            className="input"
            inputMode="decimal"
            autoComplete="off"
            placeholder={merchant.assetScale > 0 ? `12.${'0'.repeat(merchant.assetScale)}` : '12'}
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              setIdempotencyKey(newIdempotencyKey());
            }}
            aria-invalid={amountError ? true : undefined}
            aria-describedby={amountError ? amountErrorId : undefined}
          />
          {amountError ? (
            <p className="dash-field-error" id={amountErrorId}>
              {amountError}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="invoice-description">Description</label>
          <input
            id="invoice-description"
            className="input"
            maxLength={1000}
            value={description}
            onChange={(e) => {
              setDescription(e.target.value);
              setIdempotencyKey(newIdempotencyKey());
            }}
          />
        </div>
        <div>
          <label htmlFor="invoice-lifetime">Expires after</label>
          <select
            id="invoice-lifetime"
            className="input"
            value={lifetime}
            onChange={(e) => setLifetime(Number(e.target.value))}
          >
            {LIFETIMES.map((l) => (
              <option key={l.minutes} value={l.minutes}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
        {failure ? (
          <div className="notice notice--danger" role="alert">
            {failure}
          </div>
        ) : null}
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Creating…' : 'Create invoice'}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {created && checkoutUrl ? (
          <div className="notice notice--success stack" data-testid="created-invoice">
            <strong>
              Invoice for {formatAmount(created.amount, created.assetScale, created.assetCode)}{' '}
              created
            </strong>
            <div className="pointer">
              <Link href={`/checkout/${created.id}`} data-testid="created-invoice-link">
                {checkoutUrl}
              </Link>
              <CopyButton text={checkoutUrl} label="Copy the checkout link" />
            </div>
            {pointer ? (
              <div className="pointer">
                <code>{pointer}</code>
                <CopyButton text={pointer} label="Copy the payment pointer" />
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}

/**
 * The invoice's pointer on the API's public origin: the API builds it from the origin it was
 * called on, which for the dashboard's server-side proxy is the internal one.
 */
function publicPointer(spspUrl: string, publicApiUrl: string): string {
  const url = new URL(new URL(spspUrl).pathname, publicApiUrl);
  return `$${url.host}${url.pathname}`;
}
