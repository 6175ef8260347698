/** Invoices as the server sends them, and how the CLI shows them to people. */
import { formatBaseUnits } from '../money/decimal-amount';

/** `GET /api/invoices/:id` (amounts: base-unit strings at `assetScale`). */
export interface Invoice {
  id: string;
  amount: string;
  received: string;
  assetCode: string;
  assetScale: number;
  description: string;
  metadata?: Record<string, string>;
  status: 'open' | 'paid' | 'expired';
  expiresAt: string;
  paidAt: string | null;
  createdAt: string;
  paymentPointer: string;
  spspUrl: string;
  payments?: { id: string; received: string; firstAt: string; lastAt: string }[];
}

/** "12.50 USD" */
export function money(
  baseUnits: string,
  invoice: Pick<Invoice, 'assetCode' | 'assetScale'>,
): string {
  return `${formatBaseUnits(baseUnits, invoice.assetScale)} ${invoice.assetCode}`;
}

/** The detail block of `invoice create` / `invoice get`. */
export function describeInvoice(invoice: Invoice, now = Date.now()): string {
  const lines: [string, string][] = [
    ['status', invoice.status],
    ['amount', money(invoice.amount, invoice)],
    ['received', money(invoice.received, invoice)],
  ];
  if (invoice.description) lines.push(['description', invoice.description]);
  for (const [key, value] of Object.entries(invoice.metadata ?? {})) {
    lines.push([`metadata.${key}`, value]);
  }
  lines.push(['created', invoice.createdAt]);
  if (invoice.paidAt !== null) lines.push(['paid', invoice.paidAt]);
  else lines.push(['expires', `${invoice.expiresAt} (${relative(invoice.expiresAt, now)})`]);
  lines.push(['pay to', invoice.paymentPointer]);
  for (const p of invoice.payments ?? []) {
    lines.push(['payment', `${money(p.received, invoice)} on connection ${p.id} at ${p.lastAt}`]);
  }
  const width = Math.max(...lines.map(([k]) => k.length));
  return (
    `Invoice ${invoice.id}\n` +
    lines.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n') +
    '\n'
  );
}

function relative(iso: string, now: number): string {
  const ms = new Date(iso).getTime() - now;
  const past = ms < 0;
  const s = Math.round(Math.abs(ms) / 1000);
  const text =
    s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  return past ? `${text} ago` : `in ${text}`;
}
