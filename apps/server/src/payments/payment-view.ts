/** How a payment looks over REST and in `payment.received`: amounts as base-unit strings. */
import { serializeAmount } from '../common/money/amount';
import { PaymentRow } from './payments.repository';

/** What the connection paid: the merchant's pointer, an invoice, or a paid-content session. */
export type PaymentKind = 'pointer' | 'invoice' | 'session' | 'other';

const KINDS: Record<string, PaymentKind> = { m: 'pointer', i: 'invoice', s: 'session' };

export interface PaymentView {
  /** The STREAM connection's id (as in an invoice's `payments`). */
  id: string;
  kind: PaymentKind;
  invoiceId: string | null;
  /** Everything this connection delivered so far. */
  amount: string;
  assetCode: string;
  assetScale: number;
  firstAt: string;
  lastAt: string;
}

export function paymentView(p: PaymentRow): PaymentView {
  return {
    id: p.ref.slice(p.ref.lastIndexOf('.') + 1),
    kind: KINDS[p.ref.slice(0, p.ref.indexOf('.'))] ?? 'other',
    invoiceId: p.invoiceId,
    amount: serializeAmount(p.amount),
    assetCode: p.assetCode,
    assetScale: p.assetScale,
    firstAt: p.firstAt.toISOString(),
    lastAt: p.lastAt.toISOString(),
  };
}
