/**
 * The one abstraction of the packet path: a service takes a Prepare (in its context) and
 * returns a Fulfill or Reject. Each rule is a service holding `next`; rules signal failure by
 * throwing `IlpError`, and only the chain's entry turns errors into Rejects.
 */
import { IlpReply } from '@tollgate/ilp-core';
import { PacketContext } from './packet-context';

export interface PacketService {
  handle(ctx: PacketContext): Promise<IlpReply>;
}
