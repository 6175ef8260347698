/**
 * Rate limit: one account must not be able to flood the node. Per account, a token bucket of
 * packets per second and one of amount per second (both optional, burst = one second's
 * worth); an empty bucket answers T05 Rate Limited. Every incoming Prepare that passed
 * validation counts, rejected or not: the limit protects the node's work, not the money.
 */
import { IlpError, IlpErrorCode, IlpReply } from '@tollgate/ilp-core';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

export class RateLimitMiddleware implements PacketService {
  constructor(private readonly next: PacketService) {}

  handle(ctx: PacketContext): Promise<IlpReply> {
    const account = ctx.from;
    const packets = account.packetBucket;
    if (packets !== undefined && !packets.take(ctx.nowMs)) {
      throw new IlpError(IlpErrorCode.T05_RATE_LIMITED, 'too many packets, throttling');
    }
    const amounts = account.amountBucket;
    const amount = ctx.prepare.amount;
    if (amounts !== undefined && amount !== 0n && !amounts.take(amount, ctx.nowMs)) {
      throw new IlpError(IlpErrorCode.T05_RATE_LIMITED, 'too much value per second, throttling');
    }
    return this.next.handle(ctx);
  }
}
