/**
 * Bounds-checked OER reader (RFC 30) over a Uint8Array. Every read checks the remaining
 * input first, so it never reads past `end` and fails only with a {@link CodecError}.
 * Octet strings are returned as zero-copy views of the input: copy them if you
 * keep them longer than the input buffer.
 */
import * as codecErrorModule from '../errors/codec-error';
import * as bytesModule from './bytes';
import * as sizeModule from './size';
import * as timestampModule from './timestamp';

// Names used per packet are bound to module locals once. TS-to-CommonJS transforms such as
// esbuild (tsx) and swc (vitest) turn every use of an imported name into getter calls, which
// is measurable on the packet hot path; a local binding is a plain variable.
const { CodecError, CodecErrorCode } = codecErrorModule;
const { decodeAscii, decodeUtf8, EMPTY_BYTES } = bytesModule;
const { MAX_UINT64 } = sizeModule;
const { ILP_TIMESTAMP_LENGTH, readGeneralizedTime, readIlpTimestamp } = timestampModule;

export interface VarUIntOptions {
  /**
   * Map VarUInts longer than 8 bytes to 2^64 − 1 instead of rejecting them (STREAM
   * requires this for some fields). Zero-length VarUInts are rejected regardless.
   */
  saturating?: boolean;
}

const TWO_POW_32 = 0x1_0000_0000;

