/**
 * The routing table: where a destination address goes next.
 *
 * Three sources feed it, and for every prefix one best route is chosen (FACTS §5):
 *   1. static routes configured by the admin (`addStaticRoute`), if their account exists;
 *   2. local routes: our own address, each child at `<address>.<id>`, local handlers (the
 *      STREAM receiver, …) and the default route (global prefix → parent);
 *   3. routes received over CCP, best by the relation of the account that sent them
 *      (child 2 > peer 1 > parent 0), then the shorter path, then the lower account id.
 * Forwarding is a segment-aware longest-prefix match over the best routes: a lookup costs
 * one map read per segment of the destination, whatever the size of the table.
 */
import { IlpPrepare, IlpReply } from '@tollgate/ilp-core';
import { AccountRelation } from '../accounts/account-config';

/** Local delivery: the app's receivers mounted under an address prefix. */
export type LocalHandler = (prepare: IlpPrepare, fromAccountId: string) => Promise<IlpReply>;

export type RouteSource = 'static' | 'local' | 'ccp';

export interface Route {
  readonly prefix: string;
  readonly source: RouteSource;
  /** The account packets are forwarded to; undefined for local delivery. */
  readonly nextHop: string | undefined;
  /** Set for local-handler routes. Neither nextHop nor handler: our own address, no receiver. */
  readonly handler: LocalHandler | undefined;
  /** CCP path beyond us (empty for static and local routes). */
  readonly path: readonly string[];
  /** CCP route authentication value. */
  readonly auth: Uint8Array;
}

export interface ReceivedRoute {
  readonly path: readonly string[];
  readonly auth: Uint8Array;
}

/** What the table needs to know about accounts and CCP authentication. */
export interface RoutingTableHost {
  /** Relation of an existing account, undefined if there is none with this id. */
  relationOf(accountId: string): AccountRelation | undefined;
  /** Authentication value for a route this node originates (HMAC of the prefix). */
  originAuth(prefix: string): Uint8Array;
}

export type RouteChangeListener = (prefix: string, route: Route | undefined) => void;

const RELATION_RANK: Readonly<Record<AccountRelation, number>> = { child: 2, peer: 1, parent: 0 };

const EMPTY_PATH: readonly string[] = Object.freeze([]);

