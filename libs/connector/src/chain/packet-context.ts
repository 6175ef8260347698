/**
 * Everything the chain knows about one packet, in one object allocated per packet (fields,
 * not closures or maps). Rules fill in the outgoing side as they go.
 */
import { IlpPrepare, IlpReply } from '@tollgate/ilp-core';
import { AccountState } from '../accounts/account-state';
import { LocalHandler } from '../routing/routing-table';

export class PacketContext {
  /** Set by the validate rule (ms since the epoch). */
  incomingExpiresAtMs = 0;
  /** Next hop, when forwarding. */
  to: AccountState | undefined = undefined;
  /** Local receiver, when delivering locally. */
  handler: LocalHandler | undefined = undefined;
  outAmount = 0n;
  outExpiresAtMs = 0;
  /** The next hop's reply as received: relayed upstream byte for byte when unchanged. */
  replyBytes: Uint8Array | undefined = undefined;
  replyPacket: IlpReply | undefined = undefined;
  /** Balance changes committed in memory for this packet, journaled before the Fulfill leaves. */
  debitAccount: string | undefined = undefined;
  debit = 0n;
  creditAccount: string | undefined = undefined;
  credit = 0n;
  /** What the credit is for, when an in-process receiver said so (journaled with it). */
  creditRef: string | undefined = undefined;
  /** From a local delivery: run when the packet's balance changes are durable. */
  onDurable: (() => void) | undefined = undefined;

  constructor(
    readonly from: AccountState,
    readonly prepare: IlpPrepare,
    /** The Prepare as received, when it came in as bytes: forwarded with only amount and expiry patched. */
    readonly incomingBytes: Uint8Array | undefined,
    /** Clock reading when the packet arrived. */
    readonly nowMs: number,
  ) {}
}
