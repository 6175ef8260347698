/** How an invoice looks over REST: amounts as base-unit strings with the asset beside them. */
import { serializeAmount } from '../common/money/amount';
import { Merchant } from '../merchants/merchant.entity';
import { Invoice, InvoiceStatus } from './invoice.entity';
import { ConnectionTotal } from './invoices.repository';

export interface InvoiceView {
  id: string;
  merchantId: string;
  amount: string;
  received: string;
  assetCode: string;
  assetScale: number;
  description: string;
  metadata: Record<string, string>;
  status: InvoiceStatus;
  expiresAt: string;
  paidAt: string | null;
  createdAt: string;
  /** For any ILP wallet: `$host/<merchant>/invoices/<id>`. */
  paymentPointer: string;
  /** The same, as the SPSP endpoint URL. */
  spspUrl: string;
  /** One entry per STREAM connection that delivered money. */
  payments?: { id: string; received: string; firstAt: string; lastAt: string }[];
}

export function invoiceView(
  invoice: Invoice,
  merchant: Merchant,
  received: bigint,
  baseUrl: string,
  connections?: ConnectionTotal[],
): InvoiceView {
  const url = new URL(`/${merchant.slug}/invoices/${invoice.id}`, baseUrl);
  const view: InvoiceView = {
    id: invoice.id,
    merchantId: invoice.merchantId,
    amount: serializeAmount(invoice.amount),
    received: serializeAmount(received),
    assetCode: merchant.assetCode,
    assetScale: merchant.assetScale,
    description: invoice.description,
    metadata: invoice.metadata,
    status: invoice.status,
    expiresAt: invoice.expiresAt.toISOString(),
    paidAt: invoice.paidAt?.toISOString() ?? null,
    createdAt: invoice.createdAt.toISOString(),
    paymentPointer: `$${url.host}${url.pathname}`,
    spspUrl: url.toString(),
  };
  if (connections) {
    view.payments = connections.map((c) => ({
      id: c.ref.slice(c.ref.lastIndexOf('.') + 1),
      received: serializeAmount(c.received),
      firstAt: c.firstAt.toISOString(),
      lastAt: c.lastAt.toISOString(),
    }));
  }
  return view;
}
