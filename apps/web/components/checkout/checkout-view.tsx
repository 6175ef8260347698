/** The checkout page's layout: the invoice and the Pay panel, beside the payment pointer. */
import type { CheckoutInvoice } from '@/lib/api/types';
import { InvoiceSummary } from './invoice-summary';
import { PayPanel } from './pay-panel';
import { PaymentPointerCard } from './payment-pointer-card';

export function CheckoutView({ invoice, apiUrl }: { invoice: CheckoutInvoice; apiUrl: string }) {
  return (
    <div className="grid-2">
      <section className="card stack" aria-labelledby="checkout-title">
        <InvoiceSummary invoice={invoice} titleId="checkout-title" />
        <PayPanel initial={invoice} apiUrl={apiUrl} />
      </section>
      <PaymentPointerCard pointer={invoice.paymentPointer} />
    </div>
  );
}
