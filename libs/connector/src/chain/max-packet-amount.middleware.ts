/**
 * Max packet amount: a per-account cap on one Prepare, which bounds the value at risk in any
 * single packet (RFC 18). Above it: F08 Amount Too Large with AmountTooLarge data
 * {receivedAmount, maximumAmount} in this account's units, so the sender can scale down.
 */
import { amountTooLargeError, IlpReply } from '@tollgate/ilp-core';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

export class MaxPacketAmountMiddleware implements PacketService {
  constructor(private readonly next: PacketService) {}

  handle(ctx: PacketContext): Promise<IlpReply> {
    const max = ctx.from.maxPacketAmount;
    const amount = ctx.prepare.amount;
    if (max !== undefined && amount > max) throw amountTooLargeError(amount, max);
    return this.next.handle(ctx);
  }
}
