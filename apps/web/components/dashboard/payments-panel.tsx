'use client';
/**
 * The merchant's payments (one per STREAM connection that delivered money), newest first:
 * filters (one invoice, first money between two days) and cursor paging.
 */
import Link from 'next/link';
import { useCallback, useId, useState, type FormEvent } from 'react';
import type { MerchantPayment, PaymentFilter } from '@/lib/dashboard/dashboard-types';
import { formatAmount } from '@/lib/money';
import type { DashboardContext } from './dashboard-view';
import { Pager, usePager } from './pager';
import { SectionCard } from './section-card';
import { dayEnd, dayStart, shortTime } from './time-format';
import { useSection } from './use-section';

const PAGE_SIZE = 10;
const KIND_LABELS: Record<NonNullable<MerchantPayment['kind']>, string> = {
  pointer: 'Payment pointer',
  invoice: 'Invoice',
  session: 'Article reading',
  other: 'Other',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function PaymentsPanel({ context }: { context: DashboardContext }) {
  const { api, tick, onUnauthorized } = context;
  const [filter, setFilter] = useState<PaymentFilter>({});
  const [invalid, setInvalid] = useState<string>();
  const errorId = useId();
  const pager = usePager();
  const load = useCallback(
    () => api.payments(filter, pager.cursor, PAGE_SIZE),
    [api, filter, pager.cursor],
  );
  const state = useSection(load, tick, onUnauthorized);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const invoiceId = String(form.get('invoiceId') ?? '').trim();
    if (invoiceId && !UUID.test(invoiceId)) {
      setInvalid('An invoice id looks like 3f2a…-…: paste it from the invoice list.');
      return;
    }
    setInvalid(undefined);
    setFilter({
      invoiceId: invoiceId || undefined,
      from: dayStart(String(form.get('from') ?? '')),
      to: dayEnd(String(form.get('to') ?? '')),
    });
    pager.reset();
  };

  const toolbar = (
    <form className="dash-filters" onSubmit={apply} aria-label="Filter payments" noValidate>
      <div className="dash-filters__wide">
        <label htmlFor="payment-invoice">Invoice id</label>
        <input
          id="payment-invoice"
          name="invoiceId"
          className="input"
          spellCheck={false}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? errorId : undefined}
        />
      </div>
      <div>
        <label htmlFor="payment-from">From</label>
        <input id="payment-from" name="from" type="date" className="input" />
      </div>
      <div>
        <label htmlFor="payment-to">Until</label>
        <input id="payment-to" name="to" type="date" className="input" />
      </div>
      <div className="dash-filters__submit">
        <button type="submit" className="button button--secondary">
          Apply filters
        </button>
      </div>
      {invalid ? (
        <p className="dash-field-error" id={errorId} role="alert">
          {invalid}
        </p>
      ) : null}
    </form>
  );

  return (
    <SectionCard id="payments" title="Payments" state={state} toolbar={toolbar} minHeight={180}>
      {(page) => (
        <>
          <div className="table-scroll">
            <table className="data-table" data-testid="payments-table">
              <caption className="visually-hidden">Payments, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Last money (UTC)</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">For</th>
                  <th scope="col">Connection</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((payment) => (
                  <tr key={payment.id}>
                    <td>{shortTime(payment.lastAt)}</td>
                    <td className="num">
                      {formatAmount(payment.amount, payment.assetScale, payment.assetCode)}
                    </td>
                    <td>
                      {payment.invoiceId ? (
                        <Link href={`/checkout/${payment.invoiceId}`}>
                          Invoice {payment.invoiceId.slice(0, 8)}
                        </Link>
                      ) : (
                        <span className="muted">{KIND_LABELS[payment.kind ?? 'pointer']}</span>
                      )}
                    </td>
                    <td>
                      <code className="dash-code">{payment.id.slice(0, 12)}</code>
                    </td>
                  </tr>
                ))}
                {page.data.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="muted">
                      No payments
                      {filter.invoiceId || filter.from || filter.to
                        ? ' match these filters'
                        : ' yet'}
                      .
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <Pager pager={pager} nextCursor={page.nextCursor} label="payments" />
        </>
      )}
    </SectionCard>
  );
}
