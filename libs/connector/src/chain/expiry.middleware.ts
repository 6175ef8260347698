/**
 * Expiry: give ourselves time to pass a Fulfill back upstream (FACTS §2.5, ilp-connector).
 *
 * outgoing expiry = min(incoming expiry − minMessageWindow, now + maxHoldTime)
 * (defaults 1,000 ms and 30,000 ms): the next hop must answer at least minMessageWindow
 * before our own sender gives up, and no packet ties up liquidity longer than maxHoldTime.
 * If less than minMessageWindow would be left for the next hop → R02 Insufficient Timeout.
 */
import { IlpError, IlpErrorCode, IlpReply } from '@tollgate/ilp-core';
import { NodeRuntime } from '../node-runtime';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

export class ExpiryMiddleware implements PacketService {
  constructor(
    private readonly next: PacketService,
    private readonly runtime: NodeRuntime,
  ) {}

  handle(ctx: PacketContext): Promise<IlpReply> {
    const { minMessageWindowMs, maxHoldTimeMs } = this.runtime;
    const now = ctx.nowMs;
    const shortened = ctx.incomingExpiresAtMs - minMessageWindowMs;
    const held = now + maxHoldTimeMs;
    const outgoing = shortened < held ? shortened : held;
    if (outgoing - now < minMessageWindowMs) {
      throw new IlpError(
        IlpErrorCode.R02_INSUFFICIENT_TIMEOUT,
        `source transfer expires too soon to complete payment (needs ${2 * minMessageWindowMs} ms, has ${ctx.incomingExpiresAtMs - now} ms)`,
      );
    }
    ctx.outExpiresAtMs = outgoing;
    return this.next.handle(ctx);
  }
}
