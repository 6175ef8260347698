/**
 * Observability hooks, without a logger dependency: the app turns these into metrics and
 * logs. Every hook is optional and called synchronously; a hook that throws is ignored.
 * Per-packet hooks take positional arguments so no object is allocated per packet.
 */
import { JournalErrorInfo, JournalFlushInfo } from './balance/group-commit-journal';
import { RouteSource } from './routing/routing-table';

export interface ConnectorEvents {
  /**
   * A Fulfill went upstream (after its balance changes were durable). For local delivery
   * `to` is undefined and `amountOut` 0.
   */
  packetFulfilled?(from: string, to: string | undefined, amountIn: bigint, amountOut: bigint): void;
  /**
   * A Reject went upstream. `relayed` is true when it came from downstream unchanged, false
   * when this node produced it (triggeredBy is then our address, or `peer.settle`).
   */
  packetRejected?(
    from: string,
    to: string | undefined,
    code: string,
    triggeredBy: string,
    relayed: boolean,
  ): void;
  /** A journal batch became durable; `waitMs` is the journal lag. */
  journalFlushed?(info: JournalFlushInfo): void;
  /** A journal append failed; it is retried (never dropped). Alert on this. */
  journalError?(error: unknown, info: JournalErrorInfo): void;
  /** An account's balance went above its settleThreshold (also `onSettlementNeeded`). */
  settlementNeeded?(accountId: string, balance: bigint): void;
  /** The best route for a prefix changed (nextHop undefined: local, or gone when source is). */
  routeChanged?(prefix: string, nextHop: string | undefined, source: RouteSource | undefined): void;
  /** A CCP request to an account failed (it is retried). */
  ccpError?(accountId: string, error: unknown): void;
}

/** Calls an observer, ignoring anything it throws. */
export function notify(call: () => void): void {
  try {
    call();
  } catch {
    // observers never break the packet path
  }
}
