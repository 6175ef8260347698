/**
 * Journal: a Fulfill leaves this node only after its balance changes are durable.
 *
 * The balance rules below commit their changes in memory and note them on the context; this
 * rule hands them to the group-commit writer and waits for their batch. If the node crashed
 * after the Fulfill went upstream but before the write, money acknowledged to the peer would
 * be forgotten; this ordering rules that out. (Rejects carry no balance change and pass
 * straight through.)
 */
import { IlpPacketType, type IlpReply } from '@tollgate/ilp-core';
import { GroupCommitJournal } from '../balance/group-commit-journal';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

// Values used per packet are bound to module locals once: CommonJS output (tsc re-exports,
// esbuild/swc for every export) reads imported names through getters on each use.
const FULFILL: IlpPacketType.Fulfill = IlpPacketType.Fulfill;

export class JournalMiddleware implements PacketService {
  constructor(
    private readonly next: PacketService,
    private readonly journal: GroupCommitJournal,
  ) {}

  async handle(ctx: PacketContext): Promise<IlpReply> {
    const reply = await this.next.handle(ctx);
    if (reply.type === FULFILL) {
      if (ctx.debitAccount !== undefined) {
        await this.journal.addPacket(
          ctx.debitAccount,
          ctx.debit,
          ctx.creditAccount,
          ctx.credit,
          ctx.creditRef,
        );
      } else if (ctx.creditAccount !== undefined) {
        await this.journal.addPacket(
          ctx.creditAccount,
          ctx.credit,
          undefined,
          undefined,
          ctx.creditRef,
        );
      }
      if (ctx.onDurable !== undefined) {
        try {
          ctx.onDurable();
        } catch {
          // the receiver's follow-up must not fail a durable Fulfill
        }
      }
    }
    return reply;
  }
}
