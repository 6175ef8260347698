/**
 * Local delivery: the end of the path for packets addressed to a receiver on this node
 * (the merchant's STREAM server, …). The handler has until the Prepare's own expiry; if it
 * has not answered by then the sender gets R00 and the reservation is released. Errors it
 * throws become Rejects at the chain's entry (IlpError keeps its code; anything else T00).
 */
import { IlpReply } from '@tollgate/ilp-core';
import { DeadlineSweeper } from '../link/deadline-sweeper';
import { LocalHandler } from '../routing/routing-table';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

export class LocalDeliveryService implements PacketService {
  constructor(private readonly deadlines: DeadlineSweeper) {}

  handle(ctx: PacketContext): Promise<IlpReply> {
    const handler = ctx.handler as LocalHandler;
    let reply: Promise<IlpReply>;
    try {
      reply = handler(ctx.prepare, ctx.from.id);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.deadlines.race(reply, ctx.incomingExpiresAtMs, 'local receiver timed out');
  }
}
