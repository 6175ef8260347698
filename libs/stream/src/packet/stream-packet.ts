/**
 * The plaintext STREAM packet (RFC 29 §5.2): version 1, the ILP packet type it must ride
 * in, sequence, prepareAmount, then a VarUInt count of frames, each `type ‖ var-octet-string`.
 * Anything after the counted frames (zero padding) is ignored.
 *
 * Pure paired codec: {@link streamPacketSize} predicts the exact size, the serializer
 * writes into one buffer of that size, and the deserializer never reads past its input,
 * never loops more than the input allows and throws only ilp-core's `CodecError`.
 * Unknown frame types are skipped (their length prefix makes that possible) and do not
 * appear in the result. Only StreamMaxMoney.receiveMax and StreamMoneyBlocked.sendMax
 * saturate at 2^64−1 (RFC 29); every other VarUInt longer than 8 bytes is an error.
 */
import {
  CodecError,
  CodecErrorCode,
  IlpPacketType,
  Reader,
  Writer,
  lengthDeterminantSize,
  utf8Length,
  varUIntSize,
} from '@tollgate/ilp-core';
import { Frame, FrameType } from './frames';

export const STREAM_VERSION = 1;

export interface StreamPacket {
  /** The sender's packet counter; a reply echoes the sequence of its Prepare. */
  sequence: bigint;
  /** 12 Prepare, 13 Fulfill, 14 Reject: the ILP packet this STREAM packet must travel in. */
  ilpPacketType: IlpPacketType;
  /** Prepare: minimum the receiver should accept. Fulfill/Reject: the amount that arrived. */
  prepareAmount: bigint;
  frames: Frame[];
}

export interface SerializeOptions {
  /** Append zero bytes up to this total length (padding hides the packet's real size). */
  padTo?: number;
}

const SATURATING = { saturating: true } as const;

function checkPacketType(type: number, offset?: number): void {
  if (type !== 12 && type !== 13 && type !== 14) {
    throw new CodecError(
      CodecErrorCode.UnknownPacketType,
      `STREAM ilpPacketType must be 12, 13 or 14, got ${type}`,
      offset,
    );
  }
}

function varBytesSize(length: number): number {
  return lengthDeterminantSize(length) + length;
}

/** Size of a frame's contents (without its type byte and length prefix). */
function frameContentSize(frame: Frame): number {
  switch (frame.type) {
    case FrameType.ConnectionClose:
      return 1 + varBytesSize(utf8Length(frame.errorMessage, 'errorMessage'));
    case FrameType.ConnectionNewAddress:
      if (typeof frame.sourceAddress !== 'string') {
        throw new CodecError(CodecErrorCode.InvalidInput, 'sourceAddress must be a string');
      }
      return varBytesSize(frame.sourceAddress.length);
    case FrameType.ConnectionMaxData:
    case FrameType.ConnectionDataBlocked:
      return varUIntSize(frame.maxOffset);
    case FrameType.ConnectionMaxStreamId:
    case FrameType.ConnectionStreamIdBlocked:
      return varUIntSize(frame.maxStreamId);
    case FrameType.ConnectionAssetDetails:
      return varBytesSize(utf8Length(frame.sourceAssetCode, 'sourceAssetCode')) + 1;
    case FrameType.StreamClose:
      return (
        varUIntSize(frame.streamId) +
        1 +
        varBytesSize(utf8Length(frame.errorMessage, 'errorMessage'))
      );
    case FrameType.StreamMoney:
      return varUIntSize(frame.streamId) + varUIntSize(frame.shares);
    case FrameType.StreamMaxMoney:
      return (
        varUIntSize(frame.streamId) +
        varUIntSize(frame.receiveMax) +
        varUIntSize(frame.totalReceived)
      );
    case FrameType.StreamMoneyBlocked:
      return (
        varUIntSize(frame.streamId) + varUIntSize(frame.sendMax) + varUIntSize(frame.totalSent)
      );
    case FrameType.StreamData:
      checkBytes(frame.data, 'data');
      return (
        varUIntSize(frame.streamId) + varUIntSize(frame.offset) + varBytesSize(frame.data.length)
      );
    case FrameType.StreamMaxData:
    case FrameType.StreamDataBlocked:
      return varUIntSize(frame.streamId) + varUIntSize(frame.maxOffset);
    case FrameType.StreamReceipt:
      checkBytes(frame.receipt, 'receipt');
      return varUIntSize(frame.streamId) + varBytesSize(frame.receipt.length);
    default:
      throw new CodecError(
        CodecErrorCode.InvalidInput,
        `cannot serialize frame of type ${String((frame as { type?: unknown }).type)}`,
      );
  }
}

function checkBytes(value: unknown, field: string): void {
  if (!(value instanceof Uint8Array)) {
    throw new CodecError(CodecErrorCode.InvalidInput, `${field} must be a Uint8Array`);
  }
}

