'use client';
/**
 * The demo wallet page: create or restore the browser's wallet, its balance, top-ups from
 * the node's demo funds, and its history.
 */
import { useState } from 'react';
import type { DemoWallet, WalletHistoryEntry } from '@/lib/api/types';
import { formatAmount } from '@/lib/money';
import { CopyButton } from '../ui/copy-button';
import { useDemoWallet } from './use-demo-wallet';
import { WalletUnavailable } from './wallet-unavailable';

const KIND_LABELS: Record<WalletHistoryEntry['kind'], string> = {
  'top-up': 'Top-up from demo funds',
  payment: 'Payment sent',
  received: 'Money received',
  adjustment: 'Adjustment',
};

export function WalletPanel({ apiUrl }: { apiUrl: string }) {
  const wallet = useDemoWallet(apiUrl);
  const { state } = wallet;

  if (state.status === 'loading') {
    return (
      <section className="card" aria-busy="true">
        <p className="muted">Loading your demo wallet…</p>
      </section>
    );
  }
  if (state.status === 'ready') {
    return (
      <WalletDetails
        wallet={state.wallet}
        token={state.credentials.token}
        busy={wallet.busy}
        onTopUp={wallet.topUp}
        onForget={wallet.forget}
      />
    );
  }
  if (state.status === 'unavailable') {
    return (
      <section className="card stack" aria-labelledby="wallet-unavailable-title">
        <h2 id="wallet-unavailable-title">A new demo wallet</h2>
        <WalletUnavailable message={state.message} busy={wallet.busy} onRetry={wallet.refresh} />
      </section>
    );
  }
  if (state.status === 'error' && state.credentials) {
    // This browser has a wallet; the server could not show it. Never offer a new one here.
    return (
      <section className="card stack" aria-labelledby="wallet-error-title">
        <h2 id="wallet-error-title">Your demo wallet</h2>
        <div className="notice notice--danger" role="alert">
          {state.message}
        </div>
        <div className="button-row">
          <button type="button" className="button" onClick={wallet.refresh} disabled={wallet.busy}>
            Try again
          </button>
        </div>
      </section>
    );
  }
  return (
    <div className="grid-2">
      <section className="card stack" aria-labelledby="new-wallet-title">
        <h2 id="new-wallet-title">A new demo wallet</h2>
        {state.status === 'error' ? (
          <div className="notice notice--danger" role="alert">
            {state.message}
          </div>
        ) : null}
        <p>
          A demo wallet is a customer account on this Tollgate node, funded with made-up demo money,
          so you can try paying invoices right here. Its key stays in this browser.
        </p>
        <div className="button-row">
          <button type="button" className="button" onClick={wallet.create} disabled={wallet.busy}>
            Create a demo wallet
          </button>
        </div>
      </section>
      <RestoreForm busy={wallet.busy} onRestore={wallet.restore} />
    </div>
  );
}

function WalletDetails({
  wallet,
  token,
  busy,
  onTopUp,
  onForget,
}: {
  wallet: DemoWallet;
  token: string;
  busy: boolean;
  onTopUp: () => void;
  onForget: () => void;
}) {
  const fmt = (amount: string, signed = false) =>
    formatAmount(amount, wallet.assetScale, wallet.assetCode, { signed });
  const full = BigInt(wallet.balance) >= BigInt(wallet.maxBalance);
  return (
    <div className="grid-2">
      <section className="card stack" aria-labelledby="balance-title">
        <h2 id="balance-title">Balance</h2>
        <p className="amount-large" data-testid="wallet-balance" aria-live="polite">
          {fmt(wallet.balance)}
        </p>
        <div className="button-row">
          <button type="button" className="button" onClick={onTopUp} disabled={busy || full}>
            Top up {fmt(wallet.topUpAmount)}
          </button>
          <button type="button" className="button button--secondary" onClick={onForget}>
            Forget this wallet
          </button>
        </div>
        <p className="muted">
          {full
            ? `The wallet holds the most a demo wallet may (${fmt(wallet.maxBalance)}).`
            : `Demo wallets hold at most ${fmt(wallet.maxBalance)}.`}
        </p>
        <dl className="facts">
          <dt>Wallet</dt>
          <dd>
            <code>{wallet.id}</code>
          </dd>
          <dt>ILP address</dt>
          <dd>
            <code>{wallet.ilpAddress}</code>
          </dd>
        </dl>
        <details>
          <summary>Wallet key (to use this wallet in another browser)</summary>
          <div className="pointer" style={{ marginTop: '0.5rem' }}>
            <code>{token}</code>
            <CopyButton text={token} label="Copy the wallet key" />
          </div>
        </details>
      </section>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {wallet.history.length === 0 ? (
          <p className="muted">Nothing yet.</p>
        ) : (
          <ul className="history" data-testid="wallet-history">
            {wallet.history.map((entry, i) => (
              <li key={`${entry.at}-${i}`}>
                <span>
                  {KIND_LABELS[entry.kind]}
                  <br />
                  <time className="muted" dateTime={entry.at}>
                    {new Date(entry.at).toUTCString()}
                  </time>
                </span>
                <span
                  className={
                    BigInt(entry.amount) >= 0n ? 'history__amount--in' : 'history__amount--out'
                  }
                >
                  {fmt(entry.amount, true)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function RestoreForm({
  busy,
  onRestore,
}: {
  busy: boolean;
  onRestore: (credentials: { id: string; token: string }) => void;
}) {
  const [id, setId] = useState('');
  const [token, setToken] = useState('');
  return (
    <section className="card" aria-labelledby="restore-title">
      <h2 id="restore-title">Use an existing wallet</h2>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          onRestore({ id: id.trim(), token: token.trim() });
        }}
      >
        <div>
          <label htmlFor="wallet-id">Wallet id</label>
          <input
            id="wallet-id"
            className="input"
            value={id}
            onChange={(e) => setId(e.target.value)}
            required
            autoComplete="off"
          />
        </div>
        <div>
          <label htmlFor="wallet-key">Wallet key</label>
          <input
            id="wallet-key"
            className="input"
            type="password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            required
            autoComplete="off"
          />
        </div>
        <button type="submit" className="button button--secondary" disabled={busy}>
          Use this wallet
        </button>
      </form>
    </section>
  );
}
