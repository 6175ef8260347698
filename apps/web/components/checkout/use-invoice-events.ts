/**
 * The invoice as the server sees it, live: starts from the server-rendered snapshot and
 * follows `/api/checkout/:id/events` (Server-Sent Events) until the invoice is paid or
 * expired. `live` is false while the event stream is down (EventSource retries by itself).
 */
import { useCallback, useEffect, useState } from 'react';
import type { TollgateApi } from '@/lib/api/client';
import type { CheckoutInvoice } from '@/lib/api/types';

export function useInvoiceEvents(api: TollgateApi, initial: CheckoutInvoice) {
  const [invoice, setInvoice] = useState(initial);
  const [live, setLive] = useState(true);
  const finished = invoice.status !== 'open';

  useEffect(() => {
    if (finished) return;
    const source = new EventSource(api.checkoutEventsUrl(initial.id));
    source.addEventListener('open', () => setLive(true));
    source.addEventListener('error', () => setLive(false));
    source.addEventListener('invoice', (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as CheckoutInvoice;
      setLive(true);
      // Keep the public origin of pointer and SPSP URL from the initial snapshot.
      setInvoice((previous) => ({
        ...previous,
        status: next.status,
        received: next.received,
        paidAt: next.paidAt,
      }));
      if (next.status !== 'open') source.close();
    });
    return () => source.close();
  }, [api, initial.id, finished]);

  /** Re-reads the invoice (after a payment ends, in case an event was missed). */
  const reload = useCallback(async () => {
    try {
      const next = await api.checkout(initial.id);
      setInvoice((previous) => ({
        ...previous,
        status: next.status,
        received: next.received,
        paidAt: next.paidAt,
      }));
    } catch {
      // the event stream, or the next reload, will tell
    }
  }, [api, initial.id]);

  return { invoice, live, reload };
}
