/**
 * The embedded ILP connector: accounts and their balances, the routing table, CCP, the
 * packet chain and the group-commit journal, behind one class the app drives.
 *
 * The app implements `BalanceJournal` (Postgres), optionally a `RateSource`, and one
 * `AccountLink` per connected account; it feeds every packet a link receives into
 * `handlePacket` and sends back what that returns.
 */
import {
  childAddress,
  deserializeIlpReply,
  deserializeIldcpResponseData,
  IlpError,
  IlpErrorCode,
  IlpPacketType,
  IlpPrepare,
  IlpReply,
  ildcpRequest,
  isValidIlpAddress,
  serializePrepare,
  type IldcpResponse,
} from '@tollgate/ilp-core';
import * as ilpCore from '@tollgate/ilp-core';
import { createHmac } from 'node:crypto';
import { AccountConfig, validateAccountConfig } from './accounts/account-config';
import { AccountLink } from './accounts/account-link';
import { AccountState, BalanceSnapshot } from './accounts/account-state';
import { BalanceEntryKind, BalanceJournal } from './balance/balance-journal';
import { GroupCommitJournal, GroupCommitOptions } from './balance/group-commit-journal';
import { SettlementHook, SettlementMonitor } from './balance/settlement-monitor';
import { isPeerProtocolFulfill } from './ccp/ccp-codec';
import { CcpTiming } from './ccp/ccp-sender';
import { DEFAULT_CCP_TIMING, RouteBroadcaster } from './ccp/route-broadcaster';
import { PacketChain } from './chain/packet-chain';
import { PacketContext } from './chain/packet-context';
import { ConnectorError, ConnectorErrorCode, invalidConfig } from './errors';
import { ConnectorEvents, notify } from './events';
import { DeadlineSweeper } from './link/deadline-sweeper';
import { NodeRuntime } from './node-runtime';
import { PeerProtocolService, PeerSettleHandler } from './peer/peer-protocol.service';
import { RateSource } from './rates/rate-source';
import { StaticRateSource } from './rates/static-rate-source';
import { LocalHandler, Route, RoutingTable } from './routing/routing-table';
import { Scheduler, systemScheduler } from './scheduler';

// Values used per packet are bound to module locals once: CommonJS output (tsc re-exports,
// esbuild/swc for every export) reads imported names through getters on each use.
const { deserializePrepare, serializeIlpPacket, serializeReject } = ilpCore;

const SCHEMES = new Set([
  'g',
  'private',
  'example',
  'self',
  'test',
  'test1',
  'test2',
  'test3',
  'local',
]);

export interface ConnectorOptions {
  /** This node's ILP address, e.g. `test.tollgate`. */
  address: string;
  /** Asset of the node's own accounts (informational; each account has its own asset). */
  assetCode: string;
  assetScale: number;
  /** Where balance deltas are made durable (the app's Postgres table). */
  journal: BalanceJournal;
  /** Group-commit tuning (flush delay, batch size, retry back-off). */
  journalOptions?: Omit<GroupCommitOptions, 'scheduler' | 'onFlushed' | 'onError'>;
  /** Exchange rates; default an empty StaticRateSource (same-asset routing only). */
  rates?: RateSource;
  /** FX spread as a decimal fraction, e.g. "0.002" (default "0"). */
  spread?: string;
  /** Time kept for passing a Fulfill back (default 1,000 ms). */
  minMessageWindowMs?: number;
  /** Longest time a forwarded packet may hold liquidity (default 30,000 ms). */
  maxHoldTimeMs?: number;
  /** Allow routing a packet back to the account it came from (default false → F02). */
  reflectPayments?: boolean;
  /**
   * Route for everything under our global prefix that no better route covers:
   * `'auto'` (default) = the parent account with the lowest id, if any; `'none'`; or an
   * account id.
   */
  defaultRoute?: string;
  /** CCP timing (defaults: 30 s broadcast interval, 45 s hold-down, 150 ms gap, 30 s retry, 50 epochs). */
  ccp?: Partial<CcpTiming>;
  /** 32+ bytes for route auth HMACs; default random per process. */
  routingSecret?: Uint8Array;
  /** Time and timers (tests pass a fake). */
  scheduler?: Scheduler;
  /** Granularity of packet-expiry enforcement (default 10 ms). */
  expiryResolutionMs?: number;
  events?: ConnectorEvents;
  /** A committed change left an account's balance above its settleThreshold. */
  onSettlementNeeded?: SettlementHook;
  /** `peer.settle` messages (settlement-engine relay, RFC 38). */
  peerSettleHandler?: PeerSettleHandler;
}

