/**
 * CCP on this node: keeps the forwarding table (what we advertise) in step with the routing
 * table, runs one sender per account that asked for our routes and one receiver per account
 * whose routes we take, and answers their control and update requests.
 *
 * What we advertise for a prefix is its best route with our address prepended to the path
 * and SHA-256 of its auth value — except prefixes outside our global prefix, the global
 * prefix itself (the default route) and routes under our own address that we originate
 * (children, local receivers): our own address covers those.
 */
import { IlpError, IlpErrorCode, IlpPrepare, IlpReply } from '@tollgate/ilp-core';
import { sha256Sync } from '@tollgate/ilp-core/node';
import { AccountRelation } from '../accounts/account-config';
import { Route, RoutingTable } from '../routing/routing-table';
import { Scheduler } from '../scheduler';
import { CcpRouteControlRequest, CcpRouteUpdateRequest } from './ccp-codec';
import { CcpReceiver, CcpReceiverHost } from './ccp-receiver';
import { CcpSender, CcpSenderHost, CcpTiming } from './ccp-sender';
import { AdvertisedRoute, ForwardingTable } from './forwarding-table';

export const DEFAULT_CCP_TIMING: Readonly<CcpTiming> = {
  routeBroadcastIntervalMs: 30_000,
  routeExpiryMs: 45_000,
  minUpdateGapMs: 150,
  controlRetryMs: 30_000,
  maxEpochsPerUpdate: 50,
};

/** What CCP needs from the connector. */
export interface RouteBroadcasterHost {
  readonly scheduler: Scheduler;
  ownAddress(): string;
  globalPrefix(): string;
  relationOf(accountId: string): AccountRelation | undefined;
  sendsRoutesTo(accountId: string): boolean;
  receivesRoutesFrom(accountId: string): boolean;
  isConnected(accountId: string): boolean;
  sendPeerRequest(accountId: string, prepare: IlpPrepare): Promise<IlpReply>;
  reportError(accountId: string, error: unknown): void;
}

export class RouteBroadcaster {
  readonly forwarding = new ForwardingTable();
  private readonly senders = new Map<string, CcpSender>();
  private readonly receivers = new Map<string, CcpReceiver>();
  private readonly senderHost: CcpSenderHost;
  private readonly receiverHost: CcpReceiverHost;
  private stopped = false;

  constructor(
    private readonly host: RouteBroadcasterHost,
    private readonly routes: RoutingTable,
    readonly timing: CcpTiming,
  ) {
    const common = {
      scheduler: host.scheduler,
      timing,
      ownAddress: () => host.ownAddress(),
      relationOf: (id: string) => host.relationOf(id),
      isConnected: (id: string) => host.isConnected(id),
      sendPeerRequest: (id: string, prepare: IlpPrepare) => host.sendPeerRequest(id, prepare),
      reportError: (id: string, error: unknown) => host.reportError(id, error),
    };
    this.senderHost = { ...common, table: this.forwarding };
    this.receiverHost = { ...common, routes, globalPrefix: () => host.globalPrefix() };
    routes.onChange((prefix, route) => this.onRouteChange(prefix, route));
  }

  /** A link came up: ask the account for its routes if we take them. */
  linkUp(accountId: string): void {
    if (this.stopped || !this.host.receivesRoutesFrom(accountId)) return;
    let receiver = this.receivers.get(accountId);
    if (receiver !== undefined) {
      // a reconnect: its routes were dropped with the link, start over
      receiver.stop();
      this.receivers.delete(accountId);
    }
    receiver = new CcpReceiver(accountId, this.receiverHost);
    this.receivers.set(accountId, receiver);
    receiver.sendControl();
  }

  /** A link went down (or its account was removed): forget its routes and our sessions. */
  linkDown(accountId: string): void {
    this.senders.get(accountId)?.stop();
    this.senders.delete(accountId);
    this.receivers.get(accountId)?.stop();
    this.receivers.delete(accountId);
    this.routes.clearReceived(accountId);
  }

  /** sendRoutes / receiveRoutes / relation of an account changed. */
  accountChanged(accountId: string): void {
    if (!this.host.sendsRoutesTo(accountId)) {
      this.senders.get(accountId)?.stop();
      this.senders.delete(accountId);
    }
    if (!this.host.receivesRoutesFrom(accountId)) {
      this.receivers.get(accountId)?.stop();
      this.receivers.delete(accountId);
      this.routes.clearReceived(accountId);
    } else if (!this.receivers.has(accountId) && this.host.isConnected(accountId)) {
      this.linkUp(accountId);
    }
    for (const sender of this.senders.values()) sender.schedule();
  }

  handleControl(accountId: string, request: CcpRouteControlRequest): void {
    if (!this.host.sendsRoutesTo(accountId)) {
      throw new IlpError(
        IlpErrorCode.F00_BAD_REQUEST,
        'rejecting route control message, we are configured not to send routes to you.',
      );
    }
    let sender = this.senders.get(accountId);
    if (sender === undefined) {
      sender = new CcpSender(accountId, this.senderHost);
      this.senders.set(accountId, sender);
    }
    sender.handleControl(request);
  }

  handleUpdate(accountId: string, request: CcpRouteUpdateRequest): void {
    if (!this.host.receivesRoutesFrom(accountId)) {
      throw new IlpError(
        IlpErrorCode.F00_BAD_REQUEST,
        'rejecting route update, we are configured not to receive routes from you.',
      );
    }
    let receiver = this.receivers.get(accountId);
    if (receiver === undefined) {
      receiver = new CcpReceiver(accountId, this.receiverHost);
      this.receivers.set(accountId, receiver);
    }
    receiver.handleUpdate(request);
  }

  sender(accountId: string): CcpSender | undefined {
    return this.senders.get(accountId);
  }

  receiver(accountId: string): CcpReceiver | undefined {
    return this.receivers.get(accountId);
  }

  /** Recomputes every advertised route (after our address changed). */
  resyncAll(): void {
    const prefixes = new Set([
      ...this.forwarding.prefixes(),
      ...this.routes.routes().map((r) => r.prefix),
    ]);
    let changed = false;
    for (const prefix of prefixes) {
      changed =
        this.forwarding.set(prefix, this.advertise(prefix, this.routes.get(prefix))) || changed;
    }
    if (changed) this.scheduleAll();
  }

  stop(): void {
    this.stopped = true;
    for (const sender of this.senders.values()) sender.stop();
    for (const receiver of this.receivers.values()) receiver.stop();
    this.senders.clear();
    this.receivers.clear();
  }

  private onRouteChange(prefix: string, route: Route | undefined): void {
    if (this.forwarding.set(prefix, this.advertise(prefix, route))) this.scheduleAll();
  }

  private scheduleAll(): void {
    if (this.stopped) return;
    for (const sender of this.senders.values()) sender.schedule();
  }

  private advertise(prefix: string, route: Route | undefined): AdvertisedRoute | undefined {
    if (route === undefined) return undefined;
    if (!prefix.startsWith(`${this.host.globalPrefix()}.`)) return undefined;
    const own = this.host.ownAddress();
    if (route.source !== 'ccp' && prefix.startsWith(`${own}.`)) return undefined;
    return {
      nextHop: route.nextHop,
      path: [own, ...route.path],
      auth: sha256Sync(route.auth),
    };
  }
}
