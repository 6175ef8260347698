/**
 * BTP 2.0 packet shapes (RFC 23, `BilateralTransferProtocol.asn`) as a discriminated union on
 * `type`. Decoded `data` fields are zero-copy views into the decoded frame: copy them
 * (`slice()`) if you keep them after that buffer may be reused.
 */

/** Packet types of BTP 2.0. 3, 4 and 5 (the old Prepare/Fulfill/Reject) are not used. */
export enum BtpPacketType {
  Response = 1,
  Error = 2,
  Message = 6,
  Transfer = 7,
}

/**
 * The three content types RFC 23 names. The field is a UInt8 on the wire and other values
 * must survive a round trip (interledger-rs' fuzz case 11 uses 253), so packets carry a
 * plain `number`.
 */
export enum BtpContentType {
  ApplicationOctetStream = 0,
  TextPlainUtf8 = 1,
  ApplicationJson = 2,
}

/** One sub-protocol entry. The first entry of a packet is its primary sub-protocol. */
export interface BtpProtocolData {
  /** IA5 (ASCII), unique within a packet. */
  protocolName: string;
  /** UInt8; see {@link BtpContentType}. */
  contentType: number;
  data: Uint8Array;
}

interface BtpPacketBase {
  /** UInt32; a response carries the id of the request it answers. */
  requestId: number;
  protocolData: BtpProtocolData[];
}

/** Successful answer to a Message or Transfer. */
export interface BtpResponsePacket extends BtpPacketBase {
  readonly type: BtpPacketType.Response;
}

/** Failed answer to a Message or Transfer (a BTP-level failure, never an ILP Reject). */
export interface BtpErrorPacket extends BtpPacketBase {
  readonly type: BtpPacketType.Error;
  /** Exactly three IA5 characters, e.g. `F00` (see BtpErrorCode for the RFC 23 ones). */
  code: string;
  /** IA5, e.g. `NotAcceptedError`. */
  name: string;
  /** Millisecond precision; written as `YYYYMMDDHHmmss.fffZ`. */
  triggeredAt: Date;
  /** At most {@link MAX_ERROR_DATA_LENGTH} bytes. */
  data: Uint8Array;
}

/** A request whose meaning is given by its primary sub-protocol (`ilp`, `auth`, ...). */
export interface BtpMessagePacket extends BtpPacketBase {
  readonly type: BtpPacketType.Message;
}

/** A request to apply an incremental settlement `amount` (units agreed by the peers). */
export interface BtpTransferPacket extends BtpPacketBase {
  readonly type: BtpPacketType.Transfer;
  /** UInt64. */
  amount: bigint;
}

export type BtpPacket = BtpResponsePacket | BtpErrorPacket | BtpMessagePacket | BtpTransferPacket;
export type BtpRequestPacket = BtpMessagePacket | BtpTransferPacket;
export type BtpReplyPacket = BtpResponsePacket | BtpErrorPacket;

/** RFC 23: `data OCTET STRING (SIZE (0..8192))` in an Error. */
export const MAX_ERROR_DATA_LENGTH = 8192;

export interface BtpDecodeOptions {
  /**
   * Accept (and ignore) bytes after the protocol data and after the envelope, as btp-packet
   * (JS) does. Default `false`: such packets are rejected, as the interledger-rs negative
   * vectors (`fuzz_4`, `fuzz_5`) require.
   */
  allowTrailingBytes?: boolean;
}

export const isBtpResponse = (packet: BtpPacket): packet is BtpResponsePacket =>
  packet.type === BtpPacketType.Response;
export const isBtpError = (packet: BtpPacket): packet is BtpErrorPacket =>
  packet.type === BtpPacketType.Error;
export const isBtpMessage = (packet: BtpPacket): packet is BtpMessagePacket =>
  packet.type === BtpPacketType.Message;
export const isBtpTransfer = (packet: BtpPacket): packet is BtpTransferPacket =>
  packet.type === BtpPacketType.Transfer;
export const isBtpRequest = (packet: BtpPacket): packet is BtpRequestPacket =>
  packet.type === BtpPacketType.Message || packet.type === BtpPacketType.Transfer;
