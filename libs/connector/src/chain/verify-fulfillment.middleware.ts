/**
 * Verify fulfillment: money moves only for a Fulfill that counts (FACTS §2.5).
 *
 * A Fulfill counts if SHA-256(fulfillment) equals the Prepare's condition — otherwise F05
 * Wrong Condition goes upstream, as ilp-connector does — and if it arrived before the
 * deadline we gave (the outgoing expiry when forwarding, the incoming one for local
 * delivery) — otherwise R00 Transfer Timed Out. Either way the balance rules above see an
 * error, release their reservations and credit nothing. Sits directly above the link (and
 * above local delivery), below every balance rule.
 */
import { IlpError, IlpErrorCode, IlpPacketType, type IlpReply } from '@tollgate/ilp-core';
import * as ilpCoreNode from '@tollgate/ilp-core/node';
import { Scheduler } from '../scheduler';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

// Values used per packet are bound to module locals once: CommonJS output (tsc re-exports,
// esbuild/swc for every export) reads imported names through getters on each use.
const FULFILL: IlpPacketType.Fulfill = IlpPacketType.Fulfill;
const { verifyFulfillmentSync } = ilpCoreNode;

export class VerifyFulfillmentMiddleware implements PacketService {
  constructor(
    private readonly next: PacketService,
    private readonly scheduler: Scheduler,
  ) {}

  async handle(ctx: PacketContext): Promise<IlpReply> {
    const reply = await this.next.handle(ctx);
    if (reply.type !== FULFILL) return reply;
    if (!verifyFulfillmentSync(reply.fulfillment, ctx.prepare.executionCondition)) {
      throw new IlpError(
        IlpErrorCode.F05_WRONG_CONDITION,
        'fulfillment does not match the condition',
      );
    }
    const deadline = ctx.to !== undefined ? ctx.outExpiresAtMs : ctx.incomingExpiresAtMs;
    if (this.scheduler.now() > deadline) {
      throw new IlpError(
        IlpErrorCode.R00_TRANSFER_TIMED_OUT,
        'fulfillment arrived after the packet expired',
      );
    }
    return reply;
  }
}
