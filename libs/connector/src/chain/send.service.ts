/**
 * Send: the end of the forwarding path. Writes the outgoing Prepare, hands it to the next
 * hop's link and waits for the reply until the outgoing expiry.
 *
 * - A Prepare that came in as bytes is copied and patched in place (amount and expiry are
 *   the only fields a connector rewrites); only typed Prepares are encoded from scratch.
 * - The reply is decoded once; the bytes are kept so an unchanged reply (every Reject, every
 *   valid Fulfill) is relayed upstream byte for byte.
 * - No reply by the deadline → R00. Link failures thrown as IlpError keep their code and
 *   message in a Reject triggered by us; any other failure, or a reply that is not a valid
 *   Fulfill/Reject, → T00 without internal details.
 */
import * as ilpCore from '@tollgate/ilp-core';
import {
  IlpError,
  IlpErrorCode,
  IlpPacketType,
  type IlpPrepare,
  type IlpReply,
} from '@tollgate/ilp-core';
import { AccountLink, LocalDelivery } from '../accounts/account-link';
import { AccountState } from '../accounts/account-state';
import { DeadlineSweeper } from '../link/deadline-sweeper';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

// Values used per packet are bound to module locals once: CommonJS output (tsc re-exports,
// esbuild/swc for every export) reads imported names through getters on each use.
const { deserializeIlpReply, serializePrepare, Writer } = ilpCore;

/** amount (8 bytes) ‖ expiresAt (17 digits), written once here and copied into each packet. */
const patch = new Uint8Array(8 + 17);
const patchWriter = new Writer(patch);

/** A copy of a serialized Prepare with amount and expiresAt replaced. */
export function rewritePrepare(source: Uint8Array, amount: bigint, expiresAt: Date): Uint8Array {
  const copy = new Uint8Array(source);
  const lengthByte = copy[1];
  const offset = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  patchWriter.offset = 0;
  patchWriter.writeUInt64(amount, 'amount');
  patchWriter.writeIlpTimestamp(expiresAt, 'expiresAt');
  copy.set(patch, offset);
  return copy;
}

/** An error thrown by a link, as the IlpError the sender will see (triggered by us). */
export function linkFailure(error: unknown): IlpError {
  if (error instanceof IlpError) {
    if (error.triggeredBy === undefined) return error;
    return new IlpError(error.code, error.message, { data: error.data });
  }
  return new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, 'Internal Error');
}

function deliverOn(link: AccountLink, prepare: IlpPrepare): Promise<LocalDelivery> {
  try {
    return (link.deliver as (p: IlpPrepare) => Promise<LocalDelivery>)(prepare);
  } catch (error) {
    return Promise.reject(error);
  }
}

function sendOn(link: AccountLink, bytes: Uint8Array, expiresAt: Date): Promise<Uint8Array> {
  try {
    return link.send(bytes, expiresAt);
  } catch (error) {
    return Promise.reject(error);
  }
}

export class SendService implements PacketService {
  constructor(private readonly deadlines: DeadlineSweeper) {}

  async handle(ctx: PacketContext): Promise<IlpReply> {
    const to = ctx.to as AccountState;
    const link = to.link as AccountLink;
    const expiresAt = new Date(ctx.outExpiresAtMs);
    if (link.deliver !== undefined) return this.deliverLocally(ctx, link, to, expiresAt);
    const bytes =
      ctx.incomingBytes !== undefined
        ? rewritePrepare(ctx.incomingBytes, ctx.outAmount, expiresAt)
        : serializePrepare({
            type: IlpPacketType.Prepare,
            amount: ctx.outAmount,
            expiresAt,
            executionCondition: ctx.prepare.executionCondition,
            destination: ctx.prepare.destination,
            data: ctx.prepare.data,
          });
    let replyBytes: Uint8Array;
    try {
      replyBytes = await this.deadlines.race(
        sendOn(link, bytes, expiresAt),
        ctx.outExpiresAtMs,
        `timed out waiting for ${to.id}`,
      );
    } catch (error) {
      throw linkFailure(error);
    }
    let reply: IlpReply;
    try {
      reply = deserializeIlpReply(replyBytes);
    } catch {
      throw new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, `invalid reply from ${to.id}`);
    }
    ctx.replyBytes = replyBytes;
    ctx.replyPacket = reply;
    return reply;
  }

  /** An in-process receiver: typed Prepare in, typed reply out, optional credit reference. */
  private async deliverLocally(
    ctx: PacketContext,
    link: AccountLink,
    to: AccountState,
    expiresAt: Date,
  ): Promise<IlpReply> {
    const prepare: IlpPrepare = {
      type: IlpPacketType.Prepare,
      amount: ctx.outAmount,
      expiresAt,
      executionCondition: ctx.prepare.executionCondition,
      destination: ctx.prepare.destination,
      data: ctx.prepare.data,
    };
    let delivery: LocalDelivery;
    try {
      delivery = await this.deadlines.race(
        deliverOn(link, prepare),
        ctx.outExpiresAtMs,
        `timed out waiting for ${to.id}`,
      );
    } catch (error) {
      throw linkFailure(error);
    }
    const reply = delivery.reply;
    if (
      reply === null ||
      typeof reply !== 'object' ||
      (reply.type !== IlpPacketType.Fulfill && reply.type !== IlpPacketType.Reject)
    ) {
      throw new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, `invalid reply from ${to.id}`);
    }
    ctx.replyBytes = undefined;
    ctx.replyPacket = reply;
    ctx.creditRef = delivery.creditRef;
    ctx.onDurable = delivery.onDurable;
    return reply;
  }
}