/** Size of one whole frame on the wire: type byte, length prefix, contents. */
export function frameSize(frame: Frame): number {
  const content = frameContentSize(frame);
  return 1 + lengthDeterminantSize(content) + content;
}

function headerSize(packet: StreamPacket, frameCount: number): number {
  return (
    2 +
    varUIntSize(packet.sequence) +
    varUIntSize(packet.prepareAmount) +
    varUIntSize(BigInt(frameCount))
  );
}

/** Exact encoded size of `packet` without padding. */
export function streamPacketSize(packet: StreamPacket): number {
  let size = headerSize(packet, packet.frames.length);
  for (const frame of packet.frames) size += frameSize(frame);
  return size;
}

function writeFrame(writer: Writer, frame: Frame, contentSize: number): void {
  writer.writeUInt8(frame.type, 'frame type');
  writer.writeLengthDeterminant(contentSize);
  switch (frame.type) {
    case FrameType.ConnectionClose:
      writer.writeUInt8(frame.errorCode, 'errorCode');
      writer.writeVarUtf8(frame.errorMessage, 'errorMessage');
      return;
    case FrameType.ConnectionNewAddress:
      writer.writeVarAscii(frame.sourceAddress, 'sourceAddress');
      return;
    case FrameType.ConnectionMaxData:
    case FrameType.ConnectionDataBlocked:
      writer.writeVarUInt(frame.maxOffset);
      return;
    case FrameType.ConnectionMaxStreamId:
    case FrameType.ConnectionStreamIdBlocked:
      writer.writeVarUInt(frame.maxStreamId);
      return;
    case FrameType.ConnectionAssetDetails:
      writer.writeVarUtf8(frame.sourceAssetCode, 'sourceAssetCode');
      writer.writeUInt8(frame.sourceAssetScale, 'sourceAssetScale');
      return;
    case FrameType.StreamClose:
      writer.writeVarUInt(frame.streamId);
      writer.writeUInt8(frame.errorCode, 'errorCode');
      writer.writeVarUtf8(frame.errorMessage, 'errorMessage');
      return;
    case FrameType.StreamMoney:
      writer.writeVarUInt(frame.streamId);
      writer.writeVarUInt(frame.shares);
      return;
    case FrameType.StreamMaxMoney:
      writer.writeVarUInt(frame.streamId);
      writer.writeVarUInt(frame.receiveMax);
      writer.writeVarUInt(frame.totalReceived);
      return;
    case FrameType.StreamMoneyBlocked:
      writer.writeVarUInt(frame.streamId);
      writer.writeVarUInt(frame.sendMax);
      writer.writeVarUInt(frame.totalSent);
      return;
    case FrameType.StreamData:
      writer.writeVarUInt(frame.streamId);
      writer.writeVarUInt(frame.offset);
      writer.writeVarOctetString(frame.data, 'data');
      return;
    case FrameType.StreamMaxData:
    case FrameType.StreamDataBlocked:
      writer.writeVarUInt(frame.streamId);
      writer.writeVarUInt(frame.maxOffset);
      return;
    case FrameType.StreamReceipt:
      writer.writeVarUInt(frame.streamId);
      writer.writeVarOctetString(frame.receipt, 'receipt');
      return;
  }
}

/**
 * Encodes a STREAM packet into one exactly sized buffer (or `padTo` bytes, zero-padded).
 * Throws CodecError for any field that would not make a valid packet.
 */
export function serializeStreamPacket(
  packet: StreamPacket,
  options?: SerializeOptions,
): Uint8Array {
  checkPacketType(packet.ilpPacketType);
  const frames = packet.frames;
  const contentSizes = new Array<number>(frames.length);
  let size = headerSize(packet, frames.length);
  for (let i = 0; i < frames.length; i++) {
    const content = frameContentSize(frames[i]);
    contentSizes[i] = content;
    size += 1 + lengthDeterminantSize(content) + content;
  }
  const padTo = options?.padTo ?? 0;
  const writer = padTo > size ? new Writer(new Uint8Array(padTo), 0, size) : new Writer(size);
  writer.writeUInt8(STREAM_VERSION, 'version');
  writer.writeUInt8(packet.ilpPacketType, 'ilpPacketType');
  writer.writeVarUInt(packet.sequence);
  writer.writeVarUInt(packet.prepareAmount);
  writer.writeVarUInt(BigInt(frames.length));
  for (let i = 0; i < frames.length; i++) writeFrame(writer, frames[i], contentSizes[i]);
  writer.finish();
  return writer.bytes;
}

