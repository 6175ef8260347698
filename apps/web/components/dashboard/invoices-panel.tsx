'use client';
/**
 * The merchant's invoices, newest first: filters (status, created between two days), cursor
 * paging (the API pages forward; earlier pages are remembered for "Newer"), each invoice
 * with its status, what it received and its checkout link.
 */
import Link from 'next/link';
import { useCallback, useState, type FormEvent } from 'react';
import type { InvoiceStatus } from '@/lib/api/types';
import type { InvoiceFilter } from '@/lib/dashboard/dashboard-types';
import { formatAmount } from '@/lib/money';
import { StatusBadge } from '../ui/status-badge';
import type { DashboardContext } from './dashboard-view';
import { Pager, usePager } from './pager';
import { SectionCard } from './section-card';
import { dayEnd, dayStart, shortTime } from './time-format';
import { useSection } from './use-section';

const PAGE_SIZE = 10;

export function InvoicesPanel({ context }: { context: DashboardContext }) {
  const { api, tick, onUnauthorized } = context;
  const [filter, setFilter] = useState<InvoiceFilter>({});
  const pager = usePager();
  const load = useCallback(
    () => api.invoices(filter, pager.cursor, PAGE_SIZE),
    [api, filter, pager.cursor],
  );
  const state = useSection(load, tick, onUnauthorized);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const status = String(form.get('status') ?? '');
    setFilter({
      status: status ? (status as InvoiceStatus) : undefined,
      from: dayStart(String(form.get('from') ?? '')),
      to: dayEnd(String(form.get('to') ?? '')),
    });
    pager.reset();
  };

  const toolbar = (
    <form className="dash-filters" onSubmit={apply} aria-label="Filter invoices">
      <div>
        <label htmlFor="invoice-status">Status</label>
        <select id="invoice-status" name="status" className="input" defaultValue="">
          <option value="">Any</option>
          <option value="open">Open</option>
          <option value="paid">Paid</option>
          <option value="expired">Expired</option>
        </select>
      </div>
      <div>
        <label htmlFor="invoice-from">Created from</label>
        <input id="invoice-from" name="from" type="date" className="input" />
      </div>
      <div>
        <label htmlFor="invoice-to">Created until</label>
        <input id="invoice-to" name="to" type="date" className="input" />
      </div>
      <div className="dash-filters__submit">
        <button type="submit" className="button button--secondary">
          Apply filters
        </button>
      </div>
    </form>
  );

  return (
    <SectionCard id="invoices" title="Invoices" state={state} toolbar={toolbar} minHeight={180}>
      {(page) => (
        <>
          <div className="table-scroll">
            <table className="data-table" data-testid="invoices-table">
              <caption className="visually-hidden">Invoices, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Created (UTC)</th>
                  <th scope="col">Description</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="num">
                    Received
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Checkout</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((invoice) => (
                  <tr key={invoice.id} data-invoice-id={invoice.id}>
                    <td>{shortTime(invoice.createdAt)}</td>
                    <td className="dash-cell-text">{invoice.description || '—'}</td>
                    <td className="num">
                      {formatAmount(invoice.amount, invoice.assetScale, invoice.assetCode)}
                    </td>
                    <td className="num">
                      {formatAmount(invoice.received, invoice.assetScale, invoice.assetCode)}
                    </td>
                    <td>
                      <StatusBadge status={invoice.status} />
                    </td>
                    <td>
                      <Link
                        href={`/checkout/${invoice.id}`}
                        aria-label={`Checkout page of ${invoice.description || invoice.id}`}
                      >
                        Checkout
                      </Link>
                    </td>
                  </tr>
                ))}
                {page.data.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="muted">
                      No invoices
                      {filter.status || filter.from || filter.to ? ' match these filters' : ' yet'}.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <Pager pager={pager} nextCursor={page.nextCursor} label="invoices" />
        </>
      )}
    </SectionCard>
  );
}
