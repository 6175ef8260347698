/**
 * STREAM frames (RFC 29 §5.3, ASN.1 `Stream.asn`) as a discriminated union on `type`.
 *
 * Every integer field that is a VarUInt on the wire is a `bigint` here, so the codec
 * round-trips the whole 0..2^64−1 range; the connection narrows stream ids and offsets to
 * numbers after checking them against its own limits. Binary fields are `Uint8Array`.
 */
export enum FrameType {
  ConnectionClose = 0x01,
  ConnectionNewAddress = 0x02,
  ConnectionMaxData = 0x03,
  ConnectionDataBlocked = 0x04,
  ConnectionMaxStreamId = 0x05,
  ConnectionStreamIdBlocked = 0x06,
  ConnectionAssetDetails = 0x07,
  StreamClose = 0x10,
  StreamMoney = 0x11,
  StreamMaxMoney = 0x12,
  StreamMoneyBlocked = 0x13,
  StreamData = 0x14,
  StreamMaxData = 0x15,
  StreamDataBlocked = 0x16,
  StreamReceipt = 0x17,
}

/**
 * Error codes of StreamClose / ConnectionClose (RFC 29 §5.4). Unknown codes still parse
 * (the field is a plain UInt8), so frames carry `number`, not just this enum.
 */
export enum ErrorCode {
  NoError = 0x01,
  InternalError = 0x02,
  EndpointBusy = 0x03,
  FlowControlError = 0x04,
  StreamIdError = 0x05,
  StreamStateError = 0x06,
  FrameFormatError = 0x07,
  ProtocolViolation = 0x08,
  ApplicationError = 0x09,
}

export interface ConnectionCloseFrame {
  readonly type: FrameType.ConnectionClose;
  errorCode: number;
  errorMessage: string;
}

export interface ConnectionNewAddressFrame {
  readonly type: FrameType.ConnectionNewAddress;
  /** The new ILP address of the frame's sender (IA5). */
  sourceAddress: string;
}

export interface ConnectionMaxDataFrame {
  readonly type: FrameType.ConnectionMaxData;
  maxOffset: bigint;
}

export interface ConnectionDataBlockedFrame {
  readonly type: FrameType.ConnectionDataBlocked;
  maxOffset: bigint;
}

export interface ConnectionMaxStreamIdFrame {
  readonly type: FrameType.ConnectionMaxStreamId;
  maxStreamId: bigint;
}

export interface ConnectionStreamIdBlockedFrame {
  readonly type: FrameType.ConnectionStreamIdBlocked;
  maxStreamId: bigint;
}

export interface ConnectionAssetDetailsFrame {
  readonly type: FrameType.ConnectionAssetDetails;
  sourceAssetCode: string;
  sourceAssetScale: number;
}

export interface StreamCloseFrame {
  readonly type: FrameType.StreamClose;
  streamId: bigint;
  errorCode: number;
  errorMessage: string;
}

export interface StreamMoneyFrame {
  readonly type: FrameType.StreamMoney;
  streamId: bigint;
  shares: bigint;
}

export interface StreamMaxMoneyFrame {
  readonly type: FrameType.StreamMaxMoney;
  streamId: bigint;
  /** Saturates: a wire value above 2^64−1 decodes as 2^64−1 ("no limit"). */
  receiveMax: bigint;
  totalReceived: bigint;
}

export interface StreamMoneyBlockedFrame {
  readonly type: FrameType.StreamMoneyBlocked;
  streamId: bigint;
  /** Saturates like StreamMaxMoney.receiveMax. */
  sendMax: bigint;
  totalSent: bigint;
}

export interface StreamDataFrame {
  readonly type: FrameType.StreamData;
  streamId: bigint;
  offset: bigint;
  data: Uint8Array;
}

export interface StreamMaxDataFrame {
  readonly type: FrameType.StreamMaxData;
  streamId: bigint;
  maxOffset: bigint;
}

export interface StreamDataBlockedFrame {
  readonly type: FrameType.StreamDataBlocked;
  streamId: bigint;
  maxOffset: bigint;
}

export interface StreamReceiptFrame {
  readonly type: FrameType.StreamReceipt;
  streamId: bigint;
  /** RFC 39 receipt (58 bytes when well-formed; the codec does not check its contents). */
  receipt: Uint8Array;
}

export type Frame =
  | ConnectionCloseFrame
  | ConnectionNewAddressFrame
  | ConnectionMaxDataFrame
  | ConnectionDataBlockedFrame
  | ConnectionMaxStreamIdFrame
  | ConnectionStreamIdBlockedFrame
  | ConnectionAssetDetailsFrame
  | StreamCloseFrame
  | StreamMoneyFrame
  | StreamMaxMoneyFrame
  | StreamMoneyBlockedFrame
  | StreamDataFrame
  | StreamMaxDataFrame
  | StreamDataBlockedFrame
  | StreamReceiptFrame;

/** Frames that name a stream (all 0x10–0x17 types). */
export type StreamFrame =
  | StreamCloseFrame
  | StreamMoneyFrame
  | StreamMaxMoneyFrame
  | StreamMoneyBlockedFrame
  | StreamDataFrame
  | StreamMaxDataFrame
  | StreamDataBlockedFrame
  | StreamReceiptFrame;

/** True for the frame types this library knows (0x01–0x07, 0x10–0x17). */
export function isKnownFrameType(type: number): type is FrameType {
  return (type >= 0x01 && type <= 0x07) || (type >= 0x10 && type <= 0x17);
}

export function isStreamFrame(frame: Frame): frame is StreamFrame {
  return frame.type >= 0x10;
}

export const isConnectionClose = (f: Frame): f is ConnectionCloseFrame =>
  f.type === FrameType.ConnectionClose;
export const isStreamMoney = (f: Frame): f is StreamMoneyFrame => f.type === FrameType.StreamMoney;
export const isStreamData = (f: Frame): f is StreamDataFrame => f.type === FrameType.StreamData;
export const isStreamClose = (f: Frame): f is StreamCloseFrame => f.type === FrameType.StreamClose;
export const isStreamMaxMoney = (f: Frame): f is StreamMaxMoneyFrame =>
  f.type === FrameType.StreamMaxMoney;
export const isStreamReceipt = (f: Frame): f is StreamReceiptFrame =>
  f.type === FrameType.StreamReceipt;
