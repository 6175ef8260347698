/**
 * The packet path, composed in one place. Read top to bottom: the order is the design.
 *
 *  incoming
 *   1. validate            expired on arrival → R02; typed-input sanity → F01.
 *   2. address scheme      testnet ↔ live network → F02 (RFC 34). Cheap, stateless: first.
 *   3. rate limit          T05. Before anything that costs more than a counter.
 *   4. max packet amount   F08 + data. Before credit is touched, so an oversized packet
 *                          never holds a reservation.
 *   5. journal             outside both balance rules: holds the Fulfill until the deltas
 *                          they committed are durable (group commit).
 *   6. incoming balance    reserve x against minBalance (T04); commit −x on Fulfill.
 *   7. route               peer.* → peer protocols; local handler → local delivery;
 *                          account → outgoing rules. F02 no route, T01 link down.
 *  outgoing
 *   8. FX                  exact bigint conversion + spread; R01 / T00 / F03.
 *   9. expiry              min(incoming − 1 s, now + 30 s); R02 if too short. After FX so
 *                          the clock is read as late as possible before sending.
 *  10. outgoing balance    reserve y against the next hop's maxBalance (T04); commit +y.
 *  11. verify fulfillment  SHA-256(fulfillment) = condition (F05) and in time (R00): below
 *                          both balance rules, so a bad Fulfill credits nothing anywhere.
 *  12. send                patch amount + expiry into the received bytes, race the link
 *                          against the outgoing expiry (R00).
 *  local delivery: verify fulfillment → the handler (deadline = incoming expiry).
 *
 * Rules throw IlpError; `handle` below is the one place that turns errors into Rejects
 * triggered by this node. A downstream Reject is a value, not an error: it travels back up
 * unchanged (each balance rule releasing its reservation) and is relayed as received.
 */
import { IlpPacketType, IlpReject, IlpReply, rejectFrom } from '@tollgate/ilp-core';
import { GroupCommitJournal } from '../balance/group-commit-journal';
import { SettlementMonitor } from '../balance/settlement-monitor';
import { AccountState } from '../accounts/account-state';
import { ConnectorEvents, notify } from '../events';
import { DeadlineSweeper } from '../link/deadline-sweeper';
import { NodeRuntime } from '../node-runtime';
import { RateSource } from '../rates/rate-source';
import { RoutingTable } from '../routing/routing-table';
import { Scheduler } from '../scheduler';
import { AddressSchemeMiddleware } from './address-scheme.middleware';
import { ExpiryMiddleware } from './expiry.middleware';
import { FxMiddleware } from './fx.middleware';
import { IncomingBalanceMiddleware } from './incoming-balance.middleware';
import { JournalMiddleware } from './journal.middleware';
import { LocalDeliveryService } from './local-delivery.service';
import { MaxPacketAmountMiddleware } from './max-packet-amount.middleware';
import { OutgoingBalanceMiddleware } from './outgoing-balance.middleware';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';
import { RateLimitMiddleware } from './rate-limit.middleware';
import { RouteMiddleware } from './route.middleware';
import { SendService } from './send.service';
import { ValidateMiddleware } from './validate.middleware';
import { VerifyFulfillmentMiddleware } from './verify-fulfillment.middleware';

export interface PacketChainDeps {
  runtime: NodeRuntime;
  scheduler: Scheduler;
  accounts: ReadonlyMap<string, AccountState>;
  routes: RoutingTable;
  rates: RateSource;
  journal: GroupCommitJournal;
  settlement: SettlementMonitor;
  deadlines: DeadlineSweeper;
  /** peer.* handling (ILDCP, CCP, peer.settle). */
  peerProtocols: PacketService;
  events: ConnectorEvents | undefined;
}

export class PacketChain {
  private readonly entry: PacketService;
  private readonly runtime: NodeRuntime;
  private readonly events: ConnectorEvents | undefined;

  constructor(deps: PacketChainDeps) {
    const { runtime, scheduler, settlement, deadlines } = deps;
    this.runtime = runtime;
    this.events = deps.events;

    // outgoing, built from the link back up
    const send = new SendService(deadlines);
    const verified = new VerifyFulfillmentMiddleware(send, scheduler);
    const outgoingBalance = new OutgoingBalanceMiddleware(verified, settlement);
    const expiry = new ExpiryMiddleware(outgoingBalance, runtime);
    const fx = new FxMiddleware(expiry, deps.rates, runtime);

    const local = new VerifyFulfillmentMiddleware(new LocalDeliveryService(deadlines), scheduler);

    // incoming, from the route back up to the entry
    const route = new RouteMiddleware(
      { forward: fx, local, peer: deps.peerProtocols },
      deps.routes,
      deps.accounts,
      runtime,
    );
    const incomingBalance = new IncomingBalanceMiddleware(route, settlement);
    const journal = new JournalMiddleware(incomingBalance, deps.journal);
    const maxPacketAmount = new MaxPacketAmountMiddleware(journal);
    const rateLimit = new RateLimitMiddleware(maxPacketAmount);
    const addressScheme = new AddressSchemeMiddleware(rateLimit, runtime);
    this.entry = new ValidateMiddleware(addressScheme);
  }

  /** Runs a packet through the chain; never throws. */
  async handle(ctx: PacketContext): Promise<IlpReply> {
    let reply: IlpReply;
    try {
      reply = await this.entry.handle(ctx);
    } catch (error) {
      reply = this.reject(error);
    }
    const events = this.events;
    if (events !== undefined) this.report(events, ctx, reply);
    return reply;
  }

  /** Any thrown value as a Reject from this node (internal details never leave it). */
  reject(error: unknown): IlpReject {
    return rejectFrom(error, this.runtime.address);
  }

  private report(events: ConnectorEvents, ctx: PacketContext, reply: IlpReply): void {
    const from = ctx.from.id;
    const to = ctx.to?.id;
    if (reply.type === IlpPacketType.Fulfill) {
      if (events.packetFulfilled !== undefined) {
        notify(() => events.packetFulfilled?.(from, to, ctx.prepare.amount, ctx.outAmount));
      }
    } else if (events.packetRejected !== undefined) {
      const relayed = reply === ctx.replyPacket;
      notify(() => events.packetRejected?.(from, to, reply.code, reply.triggeredBy, relayed));
    }
  }
}