/** Reads the contents of one known frame; `reader.end` is the end of those contents. */
function readFrame(reader: Reader, type: FrameType): Frame {
  switch (type) {
    case FrameType.ConnectionClose:
      return {
        type,
        errorCode: reader.readUInt8('errorCode'),
        errorMessage: reader.readVarUtf8('errorMessage'),
      };
    case FrameType.ConnectionNewAddress:
      return { type, sourceAddress: reader.readVarAscii('sourceAddress') };
    case FrameType.ConnectionMaxData:
    case FrameType.ConnectionDataBlocked:
      return { type, maxOffset: reader.readVarUInt(undefined, 'maxOffset') };
    case FrameType.ConnectionMaxStreamId:
    case FrameType.ConnectionStreamIdBlocked:
      return { type, maxStreamId: reader.readVarUInt(undefined, 'maxStreamId') };
    case FrameType.ConnectionAssetDetails:
      return {
        type,
        sourceAssetCode: reader.readVarUtf8('sourceAssetCode'),
        sourceAssetScale: reader.readUInt8('sourceAssetScale'),
      };
    case FrameType.StreamClose:
      return {
        type,
        streamId: reader.readVarUInt(undefined, 'streamId'),
        errorCode: reader.readUInt8('errorCode'),
        errorMessage: reader.readVarUtf8('errorMessage'),
      };
    case FrameType.StreamMoney:
      return {
        type,
        streamId: reader.readVarUInt(undefined, 'streamId'),
        shares: reader.readVarUInt(undefined, 'shares'),
      };
    case FrameType.StreamMaxMoney:
      return {
        type,
        streamId: reader.readVarUInt(undefined, 'streamId'),
        receiveMax: reader.readVarUInt(SATURATING, 'receiveMax'),
        totalReceived: reader.readVarUInt(undefined, 'totalReceived'),
      };
    case FrameType.StreamMoneyBlocked:
      return {
        type,
        streamId: reader.readVarUInt(undefined, 'streamId'),
        sendMax: reader.readVarUInt(SATURATING, 'sendMax'),
        totalSent: reader.readVarUInt(undefined, 'totalSent'),
      };
    case FrameType.StreamData:
      return {
        type,
        streamId: reader.readVarUInt(undefined, 'streamId'),
        offset: reader.readVarUInt(undefined, 'offset'),
        data: reader.readVarOctetString('data'),
      };
    case FrameType.StreamMaxData:
    case FrameType.StreamDataBlocked:
      return {
        type,
        streamId: reader.readVarUInt(undefined, 'streamId'),
        maxOffset: reader.readVarUInt(undefined, 'maxOffset'),
      };
    case FrameType.StreamReceipt:
      return {
        type,
        streamId: reader.readVarUInt(undefined, 'streamId'),
        receipt: reader.readVarOctetString('receipt'),
      };
  }
}

function isKnown(type: number): type is FrameType {
  return (type >= 0x01 && type <= 0x07) || (type >= 0x10 && type <= 0x17);
}

/**
 * Decodes a plaintext STREAM packet. Byte fields are zero-copy views of `bytes`. Unknown
 * frames are skipped; bytes after the last counted frame are ignored; bytes left inside a
 * known frame's contents after its fields are ignored too (room for future fields).
 * Throws only CodecError.
 */
export function deserializeStreamPacket(bytes: Uint8Array): StreamPacket {
  const reader = new Reader(bytes);
  const version = reader.readUInt8('version');
  if (version !== STREAM_VERSION) {
    throw new CodecError(CodecErrorCode.InvalidInput, `unsupported STREAM version ${version}`, 0);
  }
  const ilpPacketType = reader.readUInt8('ilpPacketType');
  checkPacketType(ilpPacketType, 1);
  const sequence = reader.readVarUInt(undefined, 'sequence');
  const prepareAmount = reader.readVarUInt(undefined, 'prepareAmount');
  const countAt = reader.offset;
  const count = reader.readVarUInt(undefined, 'frame count');
  // every frame takes at least two bytes (type and an empty length), so a larger count
  // cannot be satisfied by the input: fail now instead of looping towards 2^64
  if (count > BigInt(reader.remaining >> 1)) {
    throw new CodecError(
      CodecErrorCode.Truncated,
      `frame count ${count} exceeds what ${reader.remaining} bytes can hold`,
      countAt,
    );
  }
  const frames: Frame[] = [];
  const outerEnd = reader.end;
  for (let i = Number(count); i > 0; i--) {
    const type = reader.readUInt8('frame type');
    const length = reader.readLength('frame contents');
    const contentEnd = reader.offset + length;
    if (isKnown(type)) {
      reader.end = contentEnd;
      try {
        frames.push(readFrame(reader, type));
      } finally {
        reader.end = outerEnd;
      }
    }
    reader.offset = contentEnd;
  }
  return { sequence, ilpPacketType: ilpPacketType as IlpPacketType, prepareAmount, frames };
}
