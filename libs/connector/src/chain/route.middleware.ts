/**
 * Route: pick where the packet goes, after the sender's credit is reserved and before any
 * outgoing work.
 *
 * - `peer.*` is link-local (RFC 15, RFC 34): it goes to the peer-protocol service (ILDCP,
 *   CCP, peer.settle) and is never forwarded.
 * - Otherwise the routing table's longest-prefix match decides: a local handler (delivered
 *   here), an account (forwarded through the outgoing rules), or nothing / only our own
 *   address → F02 Unreachable.
 * - Never back to the account it came from (F02, as ilp-connector: such a loop only burns
 *   the packet's time), unless `reflectPayments` is on.
 * - The next hop's link must be up: missing or disconnected → T01 Peer Unreachable.
 */
import { IlpError, IlpErrorCode, IlpReply } from '@tollgate/ilp-core';
import { AccountState } from '../accounts/account-state';
import { NodeRuntime } from '../node-runtime';
import { RoutingTable } from '../routing/routing-table';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

export interface RouteTargets {
  /** The outgoing rules, ending in the link. */
  forward: PacketService;
  /** Local handlers (the STREAM receiver, …). */
  local: PacketService;
  /** peer.config, peer.route.*, peer.settle. */
  peer: PacketService;
}

export class RouteMiddleware implements PacketService {
  constructor(
    private readonly targets: RouteTargets,
    private readonly table: RoutingTable,
    private readonly accounts: ReadonlyMap<string, AccountState>,
    private readonly runtime: NodeRuntime,
  ) {}

  handle(ctx: PacketContext): Promise<IlpReply> {
    const destination = ctx.prepare.destination;
    if (destination.startsWith('peer.')) return this.targets.peer.handle(ctx);
    const route = this.table.resolve(destination);
    if (route !== undefined && route.handler !== undefined) {
      ctx.handler = route.handler;
      return this.targets.local.handle(ctx);
    }
    const to = route?.nextHop === undefined ? undefined : this.accounts.get(route.nextHop);
    if (to === undefined) {
      throw new IlpError(
        IlpErrorCode.F02_UNREACHABLE,
        `no route found. destination=${destination}`,
      );
    }
    if (to === ctx.from && !this.runtime.reflectPayments) {
      throw new IlpError(
        IlpErrorCode.F02_UNREACHABLE,
        `refusing to route payments back to sender. destination=${destination}`,
      );
    }
    const link = to.link;
    if (link === undefined || !link.connected) {
      throw new IlpError(IlpErrorCode.T01_PEER_UNREACHABLE, `no connection to account ${to.id}`);
    }
    ctx.to = to;
    return this.targets.forward.handle(ctx);
  }
}
