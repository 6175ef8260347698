/**
 * OER writer (RFC 30) into one pre-sized buffer. Callers compute the exact size with the
 * helpers in `size.ts` first; {@link Writer.finish} then checks that exactly that many bytes
 * were written, so a size/write mismatch is caught instead of leaking uninitialised memory.
 */
import * as codecErrorModule from '../errors/codec-error';
import * as bytesModule from './bytes';
import * as sizeModule from './size';
import * as timestampModule from './timestamp';

// Names used per packet are bound to module locals once. TS-to-CommonJS transforms such as
// esbuild (tsx) and swc (vitest) turn every use of an imported name into getter calls, which
// is measurable on the packet hot path; a local binding is a plain variable.
const { CodecError, CodecErrorCode } = codecErrorModule;
const { allocate, utf8Length, writeAscii, writeUtf8 } = bytesModule;
const { checkUInt64, lengthDeterminantSize, varUIntContentLength } = sizeModule;
const { generalizedTimeLength, ILP_TIMESTAMP_LENGTH, writeGeneralizedTime, writeIlpTimestamp } =
  timestampModule;

const TWO_POW_32 = 0x1_0000_0000;

function checkRange(value: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new CodecError(CodecErrorCode.ValueOutOfRange, `${field} ${value} is not in 0..${max}`);
  }
}

function dateMs(date: Date, field: string): number {
  if (!(date instanceof Date)) {
    throw new CodecError(CodecErrorCode.InvalidTimestamp, `${field} must be a Date`);
  }
  return date.getTime();
}

export class Writer {
  readonly bytes: Uint8Array;
  offset: number;
  private readonly end: number;

  /**
   * @param target a size to allocate, or an existing buffer to write into
   * @param offset where to start writing in `target` (existing buffers only)
   * @param length how many bytes will be written (default: to the end of `target`)
   */
  constructor(target: number | Uint8Array, offset = 0, length?: number) {
    this.bytes = typeof target === 'number' ? allocate(target) : target;
    this.offset = offset;
    this.end = length === undefined ? this.bytes.length : offset + length;
    if (!(offset >= 0 && this.end <= this.bytes.length && offset <= this.end)) {
      throw new CodecError(CodecErrorCode.InvalidInput, 'writer range outside the target buffer');
    }
  }

  writeUInt8(value: number, field = 'UInt8'): void {
    checkRange(value, 0xff, field);
    this.bytes[this.offset++] = value;
  }

  writeUInt16(value: number, field = 'UInt16'): void {
    checkRange(value, 0xffff, field);
    const o = this.offset;
    this.bytes[o] = value >>> 8;
    this.bytes[o + 1] = value;
    this.offset = o + 2;
  }

  writeUInt32(value: number, field = 'UInt32'): void {
    checkRange(value, 0xffff_ffff, field);
    this.putUInt32(this.offset, value);
    this.offset += 4;
  }

  private putUInt32(o: number, value: number): void {
    const b = this.bytes;
    b[o] = value >>> 24;
    b[o + 1] = value >>> 16;
    b[o + 2] = value >>> 8;
    b[o + 3] = value;
  }

  /** Big-endian 8-byte unsigned integer; rejects values outside 0..2^64−1. */
  writeUInt64(value: bigint, field = 'UInt64'): void {
    checkUInt64(value, field);
    const o = this.offset;
    if (value <= 0x1f_ffff_ffff_ffffn) {
      const n = Number(value);
      const lo = n >>> 0;
      this.putUInt32(o, (n - lo) / TWO_POW_32);
      this.putUInt32(o + 4, lo);
    } else {
      this.putUInt32(o, Number(value >> 32n));
      this.putUInt32(o + 4, Number(value & 0xffff_ffffn));
    }
    this.offset = o + 8;
  }

