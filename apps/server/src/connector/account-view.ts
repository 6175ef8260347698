/**
 * How an account looks in the admin API: every amount a decimal string of base units, no
 * secret ever (only whether one is set), and the live balance from the connector.
 */
import type { AccountSnapshot } from '@tollgate/connector';
import { serializeAmount } from '../common/money/amount';
import { Account } from './account.entity';

export interface AccountView {
  id: string;
  assetCode: string;
  assetScale: number;
  relation: string;
  link: string;
  ilpAddress: string | null;
  outgoingUrl: string | null;
  hasIncomingToken: boolean;
  hasOutgoingToken: boolean;
  maxPacketAmount: string | null;
  minBalance: string | null;
  maxBalance: string | null;
  settleThreshold: string | null;
  settleTo: string | null;
  settlementEngineUrl: string | null;
  rateLimit: { packetsPerSecond: number | null; amountPerSecond: string | null } | null;
  sendRoutes: boolean | null;
  receiveRoutes: boolean | null;
  /** Live balance: positive = this node owes the account, negative = the account owes it. */
  balance: string;
  /** Credit held by Prepares in flight from / to this account. */
  reservedIncoming: string;
  reservedOutgoing: string;
  connected: boolean;
  createdAt: string;
}

export function accountView(a: Account, live: AccountSnapshot | undefined): AccountView {
  const hasRateLimit = a.rateLimitPacketsPerSecond !== null || a.rateLimitAmountPerSecond !== null;
  return {
    id: a.id,
    assetCode: a.assetCode,
    assetScale: a.assetScale,
    relation: a.relation,
    link: a.link,
    ilpAddress: live?.address ?? null,
    outgoingUrl: redactUrl(a.outgoingUrl),
    hasIncomingToken: a.incomingTokenHash !== null,
    hasOutgoingToken: a.outgoingToken !== null,
    maxPacketAmount: serializeAmount(a.maxPacketAmount),
    minBalance: serializeAmount(a.minBalance),
    maxBalance: serializeAmount(a.maxBalance),
    settleThreshold: serializeAmount(a.settleThreshold),
    settleTo: serializeAmount(a.settleTo),
    settlementEngineUrl: a.settlementEngineUrl,
    rateLimit: hasRateLimit
      ? {
          packetsPerSecond: a.rateLimitPacketsPerSecond,
          amountPerSecond: serializeAmount(a.rateLimitAmountPerSecond),
        }
      : null,
    sendRoutes: a.sendRoutes,
    receiveRoutes: a.receiveRoutes,
    balance: (live?.balance ?? a.balance).toString(),
    reservedIncoming: (live?.reservedIncoming ?? 0n).toString(),
    reservedOutgoing: (live?.reservedOutgoing ?? 0n).toString(),
    connected: live?.connected ?? false,
    createdAt: a.createdAt.toISOString(),
  };
}

/** Credentials embedded in a btp+ws://user:token@host URL are secrets too. */
function redactUrl(url: string | null): string | null {
  if (url === null) return null;
  return url.replace(/\/\/[^@/]*@/, '//[redacted]@');
}
