/** Hand-made STREAM Prepares (for misbehaving peers, replays and probes) and reply readers. */
import { IlpPacketType, type IlpPrepare, type IlpReply } from '@tollgate/ilp-core';
import { StreamKeys } from '../src/crypto/stream-keys';
import { Frame } from '../src/packet/frames';
import {
  deserializeStreamPacket,
  serializeStreamPacket,
  StreamPacket,
} from '../src/packet/stream-packet';

export interface RawOptions {
  sequence: bigint;
  frames?: Frame[];
  amount?: bigint;
  prepareAmount?: bigint;
  /** Use a random condition (a probe) instead of the STREAM one. */
  unfulfillable?: boolean;
  ilpPacketType?: IlpPacketType;
  /** Replace the encrypted data entirely. */
  data?: Uint8Array;
}

export async function rawPrepare(
  keys: StreamKeys,
  destination: string,
  options: RawOptions,
): Promise<IlpPrepare> {
  const data =
    options.data ??
    (await keys.encrypt(
      serializeStreamPacket({
        sequence: options.sequence,
        ilpPacketType: options.ilpPacketType ?? IlpPacketType.Prepare,
        prepareAmount: options.prepareAmount ?? 0n,
        frames: options.frames ?? [],
      }),
    ));
  const condition = options.unfulfillable
    ? keys.crypto.randomBytes(32)
    : (await keys.fulfillmentAndCondition(data)).condition;
  return {
    type: IlpPacketType.Prepare,
    amount: options.amount ?? 0n,
    expiresAt: new Date(Date.now() + 30_000),
    executionCondition: condition,
    destination,
    data,
  };
}

/** The decrypted STREAM reply inside a Fulfill or F99 Reject, if any. */
export async function readReply(
  keys: StreamKeys,
  reply: IlpReply,
): Promise<StreamPacket | undefined> {
  if (reply.data.length === 0) return undefined;
  const plaintext = await keys.decrypt(reply.data);
  return plaintext ? deserializeStreamPacket(plaintext) : undefined;
}
