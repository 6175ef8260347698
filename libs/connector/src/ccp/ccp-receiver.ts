/**
 * Receiving routes from one account.
 *
 * When its link comes up we ask for routes (route control, SYNC, with the table id and epoch
 * we know — all zeros at first), retrying every 30 s until the request is accepted. Updates
 * are applied by the epoch rules (FACTS §5):
 *   - a new routing table id: the peer restarted; forget its routes and start from epoch 0;
 *   - fromEpoch beyond our epoch: we missed something; ignore it and ask again (SYNC);
 *   - our epoch beyond toEpoch: old news; ignore;
 *   - empty: a heartbeat; otherwise withdrawals first, then new routes; epoch = toEpoch.
 * Every update keeps the peer's routes alive for its holdDownTime; if none arrives in that
 * time they are dropped and we ask again. Routes that would loop (our address in the path),
 * that are not strictly under our global prefix, or that claim our own subtree (other than
 * a child's own part of it) are refused.
 */
import { IlpPrepare, IlpReply, isValidIlpAddress } from '@tollgate/ilp-core';
import { AccountRelation } from '../accounts/account-config';
import { RoutingTable } from '../routing/routing-table';
import { Scheduler, TimerHandle } from '../scheduler';
import {
  CcpMode,
  CcpRoute,
  ccpRouteControlPrepare,
  CcpRouteUpdateRequest,
  isPeerProtocolFulfill,
  ZERO_ROUTING_TABLE_ID,
} from './ccp-codec';
import { CcpTiming } from './ccp-sender';

export interface CcpReceiverHost {
  readonly scheduler: Scheduler;
  readonly routes: RoutingTable;
  readonly timing: CcpTiming;
  ownAddress(): string;
  globalPrefix(): string;
  relationOf(accountId: string): AccountRelation | undefined;
  isConnected(accountId: string): boolean;
  sendPeerRequest(accountId: string, prepare: IlpPrepare): Promise<IlpReply>;
  reportError(accountId: string, error: unknown): void;
}

export class CcpReceiver {
  routingTableId = ZERO_ROUTING_TABLE_ID;
  epoch = 0;
  /** Routes from this peer are dropped at this time unless an update arrives first. */
  expiresAtMs = 0;
  private expiryTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private controlInFlight = false;
  private stopped = false;

  constructor(
    readonly accountId: string,
    private readonly host: CcpReceiverHost,
  ) {}

  /** Asks the peer for routes (SYNC). Retries every controlRetryMs until accepted. */
  sendControl(): void {
    if (this.stopped || this.controlInFlight) return;
    const host = this.host;
    if (this.retryTimer !== undefined) host.scheduler.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!host.isConnected(this.accountId)) {
      this.retryLater();
      return;
    }
    this.controlInFlight = true;
    const prepare = ccpRouteControlPrepare(
      {
        mode: CcpMode.Sync,
        lastKnownRoutingTableId: this.routingTableId,
        lastKnownEpoch: this.epoch,
        features: [],
      },
      { now: host.scheduler.now() },
    );
    host
      .sendPeerRequest(this.accountId, prepare)
      .then((reply) => {
        if (!isPeerProtocolFulfill(reply)) {
          const detail =
            'code' in reply ? `${reply.code} ${reply.message}` : 'unexpected fulfillment';
          throw new Error(`route control rejected: ${detail}`);
        }
      })
      .catch((error: unknown) => {
        host.reportError(this.accountId, error);
        this.retryLater();
      })
      .finally(() => {
        this.controlInFlight = false;
      });
  }

  handleUpdate(update: CcpRouteUpdateRequest): void {
    if (this.stopped) return;
    this.keepAlive(update.holdDownTime);
    if (update.routingTableId !== this.routingTableId) {
      this.host.routes.clearReceived(this.accountId);
      this.routingTableId = update.routingTableId;
      this.epoch = 0;
    }
    if (update.fromEpochIndex > this.epoch) {
      this.sendControl(); // a gap: ask for a replay from what we have
      return;
    }
    if (this.epoch > update.toEpochIndex) return;
    const routes = this.host.routes;
    for (const prefix of update.withdrawnRoutes) routes.deleteReceived(this.accountId, prefix);
    for (const route of update.newRoutes) {
      if (this.acceptable(route)) {
        routes.setReceived(this.accountId, route.prefix, {
          path: Object.freeze([...route.path]),
          auth: route.auth.slice(),
        });
      } else {
        routes.deleteReceived(this.accountId, route.prefix);
      }
    }
    this.epoch = update.toEpochIndex;
  }

  stop(): void {
    this.stopped = true;
    const scheduler = this.host.scheduler;
    if (this.retryTimer !== undefined) scheduler.clearTimeout(this.retryTimer);
    if (this.expiryTimer !== undefined) scheduler.clearTimeout(this.expiryTimer);
    this.retryTimer = undefined;
    this.expiryTimer = undefined;
    this.host.routes.clearReceived(this.accountId);
  }

  private acceptable(route: CcpRoute): boolean {
    const prefix = route.prefix;
    const host = this.host;
    if (!isValidIlpAddress(prefix)) return false;
    if (!prefix.startsWith(`${host.globalPrefix()}.`)) return false;
    const own = host.ownAddress();
    if (route.path.includes(own)) return false;
    if (prefix === own || prefix.startsWith(`${own}.`)) {
      // our subtree: only a child may announce what lies below its own address
      const childAddress = `${own}.${this.accountId}`;
      const underChild = prefix === childAddress || prefix.startsWith(`${childAddress}.`);
      if (!(underChild && host.relationOf(this.accountId) === 'child')) return false;
    }
    return true;
  }

  private retryLater(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    this.retryTimer = this.host.scheduler.setTimeout(() => {
      this.retryTimer = undefined;
      this.sendControl();
    }, this.host.timing.controlRetryMs);
  }

  private keepAlive(holdDownTime: number): void {
    const until = this.host.scheduler.now() + holdDownTime;
    if (until <= this.expiresAtMs) return;
    this.expiresAtMs = until;
    if (this.expiryTimer === undefined) this.armExpiry();
  }

  private armExpiry(): void {
    const scheduler = this.host.scheduler;
    const delay = Math.max(0, this.expiresAtMs - scheduler.now());
    this.expiryTimer = scheduler.setTimeout(() => {
      this.expiryTimer = undefined;
      if (this.stopped) return;
      if (scheduler.now() < this.expiresAtMs) {
        this.armExpiry(); // refreshed meanwhile
        return;
      }
      // no refresh within holdDownTime: the routes are stale
      this.host.routes.clearReceived(this.accountId);
      this.routingTableId = ZERO_ROUTING_TABLE_ID;
      this.epoch = 0;
      this.sendControl();
    }, delay);
  }
}
