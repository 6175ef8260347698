/**
 * The one error type every codec in this library throws. Decoders throw nothing else,
 * whatever bytes they are given; encoders throw it for any field that would not make a
 * valid packet. `code` is stable (tests and callers switch on it); `message` is for people.
 */
export enum CodecErrorCode {
  /** The input ended before the structure did (a length or fixed field runs past the end). */
  Truncated = 'Truncated',
  /** A long-form length determinant for a length below 128, or with leading zero bytes. */
  NonCanonicalLength = 'NonCanonicalLength',
  /** A length determinant that is `0x80` (indefinite form) or longer than 8 bytes. */
  InvalidLength = 'InvalidLength',
  /** Bytes left over after the last field, inside or after the envelope (strict mode). */
  TrailingBytes = 'TrailingBytes',
  /** The first byte is not 12 (Prepare), 13 (Fulfill) or 14 (Reject), or not the expected one. */
  UnknownPacketType = 'UnknownPacketType',
  /** A destination, triggeredBy or ILDCP client address that is not a valid ILP address. */
  InvalidAddress = 'InvalidAddress',
  /** An amount that is not a bigint or is negative. */
  InvalidAmount = 'InvalidAmount',
  /** An amount or VarUInt above 2^64 − 1. */
  AmountOverflow = 'AmountOverflow',
  /** A fixed-size unsigned integer (UInt8/16/32) out of its range or not an integer. */
  ValueOutOfRange = 'ValueOutOfRange',
  /** A VarUInt with no content bytes, or more than 8 without the saturating option. */
  InvalidVarUInt = 'InvalidVarUInt',
  /** A `data` field longer than 32767 bytes. */
  DataTooLong = 'DataTooLong',
  /** A Reject message longer than 8191 bytes of UTF-8. */
  MessageTooLong = 'MessageTooLong',
  /** A fixed-length field (condition, fulfillment, …) of the wrong size. */
  InvalidFixedLength = 'InvalidFixedLength',
  /** A timestamp that is not in the exact wire format, or an impossible date/time. */
  InvalidTimestamp = 'InvalidTimestamp',
  /** A Reject code that is not three characters: F, T or R then two of 0-9 A-Z. */
  InvalidErrorCode = 'InvalidErrorCode',
  /** Bytes that are not valid UTF-8, or a string with a lone surrogate on encode. */
  InvalidUtf8 = 'InvalidUtf8',
  /** An IA5 (ASCII) string with a byte or character above 0x7f. */
  InvalidAscii = 'InvalidAscii',
  /** The input is not a Uint8Array, or a field has the wrong JavaScript type. */
  InvalidInput = 'InvalidInput',
  /** A peer-protocol reply whose fulfillment is not the expected one (ILDCP: 32 zero bytes). */
  UnexpectedFulfillment = 'UnexpectedFulfillment',
}

export class CodecError extends Error {
  override readonly name = 'CodecError';

  /**
   * @param code what went wrong, machine-readable
   * @param message what went wrong, for people (includes the field and the offending value)
   * @param offset byte offset in the input where decoding failed, when known
   */
  constructor(
    readonly code: CodecErrorCode,
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
  }
}

/** Type guard for callers that catch `unknown`. */
export function isCodecError(error: unknown): error is CodecError {
  return error instanceof CodecError;
}
