/** Checkout helpers shared by the server page and the browser panel. */
import type { CheckoutInvoice } from './api/types';

/**
 * The invoice as a browser must see it: the API builds pointer and SPSP URL on the origin it
 * was asked on, which for a server-side fetch is the internal one. Same path, public origin.
 */
export function withPublicOrigin(invoice: CheckoutInvoice, publicApiUrl: string): CheckoutInvoice {
  const spsp = new URL(new URL(invoice.spspUrl).pathname, publicApiUrl);
  return { ...invoice, spspUrl: spsp.toString(), paymentPointer: `$${spsp.host}${spsp.pathname}` };
}

/** Destination units still due. */
export function remainingDue(invoice: Pick<CheckoutInvoice, 'amount' | 'received'>): bigint {
  const due = BigInt(invoice.amount) - BigInt(invoice.received);
  return due > 0n ? due : 0n;
}
