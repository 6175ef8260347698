/**
 * Sending routes to one account that asked for them (a route control request in SYNC mode).
 *
 * Each update carries the forwarding-table entries from the epoch the peer last confirmed,
 * at most `maxEpochsPerUpdate` (50) at a time; once the peer accepted it, we assume it moved
 * to `toEpoch`. With nothing new we still send an empty update (a heartbeat) every
 * `routeBroadcastIntervalMs` (30 s), which keeps our routes alive at the peer (holdDownTime).
 * Updates are at least `minUpdateGapMs` (150 ms) apart, so bursts of changes go out together.
 * A failed update is retried at the next heartbeat. IDLE stops everything.
 *
 * What the peer is not told: routes through itself (it would loop them back; sent as
 * withdrawals in case it had them), and — to a parent — routes through peers or other
 * parents (a parent must not use us as transit to our other upstreams).
 */
import { IlpPrepare, IlpReply } from '@tollgate/ilp-core';
import { AccountRelation } from '../accounts/account-config';
import { Scheduler, TimerHandle } from '../scheduler';
import {
  CcpMode,
  CcpRoute,
  CcpRouteControlRequest,
  CcpRouteUpdateRequest,
  ccpRouteUpdatePrepare,
  isPeerProtocolFulfill,
} from './ccp-codec';
import { ForwardingTable } from './forwarding-table';

export interface CcpTiming {
  routeBroadcastIntervalMs: number;
  routeExpiryMs: number;
  minUpdateGapMs: number;
  controlRetryMs: number;
  maxEpochsPerUpdate: number;
}

/** What a sender needs from the connector. */
export interface CcpSenderHost {
  readonly scheduler: Scheduler;
  readonly table: ForwardingTable;
  readonly timing: CcpTiming;
  ownAddress(): string;
  relationOf(accountId: string): AccountRelation | undefined;
  isConnected(accountId: string): boolean;
  sendPeerRequest(accountId: string, prepare: IlpPrepare): Promise<IlpReply>;
  reportError(accountId: string, error: unknown): void;
}

export class CcpSender {
  mode: CcpMode = CcpMode.Idle;
  /** The peer has seen every forwarding entry below this epoch. */
  lastKnownEpoch = 0;
  private lastUpdateMs = -Infinity;
  private retryAfterMs = -Infinity;
  private timer: TimerHandle | undefined;
  private timerDueMs = Infinity;
  private inFlight = false;
  private stopped = false;

  constructor(
    readonly accountId: string,
    private readonly host: CcpSenderHost,
  ) {}

  handleControl(request: CcpRouteControlRequest): void {
    this.mode = request.mode;
    const table = this.host.table;
    this.lastKnownEpoch =
      request.lastKnownRoutingTableId === table.routingTableId
        ? Math.min(request.lastKnownEpoch, table.currentEpoch)
        : 0;
    this.retryAfterMs = -Infinity;
    if (this.mode === CcpMode.Sync) this.schedule();
    else this.cancel();
  }

  /** Plans the next update: soon if the peer is behind, else the next heartbeat. */
  schedule(): void {
    if (this.stopped || this.mode !== CcpMode.Sync) {
      this.cancel();
      return;
    }
    if (this.inFlight) return; // its completion schedules again
    const { routeBroadcastIntervalMs, minUpdateGapMs } = this.host.timing;
    const now = this.host.scheduler.now();
    const behind = this.lastKnownEpoch < this.host.table.currentEpoch;
    let due = behind ? now : this.lastUpdateMs + routeBroadcastIntervalMs;
    if (due < this.retryAfterMs) due = this.retryAfterMs;
    if (due < now + minUpdateGapMs) due = now + minUpdateGapMs;
    if (this.timer !== undefined) {
      if (this.timerDueMs <= due) return;
      this.host.scheduler.clearTimeout(this.timer);
    }
    this.timerDueMs = due;
    this.timer = this.host.scheduler.setTimeout(() => {
      this.timer = undefined;
      this.timerDueMs = Infinity;
      void this.sendUpdate();
    }, due - now);
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  /** The update this peer would get now (exposed for tests and status pages). */
  buildUpdate(): CcpRouteUpdateRequest {
    const host = this.host;
    const table = host.table;
    const from = this.lastKnownEpoch;
    const to = Math.min(from + host.timing.maxEpochsPerUpdate, table.currentEpoch);
    const relation = host.relationOf(this.accountId);
    const newRoutes: CcpRoute[] = [];
    const withdrawnRoutes: string[] = [];
    for (const entry of table.range(from, to)) {
      const route = entry.route;
      let hidden = route === undefined || route.nextHop === this.accountId;
      if (!hidden && relation === 'parent' && route?.nextHop !== undefined) {
        const via = host.relationOf(route.nextHop);
        hidden = via === 'peer' || via === 'parent';
      }
      if (hidden || route === undefined) withdrawnRoutes.push(entry.prefix);
      else {
        newRoutes.push({
          prefix: entry.prefix,
          path: [...route.path],
          auth: route.auth,
          props: [],
        });
      }
    }
    return {
      routingTableId: table.routingTableId,
      currentEpochIndex: table.currentEpoch,
      fromEpochIndex: from,
      toEpochIndex: to,
      holdDownTime: host.timing.routeExpiryMs,
      speaker: host.ownAddress(),
      newRoutes,
      withdrawnRoutes,
    };
  }

  private cancel(): void {
    if (this.timer !== undefined) this.host.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueMs = Infinity;
  }

  private async sendUpdate(): Promise<void> {
    if (this.stopped || this.mode !== CcpMode.Sync || this.inFlight) return;
    const host = this.host;
    const now = host.scheduler.now();
    this.lastUpdateMs = now;
    if (!host.isConnected(this.accountId)) {
      this.retryAfterMs = now + host.timing.routeBroadcastIntervalMs; // try again at the next heartbeat
      this.schedule();
      return;
    }
    const update = this.buildUpdate();
    this.inFlight = true;
    try {
      const reply = await host.sendPeerRequest(
        this.accountId,
        ccpRouteUpdatePrepare(update, { now }),
      );
      if (!isPeerProtocolFulfill(reply)) {
        const detail =
          'code' in reply ? `${reply.code} ${reply.message}` : 'unexpected fulfillment';
        throw new Error(`route update rejected: ${detail}`);
      }
      // a control request during the flight may have reset the peer's epoch: keep that
      if (this.lastKnownEpoch === update.fromEpochIndex) this.lastKnownEpoch = update.toEpochIndex;
    } catch (error) {
      this.retryAfterMs = host.scheduler.now() + host.timing.routeBroadcastIntervalMs;
      host.reportError(this.accountId, error);
    } finally {
      this.inFlight = false;
    }
    this.schedule();
  }
}
