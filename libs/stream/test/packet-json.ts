/**
 * The STREAM vector files' JSON shape (decimal strings, base64 data, `sourceAccount`)
 * to and from our StreamPacket. Unknown frames in the JSON are dropped: the decoder skips them.
 */
import { Frame, FrameType } from '../src/packet/frames';
import { StreamPacket } from '../src/packet/stream-packet';
import { base64, unbase64 } from './vectors';

export interface FrameJson {
  type: number;
  name: string;
  [field: string]: unknown;
}

export interface PacketJson {
  sequence: string;
  packetType: number;
  amount: string;
  frames: FrameJson[];
}

const big = (v: unknown): bigint => BigInt(v as string);

export function frameFromJson(f: FrameJson): Frame | undefined {
  switch (f.type) {
    case FrameType.ConnectionClose:
      return {
        type: f.type,
        errorCode: f.errorCode as number,
        errorMessage: f.errorMessage as string,
      };
    case FrameType.ConnectionNewAddress:
      return { type: f.type, sourceAddress: f.sourceAccount as string };
    case FrameType.ConnectionMaxData:
    case FrameType.ConnectionDataBlocked:
      return { type: f.type, maxOffset: big(f.maxOffset) };
    case FrameType.ConnectionMaxStreamId:
    case FrameType.ConnectionStreamIdBlocked:
      return { type: f.type, maxStreamId: big(f.maxStreamId) };
    case FrameType.ConnectionAssetDetails:
      return {
        type: f.type,
        sourceAssetCode: f.sourceAssetCode as string,
        sourceAssetScale: f.sourceAssetScale as number,
      };
    case FrameType.StreamClose:
      return {
        type: f.type,
        streamId: big(f.streamId),
        errorCode: f.errorCode as number,
        errorMessage: f.errorMessage as string,
      };
    case FrameType.StreamMoney:
      return { type: f.type, streamId: big(f.streamId), shares: big(f.shares) };
    case FrameType.StreamMaxMoney:
      return {
        type: f.type,
        streamId: big(f.streamId),
        receiveMax: big(f.receiveMax),
        totalReceived: big(f.totalReceived),
      };
    case FrameType.StreamMoneyBlocked:
      return {
        type: f.type,
        streamId: big(f.streamId),
        sendMax: big(f.sendMax),
        totalSent: big(f.totalSent),
      };
    case FrameType.StreamData:
      return {
        type: f.type,
        streamId: big(f.streamId),
        offset: big(f.offset),
        data: unbase64(f.data as string),
      };
    case FrameType.StreamMaxData:
    case FrameType.StreamDataBlocked:
      return { type: f.type, streamId: big(f.streamId), maxOffset: big(f.maxOffset) };
    case FrameType.StreamReceipt:
      return { type: f.type, streamId: big(f.streamId), receipt: unbase64(f.receipt as string) };
    default:
      return undefined;
  }
}

export function packetFromJson(json: PacketJson): StreamPacket {
  return {
    sequence: BigInt(json.sequence),
    ilpPacketType: json.packetType,
    prepareAmount: BigInt(json.amount),
    frames: json.frames.map(frameFromJson).filter((f): f is Frame => f !== undefined),
  };
}

/** A comparable plain form (bigints as strings, bytes as base64). */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return base64(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
