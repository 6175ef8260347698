/**
 * @tollgate/connector — the embedded Interledger connector of a Tollgate node.
 *
 * - RFC 27 (ILPv4) packet forwarding through an ordered rule chain (`chain/packet-chain.ts`
 *   explains the order): validation, rate limits, max packet amount, credit reservations,
 *   routing, exact bigint FX, expiry shortening, fulfillment checks.
 * - RFC 32/18 balances: in memory per account, credit reserved on Prepare and released on
 *   Reject/expiry, committed on Fulfill and made durable by a group-commit journal before the
 *   Fulfill is released upstream.
 * - Routing: static, local and CCP routes (connector-to-connector protocol, FACTS §5),
 *   longest-prefix match; ILDCP (RFC 31) server for children and client towards a parent;
 *   `peer.settle` relay (RFC 38) to a pluggable handler.
 *
 * Framework-free and database-free: the app implements `BalanceJournal`, `AccountLink` and
 * optionally `RateSource`, and drives the `Connector`.
 */

export { Connector, type AccountSnapshot, type ConnectorOptions } from './connector';
export { ConnectorError, ConnectorErrorCode } from './errors';
export type { ConnectorEvents } from './events';
export { systemScheduler, type Scheduler, type TimerHandle } from './scheduler';

// accounts
export {
  validateAccountConfig,
  type AccountConfig,
  type AccountRelation,
  type RateLimitConfig,
} from './accounts/account-config';
export type { AccountLink, LocalDelivery } from './accounts/account-link';
export type { BalanceSnapshot } from './accounts/account-state';

// balances and durability
export {
  InMemoryBalanceJournal,
  type BalanceEntry,
  type BalanceEntryKind,
  type BalanceJournal,
  type JournalBatchInfo,
} from './balance/balance-journal';
export {
  GroupCommitJournal,
  type GroupCommitOptions,
  type JournalErrorInfo,
  type JournalFlushInfo,
} from './balance/group-commit-journal';
export type { SettlementHook } from './balance/settlement-monitor';

// exchange rates
export { rateFromPrices, type AssetRef, type RateSource } from './rates/rate-source';
export { StaticRateSource } from './rates/static-rate-source';
export { applyRate, parseDecimal, reduce, type Rational } from './rates/rational';

// routing
export type { LocalHandler, Route, RouteSource } from './routing/routing-table';
export type { PeerSettleHandler } from './peer/peer-protocol.service';

// CCP
export {
  CCP_CONTROL_DESTINATION,
  CCP_REQUEST_EXPIRY_MS,
  CCP_UPDATE_DESTINATION,
  CcpMode,
  ZERO_ROUTING_TABLE_ID,
  ccpResponseFulfill,
  ccpRouteControlPrepare,
  ccpRouteUpdatePrepare,
  deserializeCcpRouteControlData,
  deserializeCcpRouteControlRequest,
  deserializeCcpRouteUpdateData,
  deserializeCcpRouteUpdateRequest,
  isPeerProtocolFulfill,
  parseCcpRouteControlPrepare,
  parseCcpRouteUpdatePrepare,
  serializeCcpResponse,
  serializeCcpRouteControlData,
  serializeCcpRouteControlRequest,
  serializeCcpRouteUpdateData,
  serializeCcpRouteUpdateRequest,
  type CcpParseOptions,
  type CcpRequestOptions,
  type CcpRoute,
  type CcpRouteControlRequest,
  type CcpRouteProp,
  type CcpRouteUpdateRequest,
} from './ccp/ccp-codec';
export { DEFAULT_CCP_TIMING, type RouteBroadcaster } from './ccp/route-broadcaster';
export type { CcpTiming } from './ccp/ccp-sender';