export interface AccountSnapshot extends BalanceSnapshot {
  config: Readonly<AccountConfig>;
  /** A link is registered and says it is connected. */
  connected: boolean;
  /** `<node address>.<id>` for children. */
  address: string | undefined;
}

export class Connector {
  readonly scheduler: Scheduler;
  /** The rate source in use (a StaticRateSource unless one was given). */
  readonly rates: RateSource;
  private readonly runtime: NodeRuntime;
  private readonly states = new Map<string, AccountState>();
  private readonly routing: RoutingTable;
  private readonly broadcaster: RouteBroadcaster;
  private readonly groupCommit: GroupCommitJournal;
  private readonly settlement: SettlementMonitor;
  private readonly deadlines: DeadlineSweeper;
  private readonly peerProtocols: PeerProtocolService;
  private readonly chain: PacketChain;
  private readonly events: ConnectorEvents | undefined;
  private readonly routingSecret: Uint8Array;
  private readonly defaultRouteSetting: string;
  private stopped = false;

  constructor(options: ConnectorOptions) {
    const scheduler = options.scheduler ?? systemScheduler;
    this.scheduler = scheduler;
    const events = options.events;
    this.events = events;
    if (typeof options.assetCode !== 'string' || options.assetCode.length === 0) {
      throw invalidConfig('assetCode must be a non-empty string');
    }
    if (
      !Number.isInteger(options.assetScale) ||
      options.assetScale < 0 ||
      options.assetScale > 255
    ) {
      throw invalidConfig('assetScale must be an integer in 0..255');
    }
    const minMessageWindowMs = options.minMessageWindowMs ?? 1_000;
    const maxHoldTimeMs = options.maxHoldTimeMs ?? 30_000;
    if (!(minMessageWindowMs >= 0) || !(maxHoldTimeMs > 0)) {
      throw invalidConfig('minMessageWindowMs must be >= 0 and maxHoldTimeMs > 0');
    }
    this.runtime = new NodeRuntime(
      options.address,
      options.assetCode,
      options.assetScale,
      minMessageWindowMs,
      maxHoldTimeMs,
      options.reflectPayments ?? false,
    );
    if (options.spread !== undefined) this.runtime.setSpread(options.spread);
    this.rates = options.rates ?? new StaticRateSource();
    this.defaultRouteSetting = options.defaultRoute ?? 'auto';
    if (options.routingSecret !== undefined && options.routingSecret.length < 32) {
      throw invalidConfig('routingSecret must be at least 32 bytes');
    }
    this.routingSecret =
      options.routingSecret ?? globalThis.crypto.getRandomValues(new Uint8Array(32));

    this.groupCommit = new GroupCommitJournal(options.journal, {
      ...options.journalOptions,
      scheduler,
      onFlushed: events?.journalFlushed && ((info) => events.journalFlushed?.(info)),
      onError: events?.journalError && ((error, info) => events.journalError?.(error, info)),
    });
    const hooks: SettlementHook[] = [];
    if (options.onSettlementNeeded !== undefined) hooks.push(options.onSettlementNeeded);
    if (events?.settlementNeeded !== undefined) {
      hooks.push((id, balance) => events.settlementNeeded?.(id, balance));
    }
    this.settlement = new SettlementMonitor(hooks);
    this.deadlines = new DeadlineSweeper(scheduler, options.expiryResolutionMs ?? 10);

    this.routing = new RoutingTable({
      relationOf: (id) => this.states.get(id)?.relation,
      originAuth: (prefix) => createHmac('sha256', this.routingSecret).update(prefix).digest(),
    });
    if (events?.routeChanged !== undefined) {
      this.routing.onChange((prefix, route) =>
        notify(() => events.routeChanged?.(prefix, route?.nextHop, route?.source)),
      );
    }
    this.broadcaster = new RouteBroadcaster(
      {
        scheduler,
        ownAddress: () => this.runtime.address,
        globalPrefix: () => this.runtime.globalPrefix,
        relationOf: (id) => this.states.get(id)?.relation,
        sendsRoutesTo: (id) => this.states.get(id)?.sendRoutes === true,
        receivesRoutesFrom: (id) => this.states.get(id)?.receiveRoutes === true,
        isConnected: (id) => this.states.get(id)?.link?.connected === true,
        sendPeerRequest: (id, prepare) => this.sendPeerRequest(id, prepare),
        reportError: (id, error) => {
          if (events?.ccpError !== undefined) notify(() => events.ccpError?.(id, error));
        },
      },
      this.routing,
      { ...DEFAULT_CCP_TIMING, ...options.ccp },
    );
    this.peerProtocols = new PeerProtocolService(
      this.runtime,
      scheduler,
      this.broadcaster,
      options.peerSettleHandler,
    );
    this.chain = new PacketChain({
      runtime: this.runtime,
      scheduler,
      accounts: this.states,
      routes: this.routing,
      rates: this.rates,
      journal: this.groupCommit,
      settlement: this.settlement,
      deadlines: this.deadlines,
      peerProtocols: this.peerProtocols,
      events,
    });
    this.rebuildLocalRoutes();
  }

