/**
 * Incoming balance: the sender's credit limit, enforced with reservations.
 *
 * A Prepare of x from account A reserves x at once, provided
 *   balance(A) − reservedIncoming(A) − x ≥ minBalance(A)
 * else T04 Insufficient Liquidity. Because the check and the reservation happen in one
 * synchronous step, any number of concurrent packets can never take A past its limit. A
 * Reject, a thrown error or an expiry releases the reservation; a Fulfill turns it into the
 * committed debit balance(A) −= x (noted on the context for the journal). Zero-amount packets
 * (peer protocols, probes) neither reserve nor commit.
 */
import { IlpError, IlpErrorCode, IlpPacketType, type IlpReply } from '@tollgate/ilp-core';
import { SettlementMonitor } from '../balance/settlement-monitor';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

// Values used per packet are bound to module locals once: CommonJS output (tsc re-exports,
// esbuild/swc for every export) reads imported names through getters on each use.
const FULFILL: IlpPacketType.Fulfill = IlpPacketType.Fulfill;

export class IncomingBalanceMiddleware implements PacketService {
  constructor(
    private readonly next: PacketService,
    private readonly settlement: SettlementMonitor,
  ) {}

  async handle(ctx: PacketContext): Promise<IlpReply> {
    const amount = ctx.prepare.amount;
    if (amount === 0n) return this.next.handle(ctx);
    const account = ctx.from;
    const min = account.minBalance;
    if (min !== undefined && account.balance - account.reservedIncoming - amount < min) {
      throw new IlpError(
        IlpErrorCode.T04_INSUFFICIENT_LIQUIDITY,
        `exceeded credit limit of account ${account.id}`,
      );
    }
    account.reservedIncoming += amount;
    let reply: IlpReply;
    try {
      reply = await this.next.handle(ctx);
    } catch (error) {
      account.reservedIncoming -= amount;
      throw error;
    }
    account.reservedIncoming -= amount;
    if (reply.type === FULFILL) {
      account.balance -= amount;
      ctx.debitAccount = account.id;
      ctx.debit = -amount;
      this.settlement.check(account);
    }
    return reply;
  }
}
