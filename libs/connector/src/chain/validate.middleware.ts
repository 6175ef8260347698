/**
 * Validate: refuse what cannot be handled before spending anything on it.
 *
 * A Prepare that is already expired when it arrives gets R02 Insufficient Timeout (as
 * ilp-connector answers "source transfer has already expired": the sender must allow more
 * time). Peer-protocol requests (`peer.*`) are left to their protocol, which answers R00 as
 * the reference ILDCP and CCP servers do. Packets that came in as bytes were fully checked by the decoder; typed Prepares from
 * in-process callers are checked here field by field (F01).
 */
import {
  IlpError,
  IlpErrorCode,
  IlpReply,
  isValidIlpAddress,
  MAX_DATA_LENGTH,
  MAX_UINT64,
} from '@tollgate/ilp-core';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

function invalid(message: string): IlpError {
  return new IlpError(IlpErrorCode.F01_INVALID_PACKET, message);
}

function checkTypedPrepare(ctx: PacketContext): void {
  const p = ctx.prepare;
  if (typeof p.amount !== 'bigint' || p.amount < 0n || p.amount > MAX_UINT64) {
    throw invalid('amount must be an unsigned 64-bit integer');
  }
  if (!(p.expiresAt instanceof Date) || Number.isNaN(p.expiresAt.getTime())) {
    throw invalid('expiresAt must be a valid Date');
  }
  if (!(p.executionCondition instanceof Uint8Array) || p.executionCondition.length !== 32) {
    throw invalid('executionCondition must be 32 bytes');
  }
  if (!isValidIlpAddress(p.destination)) throw invalid('destination is not a valid ILP address');
  if (!(p.data instanceof Uint8Array) || p.data.length > MAX_DATA_LENGTH) {
    throw invalid(`data must be at most ${MAX_DATA_LENGTH} bytes`);
  }
}

export class ValidateMiddleware implements PacketService {
  constructor(private readonly next: PacketService) {}

  handle(ctx: PacketContext): Promise<IlpReply> {
    if (ctx.incomingBytes === undefined) checkTypedPrepare(ctx);
    const expiresAtMs = ctx.prepare.expiresAt.getTime();
    if (expiresAtMs < ctx.nowMs && !ctx.prepare.destination.startsWith('peer.')) {
      throw new IlpError(
        IlpErrorCode.R02_INSUFFICIENT_TIMEOUT,
        'source transfer has already expired',
      );
    }
    ctx.incomingExpiresAtMs = expiresAtMs;
    return this.next.handle(ctx);
  }
}