export class Reader {
  /** Next byte to read. */
  offset: number;
  /** One past the last byte this reader may read (only ever lowered, by {@link narrow}). */
  end: number;
  /** `bytes.buffer` / `bytes.byteOffset`, read once on first use (each read costs a getter). */
  private arrayBuffer: ArrayBufferLike | null = null;
  private baseOffset = 0;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    end: number = bytes.length,
  ) {
    if (!(bytes instanceof Uint8Array)) {
      throw new CodecError(CodecErrorCode.InvalidInput, 'input must be a Uint8Array');
    }
    if (!(start >= 0 && start <= end && end <= bytes.length)) {
      throw new CodecError(CodecErrorCode.InvalidInput, `bad reader range [${start}, ${end})`);
    }
    this.offset = start;
    this.end = end;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws Truncated unless `count` more bytes are available. */
  ensure(count: number, field: string): void {
    if (count > this.end - this.offset) {
      throw new CodecError(
        CodecErrorCode.Truncated,
        `${field}: needs ${count} bytes, only ${this.end - this.offset} left`,
        this.offset,
      );
    }
  }

  skip(count: number, field = 'skip'): void {
    this.ensure(count, field);
    this.offset += count;
  }

  readUInt8(field = 'UInt8'): number {
    this.ensure(1, field);
    return this.bytes[this.offset++];
  }

  readUInt16(field = 'UInt16'): number {
    this.ensure(2, field);
    const b = this.bytes;
    const o = this.offset;
    this.offset = o + 2;
    return (b[o] << 8) | b[o + 1];
  }

  readUInt32(field = 'UInt32'): number {
    this.ensure(4, field);
    const b = this.bytes;
    const o = this.offset;
    this.offset = o + 4;
    return b[o] * 0x100_0000 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
  }

  readUInt64(field = 'UInt64'): bigint {
    this.ensure(8, field);
    const b = this.bytes;
    const o = this.offset;
    this.offset = o + 8;
    const hi = b[o] * 0x100_0000 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
    const lo = b[o + 4] * 0x100_0000 + ((b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]);
    // below 2^53 one exact double makes one bigint; above, combine the halves
    return hi < 0x20_0000 ? BigInt(hi * TWO_POW_32 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** `count` bytes as a zero-copy view. */
  readOctets(count: number, field = 'octets'): Uint8Array {
    this.ensure(count, field);
    const o = this.offset;
    this.offset = o + count;
    return this.view(o, count);
  }

  /**
   * A plain Uint8Array view of `length` bytes at `start` (bounds already checked). Built
   * directly rather than with `subarray`, which goes through the species constructor (a
   * Buffer for Buffer input) and costs noticeably more per packet.
   */
  private view(start: number, length: number): Uint8Array {
    if (length === 0) return EMPTY_BYTES; // nothing to share; saves an allocation (empty data is common)
    if (this.arrayBuffer === null) {
      this.arrayBuffer = this.bytes.buffer;
      this.baseOffset = this.bytes.byteOffset;
    }
    return new Uint8Array(this.arrayBuffer, this.baseOffset + start, length);
  }

  /**
   * Restricts the reader to the next `length` bytes (e.g. the body of an envelope whose
   * length was just read), so nothing after them can be read. `length` must fit.
   */
  narrow(length: number): void {
    this.ensure(length, 'narrow');
    this.end = this.offset + length;
  }

  /**
   * A length determinant whose value must fit in the rest of the input (as every length
   * prefix in a message must). Rejects `0x80`, more than 8 length bytes, and non-canonical
   * long forms (value below 128, or leading zero bytes).
   */
  readLength(field = 'length'): number {
    const o = this.offset;
    if (o >= this.end) {
      throw new CodecError(CodecErrorCode.Truncated, `${field}: missing length prefix`, o);
    }
    const first = this.bytes[o];
    let length: number;
    if (first < 0x80) {
      this.offset = o + 1;
      length = first;
    } else {
      length = this.readLongLength(first, field);
    }
    if (length > this.end - this.offset) {
      throw new CodecError(
        CodecErrorCode.Truncated,
        `${field}: length ${length} exceeds the ${this.end - this.offset} bytes left`,
        o,
      );
    }
    return length;
  }

  private readLongLength(first: number, field: string): number {
    const o = this.offset;
    const n = first & 0x7f;
    if (n === 0) {
      throw new CodecError(CodecErrorCode.InvalidLength, `${field}: indefinite length 0x80`, o);
    }
    if (n > 8) {
      throw new CodecError(CodecErrorCode.InvalidLength, `${field}: ${n}-byte length prefix`, o);
    }
    this.ensure(1 + n, field);
    const b = this.bytes;
    if (b[o + 1] === 0) {
      throw new CodecError(
        CodecErrorCode.NonCanonicalLength,
        `${field}: leading zero in length`,
        o,
      );
    }
    let length = 0;
    // exact up to 2^53; anything larger is far beyond any input and fails the caller's check
    for (let i = o + 1; i <= o + n; i++) length = length * 256 + b[i];
    if (length < 0x80) {
      throw new CodecError(
        CodecErrorCode.NonCanonicalLength,
        `${field}: long form used for length ${length}`,
        o,
      );
    }
    this.offset = o + 1 + n;
    return length;
  }

  /**
   * The raw value of a length determinant as a bigint, with the same canonical checks as
   * {@link readLength} but without comparing it to the remaining input.
   */
  readLengthDeterminant(field = 'length'): bigint {
    this.ensure(1, field);
    const first = this.bytes[this.offset];
    if (first < 0x80) {
      this.offset++;
      return BigInt(first);
    }
    const start = this.offset;
    const n = first & 0x7f;
    this.readLongLength(first, field); // validates form and advances
    let value = 0n;
    for (let i = start + 1; i <= start + n; i++) value = (value << 8n) | BigInt(this.bytes[i]);
    return value;
  }

  /** Length-prefixed bytes, as a zero-copy view. */
  readVarOctetString(field = 'octet string'): Uint8Array {
    const length = this.readLength(field);
    const o = this.offset;
    this.offset = o + length;
    return this.view(o, length);
  }

  /** Length-prefixed IA5 (ASCII) string. */
  readVarAscii(field = 'IA5String'): string {
    const length = this.readLength(field);
    const o = this.offset;
    this.offset = o + length;
    return decodeAscii(this.bytes, o, o + length, field);
  }

  /** Length-prefixed UTF-8 string (strict: invalid UTF-8 is an error, not U+FFFD). */
  readVarUtf8(field = 'UTF8String'): string {
    const length = this.readLength(field);
    const o = this.offset;
    this.offset = o + length;
    return decodeUtf8(this.bytes, o, o + length, field);
  }

  /** VarUInt: length-prefixed big-endian unsigned integer, at most 8 content bytes. */
  readVarUInt(options?: VarUIntOptions, field = 'VarUInt'): bigint {
    const start = this.offset;
    const length = this.readLength(field);
    if (length === 0) {
      throw new CodecError(CodecErrorCode.InvalidVarUInt, `${field}: zero-length VarUInt`, start);
    }
    if (length > 8) {
      if (options?.saturating) {
        this.offset += length;
        return MAX_UINT64;
      }
      throw new CodecError(
        CodecErrorCode.InvalidVarUInt,
        `${field}: ${length}-byte VarUInt exceeds 8 bytes`,
        start,
      );
    }
    const b = this.bytes;
    let o = this.offset;
    this.offset = o + length;
    if (length <= 6) {
      let value = 0;
      for (let i = 0; i < length; i++) value = value * 256 + b[o++];
      return BigInt(value);
    }
    let value = 0n;
    for (let i = 0; i < length; i++) value = (value << 8n) | BigInt(b[o++]);
    return value;
  }

  /** 17-digit ILP timestamp as epoch milliseconds. */
  readIlpTimestampMs(field = 'timestamp'): number {
    this.ensure(ILP_TIMESTAMP_LENGTH, field);
    const o = this.offset;
    const ms = readIlpTimestamp(this.bytes, o);
    this.offset = o + ILP_TIMESTAMP_LENGTH;
    return ms;
  }

  /** 17-digit ILP timestamp as a Date. */
  readIlpTimestamp(field = 'timestamp'): Date {
    return new Date(this.readIlpTimestampMs(field));
  }

  /** Length-prefixed GeneralizedTime (BTP) as a Date. */
  readGeneralizedTime(field = 'GeneralizedTime'): Date {
    const length = this.readLength(field);
    const o = this.offset;
    const ms = readGeneralizedTime(this.bytes, o, o + length);
    this.offset = o + length;
    return new Date(ms);
  }

  /** Throws TrailingBytes unless everything has been read. */
  assertEnd(what: string): void {
    if (this.offset !== this.end) {
      throw new CodecError(
        CodecErrorCode.TrailingBytes,
        `${what}: ${this.end - this.offset} unexpected trailing bytes`,
        this.offset,
      );
    }
  }
}
