import type { InvoiceStatus } from '@/lib/api/types';

const LABELS: Record<InvoiceStatus, string> = { open: 'Open', paid: 'Paid', expired: 'Expired' };

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  return (
    <span className={`status-badge status-badge--${status}`} data-testid="invoice-status">
      {LABELS[status]}
    </span>
  );
}
