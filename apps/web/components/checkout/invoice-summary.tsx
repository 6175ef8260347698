/** Who is asking for how much, and until when. */
import type { CheckoutInvoice } from '@/lib/api/types';
import { formatAmount } from '@/lib/money';

export function InvoiceSummary({
  invoice,
  titleId,
}: {
  invoice: CheckoutInvoice;
  titleId: string;
}) {
  const expires = new Date(invoice.expiresAt);
  return (
    <div className="stack">
      <div>
        <h1 id={titleId} className="checkout-title">
          Pay <strong data-testid="merchant-name">{invoice.merchant.name}</strong>
        </h1>
        <p className="amount-large" data-testid="invoice-amount">
          {formatAmount(invoice.amount, invoice.assetScale, invoice.assetCode)}
        </p>
      </div>
      <dl className="facts">
        {invoice.description ? (
          <>
            <dt>For</dt>
            <dd>{invoice.description}</dd>
          </>
        ) : null}
        <dt>Expires</dt>
        <dd>
          <time dateTime={invoice.expiresAt}>{expires.toUTCString()}</time>
        </dd>
        <dt>Invoice</dt>
        <dd>
          <code>{invoice.id}</code>
        </dd>
      </dl>
    </div>
  );
}
