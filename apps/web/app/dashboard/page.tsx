/** `/dashboard`: the merchant dashboard (its key lives in the browser, so it is client-side). */
import type { Metadata } from 'next';
import { DashboardApp } from '@/components/dashboard/dashboard-app';
import { publicApiUrl } from '@/lib/server-config';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  return (
    <div className="stack dash">
      <h1>Merchant dashboard</h1>
      <DashboardApp publicApiUrl={await publicApiUrl()} />
    </div>
  );
}
