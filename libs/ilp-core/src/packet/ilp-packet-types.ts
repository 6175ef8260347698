/**
 * ILPv4 packet shapes (RFC 27) as a discriminated union on `type`.
 *
 * Amounts are `bigint` (UInt64). `expiresAt` is a `Date` (millisecond precision, as on the
 * wire). Decoded `data`, `executionCondition` and `fulfillment` are zero-copy views into the
 * decoded input: copy them (`slice()`) if you keep them after reusing that buffer.
 * Encoded packets are exactly sized Uint8Arrays; in Node small ones may be views into a
 * shared pool, so take `.buffer` only together with `byteOffset` / `byteLength`.
 */
export enum IlpPacketType {
  Prepare = 12,
  Fulfill = 13,
  Reject = 14,
}

export interface IlpPrepare {
  readonly type: IlpPacketType.Prepare;
  /** 0..2^64−1 in the units of the link the packet travels on. */
  amount: bigint;
  expiresAt: Date;
  /** 32 bytes: SHA-256 of the fulfillment that unlocks the payment. */
  executionCondition: Uint8Array;
  /** A valid ILP address, at most 1023 bytes. */
  destination: string;
  /** At most 32767 bytes, end-to-end. */
  data: Uint8Array;
}

export interface IlpFulfill {
  readonly type: IlpPacketType.Fulfill;
  /** 32 bytes whose SHA-256 is the Prepare's executionCondition. */
  fulfillment: Uint8Array;
  /** At most 32767 bytes. */
  data: Uint8Array;
}

export interface IlpReject {
  readonly type: IlpPacketType.Reject;
  /** Three characters: F, T or R then two of 0-9 A-Z (see IlpErrorCode for the known ones). */
  code: string;
  /** Address of the node that produced the error, or `''`. */
  triggeredBy: string;
  /** For people; at most 8191 bytes of UTF-8. */
  message: string;
  /** At most 32767 bytes; meaning depends on the code (F08: AmountTooLarge data). */
  data: Uint8Array;
}

export type IlpPacket = IlpPrepare | IlpFulfill | IlpReject;
export type IlpReply = IlpFulfill | IlpReject;

/** What encoders accept: `type` may be omitted; Fulfill/Reject `data` defaults to empty. */
export type IlpPrepareInput = Omit<IlpPrepare, 'type'> & { readonly type?: IlpPacketType.Prepare };
export type IlpFulfillInput = Omit<IlpFulfill, 'type' | 'data'> & {
  readonly type?: IlpPacketType.Fulfill;
  data?: Uint8Array;
};
export type IlpRejectInput = Omit<IlpReject, 'type' | 'data'> & {
  readonly type?: IlpPacketType.Reject;
  data?: Uint8Array;
};

/** Encoder input for any packet: the `type` tag picks the codec. */
export type IlpPacketInput =
  | (IlpPrepareInput & { readonly type: IlpPacketType.Prepare })
  | (IlpFulfillInput & { readonly type: IlpPacketType.Fulfill })
  | (IlpRejectInput & { readonly type: IlpPacketType.Reject });

export interface DecodeOptions {
  /**
   * Accept (and ignore) bytes after the last field inside the envelope and after the
   * envelope, as ilp-packet (JS) and RFC 30's extensibility rule do. Default `false`:
   * such packets are rejected with TrailingBytes, as interledger-rs' strict parser and the
   * shared negative vectors require.
   */
  allowTrailingBytes?: boolean;
}

export const isPrepare = (packet: IlpPacket): packet is IlpPrepare =>
  packet.type === IlpPacketType.Prepare;
export const isFulfill = (packet: IlpPacket): packet is IlpFulfill =>
  packet.type === IlpPacketType.Fulfill;
export const isReject = (packet: IlpPacket): packet is IlpReject =>
  packet.type === IlpPacketType.Reject;
