/**
 * What this node tells others: for every prefix, the route we advertise (or that we
 * withdrew it), each change stamped with an epoch.
 *
 * A new routing table id (UUID) is drawn per process; epochs count changes from 0. A peer
 * that has seen everything before epoch e gets the entries with epoch in [e, e + 50).
 * Only the latest entry per prefix is kept (an older one is superseded by it), in epoch
 * order, so memory is bounded by the number of prefixes ever advertised rather than by the
 * number of changes; replaying "the latest state of every prefix changed since e" is what
 * the receiver needs.
 */
export interface AdvertisedRoute {
  /** Account the route goes through on our side; undefined for routes to this node. */
  readonly nextHop: string | undefined;
  /** Our address first, then the path beyond us. */
  readonly path: readonly string[];
  /** SHA-256 of the auth value we hold for the route. */
  readonly auth: Uint8Array;
}

export interface ForwardingEntry {
  readonly prefix: string;
  readonly epoch: number;
  /** Undefined: withdrawn at this epoch. */
  readonly route: AdvertisedRoute | undefined;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((hop, i) => hop === b[i]);
}

export class ForwardingTable {
  readonly routingTableId: string = globalThis.crypto.randomUUID();
  private epoch = 0;
  private readonly entries = new Map<string, ForwardingEntry>();

  /** The epoch the next change gets; a peer "knows epoch e" when it saw everything below e. */
  get currentEpoch(): number {
    return this.epoch;
  }

  get(prefix: string): ForwardingEntry | undefined {
    return this.entries.get(prefix);
  }

  /** Records what we now advertise for `prefix`; returns true when that is a change. */
  set(prefix: string, route: AdvertisedRoute | undefined): boolean {
    const current = this.entries.get(prefix);
    const currentRoute = current?.route;
    if (currentRoute === undefined && route === undefined) return false;
    if (
      currentRoute !== undefined &&
      route !== undefined &&
      currentRoute.nextHop === route.nextHop &&
      samePath(currentRoute.path, route.path)
    ) {
      return false;
    }
    // delete + set keeps the map in epoch order
    this.entries.delete(prefix);
    this.entries.set(prefix, { prefix, epoch: this.epoch++, route });
    return true;
  }

  /** Latest entries with from ≤ epoch < to, oldest first. */
  range(from: number, to: number): ForwardingEntry[] {
    const out: ForwardingEntry[] = [];
    if (from >= to) return out;
    for (const entry of this.entries.values()) {
      if (entry.epoch >= to) break;
      if (entry.epoch >= from) out.push(entry);
    }
    return out;
  }

  /** Prefixes currently advertised (not withdrawn). */
  advertised(): ForwardingEntry[] {
    return [...this.entries.values()].filter((entry) => entry.route !== undefined);
  }

  prefixes(): string[] {
    return [...this.entries.keys()];
  }
}