  // ------------------------------------------------------------------ identity

  get address(): string {
    return this.runtime.address;
  }

  get assetCode(): string {
    return this.runtime.assetCode;
  }

  get assetScale(): number {
    return this.runtime.assetScale;
  }

  /** Changes our address (e.g. to the one a parent assigned over ILDCP): children follow. */
  setAddress(address: string): void {
    this.runtime.setAddress(address);
    for (const state of this.states.values()) {
      if (state.relation === 'child') this.checkChildAddress(state.id);
    }
    this.rebuildLocalRoutes();
    this.broadcaster.resyncAll();
  }

  /** FX spread as a decimal fraction ("0.002"). */
  setSpread(spread: string): void {
    this.runtime.setSpread(spread);
  }

  // ------------------------------------------------------------------ packets

  /**
   * A serialized Prepare from a link → the serialized Fulfill or Reject to send back.
   * Never throws: malformed input gets F01, unknown accounts F00, internal failures T00.
   */
  async handlePacket(fromAccountId: string, packet: Uint8Array): Promise<Uint8Array> {
    let prepare: IlpPrepare;
    try {
      prepare = deserializePrepare(packet);
    } catch (error) {
      return serializeReject(this.chain.reject(error));
    }
    const account = this.states.get(fromAccountId);
    if (account === undefined || this.stopped) {
      return serializeReject(this.chain.reject(this.refusal(fromAccountId)));
    }
    const ctx = new PacketContext(account, prepare, packet, this.scheduler.now());
    const reply = await this.chain.handle(ctx);
    if (reply === ctx.replyPacket && ctx.replyBytes !== undefined) return ctx.replyBytes;
    try {
      return serializeIlpPacket(reply);
    } catch {
      // a local handler returned something that is not a valid reply: T00, details stay here
      return serializeReject(this.chain.reject(new Error('invalid reply from a local handler')));
    }
  }

  /** The typed entry point: a Prepare object from `fromAccountId` → its Fulfill or Reject. */
  async handlePrepare(fromAccountId: string, prepare: IlpPrepare): Promise<IlpReply> {
    const account = this.states.get(fromAccountId);
    if (account === undefined || this.stopped)
      return this.chain.reject(this.refusal(fromAccountId));
    return this.chain.handle(new PacketContext(account, prepare, undefined, this.scheduler.now()));
  }

  // ------------------------------------------------------------------ accounts

  /** Adds an account; `balance` is its durable balance as loaded from the journal. */
  addAccount(config: AccountConfig, initial: { balance?: bigint } = {}): void {
    this.assertRunning();
    validateAccountConfig(config);
    if (this.states.has(config.id)) {
      throw new ConnectorError(ConnectorErrorCode.DuplicateAccount, `account ${config.id} exists`);
    }
    const balance = initial.balance ?? 0n;
    if (typeof balance !== 'bigint') throw invalidConfig('initial balance must be a bigint');
    if (config.relation === 'child') this.checkChildAddress(config.id);
    this.states.set(config.id, new AccountState(config, balance, this.scheduler.now()));
    this.accountsChanged();
  }

  /** Changes an account's configuration (not its id or balance); takes effect for the next packet. */
  updateAccount(id: string, changes: Partial<Omit<AccountConfig, 'id'>>): void {
    const state = this.state(id);
    const config: AccountConfig = { ...state.config, ...changes, id };
    validateAccountConfig(config);
    if (config.relation === 'child') this.checkChildAddress(id);
    const assetChanged =
      config.assetCode !== state.assetCode || config.assetScale !== state.assetScale;
    state.applyConfig(config, this.scheduler.now());
    if (assetChanged) this.runtime.configVersion++;
    this.accountsChanged();
    this.broadcaster.accountChanged(id);
  }

  /** Removes an account. Packets in flight finish; their balance changes are still journaled. */
  removeAccount(id: string): void {
    const state = this.state(id);
    this.broadcaster.linkDown(id);
    state.link = undefined;
    this.states.delete(id);
    this.runtime.configVersion++;
    this.accountsChanged();
  }