  /** OER length determinant (short form below 128, minimal long form otherwise). */
  writeLengthDeterminant(length: number | bigint): void {
    const b = this.bytes;
    if (typeof length === 'number') {
      if (length < 0x80) {
        b[this.offset++] = length;
        return;
      }
      const n = lengthDeterminantSize(length) - 1;
      let o = this.offset;
      b[o] = 0x80 | n;
      let v = length;
      for (let i = n; i >= 1; i--) {
        b[o + i] = v % 256;
        v = Math.floor(v / 256);
      }
      o += n + 1;
      this.offset = o;
      return;
    }
    const n = lengthDeterminantSize(length) - 1;
    const o = this.offset;
    if (n === 0) {
      b[o] = Number(length);
    } else {
      b[o] = 0x80 | n;
      let v = length;
      for (let i = n; i >= 1; i--) {
        b[o + i] = Number(v & 0xffn);
        v >>= 8n;
      }
    }
    this.offset = o + 1 + n;
  }

  /** Raw bytes (a fixed-length field when `expectedLength` is given). */
  writeOctets(value: Uint8Array, expectedLength?: number, field = 'octets'): void {
    if (!(value instanceof Uint8Array)) {
      throw new CodecError(CodecErrorCode.InvalidInput, `${field} must be a Uint8Array`);
    }
    if (expectedLength !== undefined && value.length !== expectedLength) {
      throw new CodecError(
        CodecErrorCode.InvalidFixedLength,
        `${field} must be ${expectedLength} bytes, got ${value.length}`,
      );
    }
    this.bytes.set(value, this.offset);
    this.offset += value.length;
  }

  writeVarOctetString(value: Uint8Array, field = 'octet string'): void {
    if (!(value instanceof Uint8Array)) {
      throw new CodecError(CodecErrorCode.InvalidInput, `${field} must be a Uint8Array`);
    }
    this.writeLengthDeterminant(value.length);
    this.bytes.set(value, this.offset);
    this.offset += value.length;
  }

  /** Length-prefixed IA5 (ASCII) string; characters above 0x7f are rejected. */
  writeVarAscii(value: string, field = 'IA5String'): void {
    this.writeLengthDeterminant(value.length);
    this.offset = writeAscii(this.bytes, this.offset, value, field);
  }

  /** Length-prefixed UTF-8 string (`byteLength` from utf8Length() when already known). */
  writeVarUtf8(value: string, field = 'UTF8String', byteLength = utf8Length(value, field)): void {
    this.writeLengthDeterminant(byteLength);
    this.offset = writeUtf8(this.bytes, this.offset, value, byteLength);
  }

  /** VarUInt: minimal big-endian bytes, length-prefixed. */
  writeVarUInt(value: bigint): void {
    const length = varUIntContentLength(value);
    const b = this.bytes;
    let o = this.offset;
    b[o++] = length;
    let v = value;
    for (let i = length - 1; i >= 0; i--) {
      b[o + i] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.offset = o + length;
  }

  /** 17-digit ILP timestamp (UTC, millisecond precision). */
  writeIlpTimestamp(date: Date, field = 'timestamp'): void {
    writeIlpTimestamp(this.bytes, this.offset, dateMs(date, field));
    this.offset += ILP_TIMESTAMP_LENGTH;
  }

  /** Length-prefixed GeneralizedTime; `.fffZ` by default, RFC 30 canonical when asked. */
  writeGeneralizedTime(date: Date, canonical = false, field = 'GeneralizedTime'): void {
    const ms = dateMs(date, field);
    this.writeLengthDeterminant(generalizedTimeLength(ms, canonical));
    this.offset = writeGeneralizedTime(this.bytes, this.offset, ms, canonical);
  }

  /** The written bytes; throws if fewer or more bytes were written than were sized. */
  finish(): Uint8Array {
    if (this.offset !== this.end) {
      throw new Error(`ilp-core internal error: sized ${this.end} bytes, wrote ${this.offset}`);
    }
    return this.bytes;
  }
}
