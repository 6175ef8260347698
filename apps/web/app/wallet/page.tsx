/** `/wallet`: the browser's demo wallet (its key lives in localStorage, so all of it is client-side). */
import type { Metadata } from 'next';
import { WalletPanel } from '@/components/wallet/wallet-panel';
import { publicApiUrl } from '@/lib/server-config';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Demo wallet' };

export default async function WalletPage() {
  return (
    <div className="stack">
      <h1>Demo wallet</h1>
      <div className="notice notice--info">
        Demo money for trying payments on this node. It is not real money and a node in production
        turns demo wallets off.
      </div>
      <WalletPanel apiUrl={await publicApiUrl()} />
    </div>
  );
}
