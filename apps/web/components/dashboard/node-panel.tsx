'use client';
/**
 * The node's peers, parents and children with their live balances, and its settlements: the
 * operator's business, so the API shows them to the node owner's merchant only and this
 * panel says so to anyone else.
 */
import { useCallback } from 'react';
import { formatAmount } from '@/lib/money';
import type { DashboardContext } from './dashboard-view';
import { SectionCard } from './section-card';
import { shortTime } from './time-format';
import { useSection } from './use-section';

export function NodePanel({ context }: { context: DashboardContext }) {
  const { api, tick, onUnauthorized } = context;
  const peers = useSection(
    useCallback(() => api.peers(), [api]),
    tick,
    onUnauthorized,
  );
  const settlements = useSection(
    useCallback(() => api.settlements(), [api]),
    tick,
    onUnauthorized,
  );

  return (
    <div className="grid-2 dash-node">
      <SectionCard id="peers" title="Peer balances" state={peers} minHeight={80}>
        {(accounts) =>
          accounts.length === 0 ? (
            <p className="muted">This node has no peer, parent or child accounts.</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table" data-testid="peers-table">
                <caption className="visually-hidden">
                  Accounts of this node; a positive balance is owed to the account
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Relation</th>
                    <th scope="col" className="num">
                      Balance
                    </th>
                    <th scope="col">Link</th>
                  </tr>
                </thead>
                <tbody>
                  {accounts.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <code className="dash-code">{a.id}</code>
                      </td>
                      <td>{a.relation}</td>
                      <td className="num">{formatAmount(a.balance, a.assetScale, a.assetCode)}</td>
                      <td>{a.connected ? 'Connected' : <span className="muted">Offline</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </SectionCard>
      <SectionCard id="settlements" title="Settlements" state={settlements} minHeight={80}>
        {(page) =>
          page.data.length === 0 ? (
            <p className="muted">No settlements yet.</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table" data-testid="settlements-table">
                <caption className="visually-hidden">Settlements, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When (UTC)</th>
                    <th scope="col">Account</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.map((s) => (
                    <tr key={s.id}>
                      <td>{shortTime(s.createdAt)}</td>
                      <td>
                        <code className="dash-code">{s.accountId}</code>{' '}
                        <span className="muted">{s.direction === 'incoming' ? 'in' : 'out'}</span>
                      </td>
                      <td className="num">{formatAmount(s.amount, s.assetScale, s.assetCode)}</td>
                      <td title={s.lastError ?? undefined}>{s.state}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </SectionCard>
    </div>
  );
}
