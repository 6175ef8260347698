/**
 * Outgoing balance: how much we are willing to owe the next hop.
 *
 * Forwarding y to account B reserves y provided
 *   balance(B) + reservedOutgoing(B) + y ≤ maxBalance(B)
 * else T04 Insufficient Liquidity (FACTS §13: the payment would take what we owe B past its
 * maximum). A Reject or failure releases it; a Fulfill commits balance(B) += y, notes it for
 * the journal and checks the settlement threshold.
 */
import { IlpError, IlpErrorCode, IlpPacketType, type IlpReply } from '@tollgate/ilp-core';
import { AccountState } from '../accounts/account-state';
import { SettlementMonitor } from '../balance/settlement-monitor';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

// Values used per packet are bound to module locals once: CommonJS output (tsc re-exports,
// esbuild/swc for every export) reads imported names through getters on each use.
const FULFILL: IlpPacketType.Fulfill = IlpPacketType.Fulfill;

export class OutgoingBalanceMiddleware implements PacketService {
  constructor(
    private readonly next: PacketService,
    private readonly settlement: SettlementMonitor,
  ) {}

  async handle(ctx: PacketContext): Promise<IlpReply> {
    const amount = ctx.outAmount;
    if (amount === 0n) return this.next.handle(ctx);
    const account = ctx.to as AccountState;
    const max = account.maxBalance;
    if (max !== undefined && account.balance + account.reservedOutgoing + amount > max) {
      throw new IlpError(
        IlpErrorCode.T04_INSUFFICIENT_LIQUIDITY,
        `exceeded maximum balance of account ${account.id}`,
      );
    }
    account.reservedOutgoing += amount;
    let reply: IlpReply;
    try {
      reply = await this.next.handle(ctx);
    } catch (error) {
      account.reservedOutgoing -= amount;
      throw error;
    }
    account.reservedOutgoing -= amount;
    if (reply.type === FULFILL) {
      account.balance += amount;
      ctx.creditAccount = account.id;
      ctx.credit = amount;
      this.settlement.check(account);
    }
    return reply;
  }
}