function samePath(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class RoutingTable {
  private readonly statics = new Map<string, string>();
  /** Own address (undefined target), children and the default route (nextHop set). */
  private readonly locals = new Map<string, string | undefined>();
  private readonly handlers = new Map<string, LocalHandler>();
  private readonly received = new Map<string, Map<string, ReceivedRoute>>();
  private readonly best = new Map<string, Route>();
  private readonly listeners: RouteChangeListener[] = [];
  /** How many best routes have a prefix of n segments, and the largest such n. */
  private readonly depthCounts: number[] = [];
  private maxDepth = 0;

  constructor(private readonly host: RoutingTableHost) {}

  onChange(listener: RouteChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Longest-prefix match (whole segments) for a destination; the hot-path lookup. Starts at
   * the depth of the deepest prefix in the table (a destination's STREAM tail segments are
   * never looked up), then walks back one segment at a time.
   */
  resolve(destination: string): Route | undefined {
    const best = this.best;
    const maxDepth = this.maxDepth;
    if (maxDepth === 0) return best.get('');
    let end = destination.indexOf('.');
    for (let depth = 1; depth < maxDepth && end !== -1; depth++) {
      end = destination.indexOf('.', end + 1);
    }
    let route: Route | undefined;
    if (end === -1) {
      route = best.get(destination);
      if (route !== undefined) return route;
      end = destination.lastIndexOf('.');
    }
    while (end > 0) {
      route = best.get(destination.slice(0, end));
      if (route !== undefined) return route;
      end = destination.lastIndexOf('.', end - 1);
    }
    return best.get('');
  }

  get(prefix: string): Route | undefined {
    return this.best.get(prefix);
  }

  /** Every best route, sorted by prefix. */
  routes(): Route[] {
    return [...this.best.values()].sort((a, b) =>
      a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0,
    );
  }

  staticRoutes(): { prefix: string; accountId: string }[] {
    return [...this.statics].map(([prefix, accountId]) => ({ prefix, accountId }));
  }

  setStatic(prefix: string, accountId: string): void {
    this.statics.set(prefix, accountId);
    this.refresh(prefix);
  }

  deleteStatic(prefix: string): boolean {
    const had = this.statics.delete(prefix);
    if (had) this.refresh(prefix);
    return had;
  }

  /** A local route: `nextHop` = a child (or the default parent), undefined = our own address. */
  setLocal(prefix: string, nextHop: string | undefined): void {
    this.locals.set(prefix, nextHop);
    this.refresh(prefix);
  }

  deleteLocal(prefix: string): void {
    if (this.locals.delete(prefix)) this.refresh(prefix);
  }

  localPrefixes(): string[] {
    return [...this.locals.keys()];
  }

  setHandler(prefix: string, handler: LocalHandler): void {
    this.handlers.set(prefix, handler);
    this.refresh(prefix);
  }

  deleteHandler(prefix: string): boolean {
    const had = this.handlers.delete(prefix);
    if (had) this.refresh(prefix);
    return had;
  }

  setReceived(accountId: string, prefix: string, route: ReceivedRoute): void {
    let routes = this.received.get(accountId);
    if (routes === undefined) {
      routes = new Map();
      this.received.set(accountId, routes);
    }
    routes.set(prefix, route);
    this.refresh(prefix);
  }

  deleteReceived(accountId: string, prefix: string): void {
    if (this.received.get(accountId)?.delete(prefix)) this.refresh(prefix);
  }

  /** Drops every route received from an account (link down, expiry, account removed). */
  clearReceived(accountId: string): void {
    const routes = this.received.get(accountId);
    if (routes === undefined) return;
    this.received.delete(accountId);
    for (const prefix of routes.keys()) this.refresh(prefix);
  }

  receivedFrom(accountId: string): ReadonlyMap<string, ReceivedRoute> {
    return this.received.get(accountId) ?? new Map();
  }

  /** Re-evaluates every prefix (after accounts were added, removed or changed relation). */
  refreshAll(): void {
    const prefixes = new Set<string>([
      ...this.best.keys(),
      ...this.statics.keys(),
      ...this.locals.keys(),
      ...this.handlers.keys(),
    ]);
    for (const routes of this.received.values())
      for (const prefix of routes.keys()) prefixes.add(prefix);
    for (const prefix of prefixes) this.refresh(prefix);
  }

  /** Recomputes the best route for one prefix and tells the listeners if it changed. */
  refresh(prefix: string): void {
    const next = this.computeBest(prefix);
    const current = this.best.get(prefix);
    if (next === undefined) {
      if (current === undefined) return;
      this.best.delete(prefix);
      this.countDepth(prefix, -1);
    } else {
      this.best.set(prefix, next);
      if (current === undefined) this.countDepth(prefix, 1);
      if (
        current !== undefined &&
        current.source === next.source &&
        current.nextHop === next.nextHop &&
        current.handler === next.handler &&
        samePath(current.path, next.path)
      ) {
        return; // same route (possibly a new auth value): nothing to announce
      }
    }
    for (const listener of this.listeners) listener(prefix, next);
  }

  private countDepth(prefix: string, change: 1 | -1): void {
    let depth = prefix.length === 0 ? 0 : 1;
    for (let i = prefix.indexOf('.'); i !== -1; i = prefix.indexOf('.', i + 1)) depth++;
    const counts = this.depthCounts;
    counts[depth] = (counts[depth] ?? 0) + change;
    if (change === 1 && depth > this.maxDepth) this.maxDepth = depth;
    while (this.maxDepth > 0 && !counts[this.maxDepth]) this.maxDepth--;
  }

  private computeBest(prefix: string): Route | undefined {
    const staticHop = this.statics.get(prefix);
    if (staticHop !== undefined && this.host.relationOf(staticHop) !== undefined) {
      return this.originated(prefix, 'static', staticHop, undefined);
    }
    const handler = this.handlers.get(prefix);
    if (handler !== undefined) return this.originated(prefix, 'local', undefined, handler);
    if (this.locals.has(prefix)) {
      const hop = this.locals.get(prefix);
      if (hop === undefined || this.host.relationOf(hop) !== undefined) {
        return this.originated(prefix, 'local', hop, undefined);
      }
    }
    let bestAccount: string | undefined;
    let bestRoute: ReceivedRoute | undefined;
    let bestRank = -1;
    for (const [accountId, routes] of this.received) {
      const route = routes.get(prefix);
      if (route === undefined) continue;
      const relation = this.host.relationOf(accountId);
      if (relation === undefined) continue;
      const rank = RELATION_RANK[relation];
      if (
        bestRoute === undefined ||
        rank > bestRank ||
        (rank === bestRank &&
          (route.path.length < bestRoute.path.length ||
            (route.path.length === bestRoute.path.length && accountId < (bestAccount as string))))
      ) {
        bestAccount = accountId;
        bestRoute = route;
        bestRank = rank;
      }
    }
    if (bestRoute === undefined) return undefined;
    return {
      prefix,
      source: 'ccp',
      nextHop: bestAccount,
      handler: undefined,
      path: bestRoute.path,
      auth: bestRoute.auth,
    };
  }

  private originated(
    prefix: string,
    source: RouteSource,
    nextHop: string | undefined,
    handler: LocalHandler | undefined,
  ): Route {
    const current = this.best.get(prefix);
    // keep the auth value of an unchanged originated route (HMAC computed once per prefix)
    const auth =
      current !== undefined && current.source !== 'ccp'
        ? current.auth
        : this.host.originAuth(prefix);
    return { prefix, source, nextHop, handler, path: EMPTY_PATH, auth };
  }
}