  getAccount(id: string): AccountSnapshot {
    return this.snapshot(this.state(id));
  }

  accounts(): AccountSnapshot[] {
    return [...this.states.values()].map((state) => this.snapshot(state));
  }

  getBalance(id: string): BalanceSnapshot {
    return this.state(id).snapshot();
  }

  /**
   * Changes a balance outside the packet path (a settlement we made or received, an admin
   * correction) through the same journal. Applied in memory at once; resolves when durable.
   * A settlement we pay is negative (we owe the peer less); one we receive is positive.
   */
  adjustBalance(
    id: string,
    delta: bigint,
    reason: string,
    kind: Exclude<BalanceEntryKind, 'packet'> = 'adjustment',
  ): Promise<void> {
    const state = this.state(id);
    this.assertRunning();
    if (typeof delta !== 'bigint') throw invalidConfig('delta must be a bigint');
    if (kind !== 'adjustment' && kind !== 'settlement')
      throw invalidConfig('kind must be adjustment or settlement');
    const durable = this.groupCommit.add(id, delta, kind, reason);
    state.balance += delta;
    if (kind === 'settlement') state.settlementPending = false;
    this.settlement.check(state);
    return durable;
  }

  /**
   * Registers the account's outgoing link when it comes up, or removes it (undefined) when
   * it goes down. Drives CCP: on up we ask the account for routes (if we take its routes);
   * on down its routes are withdrawn.
   */
  setLink(id: string, link: AccountLink | undefined): void {
    const state = this.state(id);
    if (this.stopped) return;
    state.link = link;
    if (link === undefined) this.broadcaster.linkDown(id);
    else this.broadcaster.linkUp(id);
  }

  // ------------------------------------------------------------------ routes

  /** A configured route: packets under `prefix` go to `accountId` (beats local and CCP routes). */
  addStaticRoute(prefix: string, accountId: string): void {
    this.checkPrefix(prefix);
    this.state(accountId);
    this.routing.setStatic(prefix, accountId);
  }

  removeStaticRoute(prefix: string): boolean {
    return this.routing.deleteStatic(prefix);
  }

  staticRoutes(): { prefix: string; accountId: string }[] {
    return this.routing.staticRoutes();
  }

  /** Delivers packets under `prefix` to `handler` on this node (e.g. the STREAM receiver). */
  registerLocalHandler(prefix: string, handler: LocalHandler): void {
    this.checkPrefix(prefix);
    if (typeof handler !== 'function') throw invalidConfig('handler must be a function');
    this.routing.setHandler(prefix, handler);
  }

  unregisterLocalHandler(prefix: string): boolean {
    return this.routing.deleteHandler(prefix);
  }

  /** The best route for a destination (what a packet to it would use), if any. */
  resolveRoute(destination: string): Route | undefined {
    return this.routing.resolve(destination);
  }

  /** All best routes, sorted by prefix. */
  routes(): Route[] {
    return this.routing.routes();
  }

  /** The CCP state (forwarding table, per-account senders and receivers), for status pages and tests. */
  get ccp(): RouteBroadcaster {
    return this.broadcaster;
  }

  // ------------------------------------------------------------------ peer protocols

  /**
   * ILDCP client: asks a (parent) account for our address and the link's asset. The app
   * decides whether to adopt it (`setAddress`). Throws ConnectorError(PeerProtocolFailed)
   * with the Reject's code in the message, or the link failure as an IlpError.
   */
  async requestAddressFrom(accountId: string): Promise<IldcpResponse> {
    this.state(accountId);
    const reply = await this.sendPeerRequest(
      accountId,
      ildcpRequest({ now: this.scheduler.now() }),
    );
    if (reply.type === IlpPacketType.Reject) {
      throw new ConnectorError(
        ConnectorErrorCode.PeerProtocolFailed,
        `IL-DCP request rejected: ${reply.code} ${reply.message}`,
      );
    }
    if (!isPeerProtocolFulfill(reply)) {
      throw new ConnectorError(
        ConnectorErrorCode.PeerProtocolFailed,
        'IL-DCP reply has a wrong fulfillment',
      );
    }
    try {
      return deserializeIldcpResponseData(reply.data);
    } catch (error) {
      throw new ConnectorError(ConnectorErrorCode.PeerProtocolFailed, 'malformed IL-DCP response', {
        cause: error,
      });
    }
  }

  /** Sets (or clears) the `peer.settle` handler. */
  setPeerSettleHandler(handler: PeerSettleHandler | undefined): void {
    this.peerProtocols.settleHandler = handler;
  }

  /**
   * Sends a peer-protocol Prepare (amount 0 to `peer.*`) over an account's link and returns
   * the decoded reply. Enforces the Prepare's expiry. Throws IlpError T01 without a link.
   */
  async sendPeerRequest(accountId: string, prepare: IlpPrepare): Promise<IlpReply> {
    const link = this.states.get(accountId)?.link;
    if (link === undefined || !link.connected) {
      throw new IlpError(
        IlpErrorCode.T01_PEER_UNREACHABLE,
        `no connection to account ${accountId}`,
      );
    }
    const bytes = serializePrepare(prepare);
    let sent: Promise<Uint8Array>;
    try {
      sent = link.send(bytes, prepare.expiresAt);
    } catch (error) {
      sent = Promise.reject(error);
    }
    const replyBytes = await this.deadlines.race(
      sent,
      prepare.expiresAt.getTime(),
      `peer request to ${accountId} timed out`,
    );
    return deserializeIlpReply(replyBytes);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Resolves when every balance change so far is durable. */
  flushed(): Promise<void> {
    return this.groupCommit.flushed();
  }

  /** Balance entries not yet durable (for a shutdown path that must save them elsewhere). */
  pendingJournalEntries(): ReturnType<GroupCommitJournal['pendingEntries']> {
    return this.groupCommit.pendingEntries();
  }

  /**
   * Stops every timer (CCP, expiry sweeps, journal retries). Packets still waiting get T00;
   * unwritten journal entries are abandoned — await `flushed()` first to shut down cleanly.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.broadcaster.stop();
    this.deadlines.stop();
    this.groupCommit.stop();
  }

  // ------------------------------------------------------------------ internals

  private state(id: string): AccountState {
    const state = this.states.get(id);
    if (state === undefined) {
      throw new ConnectorError(
        ConnectorErrorCode.UnknownAccount,
        `no account ${JSON.stringify(id)}`,
      );
    }
    return state;
  }

  private snapshot(state: AccountState): AccountSnapshot {
    return {
      config: state.config,
      ...state.snapshot(),
      connected: state.link?.connected === true,
      address: state.relation === 'child' ? `${this.runtime.address}.${state.id}` : undefined,
    };
  }

  private refusal(fromAccountId: string): IlpError {
    return this.stopped
      ? new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, 'connector stopped')
      : new IlpError(IlpErrorCode.F00_BAD_REQUEST, `unknown account ${fromAccountId}`);
  }

  private assertRunning(): void {
    if (this.stopped) throw new ConnectorError(ConnectorErrorCode.Stopped, 'connector stopped');
  }

  private checkChildAddress(id: string): void {
    try {
      childAddress(this.runtime.address, id);
    } catch {
      throw invalidConfig(`child address ${this.runtime.address}.${id} is not a valid ILP address`);
    }
  }

  private checkPrefix(prefix: string): void {
    const ok = typeof prefix === 'string' && (SCHEMES.has(prefix) || isValidIlpAddress(prefix));
    if (!ok || prefix === 'peer' || prefix.startsWith('peer.')) {
      throw new ConnectorError(
        ConnectorErrorCode.InvalidRoute,
        `route prefix ${JSON.stringify(prefix)} must be an ILP address or scheme outside peer.`,
      );
    }
  }

  private accountsChanged(): void {
    this.rebuildLocalRoutes();
    this.routing.refreshAll();
  }

  /** Own address, children and the default route, as local routes. */
  private rebuildLocalRoutes(): void {
    const runtime = this.runtime;
    const wanted = new Map<string, string | undefined>([[runtime.address, undefined]]);
    let parent: string | undefined;
    for (const state of this.states.values()) {
      if (state.relation === 'child') wanted.set(`${runtime.address}.${state.id}`, state.id);
      if (state.relation === 'parent' && (parent === undefined || state.id < parent))
        parent = state.id;
    }
    const setting = this.defaultRouteSetting;
    const defaultHop = setting === 'auto' ? parent : setting === 'none' ? undefined : setting;
    if (
      defaultHop !== undefined &&
      this.states.has(defaultHop) &&
      !wanted.has(runtime.globalPrefix)
    ) {
      wanted.set(runtime.globalPrefix, defaultHop);
    }
    for (const prefix of this.routing.localPrefixes()) {
      if (!wanted.has(prefix)) this.routing.deleteLocal(prefix);
    }
    for (const [prefix, hop] of wanted) this.routing.setLocal(prefix, hop);
  }
}
