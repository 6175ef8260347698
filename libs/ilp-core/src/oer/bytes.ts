/**
 * Byte-level helpers shared by the codecs: one allocator and the string <-> byte
 * conversions. Node's Buffer is used only as a fast path when it exists (never required),
 * so the library runs unchanged in browsers.
 */
import { CodecError, CodecErrorCode } from '../errors/codec-error';

interface NodeBufferStatics {
  allocUnsafe(size: number): Uint8Array;
  byteLength(value: string, encoding: 'utf8'): number;
  prototype: {
    latin1Slice?: (this: Uint8Array, start: number, end: number) => string;
    utf8Slice?: (this: Uint8Array, start: number, end: number) => string;
    utf8Write?: (this: Uint8Array, value: string, offset: number, length: number) => number;
  };
}

const NodeBuffer = (globalThis as { Buffer?: NodeBufferStatics }).Buffer;
const allocUnsafe = NodeBuffer?.allocUnsafe.bind(NodeBuffer);
const latin1Slice = NodeBuffer?.prototype.latin1Slice;
const utf8Slice = NodeBuffer?.prototype.utf8Slice;
const utf8Write = NodeBuffer?.prototype.utf8Write;
const byteLength = NodeBuffer?.byteLength;
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean })
  .isWellFormed;
/** Strings at least this long go through the native UTF-8 paths when they exist. */
const NATIVE_MIN_LENGTH = 16;

/**
 * A new byte array of `size` bytes. Contents are NOT zeroed when Node's Buffer is available:
 * callers must overwrite every byte (the writers do, and check it). Small arrays may be
 * views into a shared pool, so never hand out `.buffer` without `byteOffset`/`byteLength`.
 */
export const allocate: (size: number) => Uint8Array = allocUnsafe
  ? allocUnsafe
  : (size) => new Uint8Array(size);

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes [start, end) that are all known to be < 0x80, as a string. */
export function asciiToString(bytes: Uint8Array, start: number, end: number): string {
  if (latin1Slice !== undefined) return latin1Slice.call(bytes, start, end);
  if (end - start <= 32) {
    let out = '';
    for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]);
    return out;
  }
  return utf8Decoder.decode(bytes.subarray(start, end));
}

/** Index of the first byte in [start, end) that is >= 0x80, or -1 when all are ASCII. */
export function firstNonAscii(bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (bytes[i] > 0x7f) return i;
  return -1;
}

/** Bytes [start, end) as an IA5 (7-bit ASCII) string; any byte >= 0x80 is rejected. */
export function decodeAscii(bytes: Uint8Array, start: number, end: number, field: string): string {
  const bad = firstNonAscii(bytes, start, end);
  if (bad !== -1) {
    throw new CodecError(
      CodecErrorCode.InvalidAscii,
      `${field}: byte 0x${bytes[bad].toString(16)} is not IA5 (ASCII)`,
      bad,
    );
  }
  return asciiToString(bytes, start, end);
}

/** Bytes [start, end) as strict UTF-8 (no replacement characters; a BOM is kept as U+FEFF). */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number, field: string): string {
  if (utf8Slice !== undefined && end - start >= NATIVE_MIN_LENGTH) {
    // Node's decoder replaces invalid sequences with U+FFFD; only then is the strict
    // decoder needed to tell a real U+FFFD from an error.
    const text = utf8Slice.call(bytes, start, end);
    if (text.indexOf('\ufffd') === -1) return text;
  } else if (firstNonAscii(bytes, start, end) === -1) {
    return asciiToString(bytes, start, end);
  }
  try {
    return utf8Decoder.decode(bytes.subarray(start, end));
  } catch {
    throw new CodecError(CodecErrorCode.InvalidUtf8, `${field}: invalid UTF-8`, start);
  }
}

/**
 * Number of UTF-8 bytes `value` encodes to. Lone surrogates are rejected rather than
 * silently replaced, so that what is encoded always decodes back to the same string.
 */
export function utf8Length(value: string, field: string): number {
  if (typeof value !== 'string') {
    throw new CodecError(CodecErrorCode.InvalidInput, `${field} must be a string`);
  }
  const n = value.length;
  if (byteLength !== undefined && isWellFormed !== undefined && n >= NATIVE_MIN_LENGTH) {
    if (isWellFormed.call(value)) return byteLength(value, 'utf8');
  }
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? value.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) {
        throw new CodecError(CodecErrorCode.InvalidUtf8, `${field}: lone UTF-16 surrogate at ${i}`);
      }
      bytes += 2; // 2 UTF-16 units -> 4 bytes
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/**
 * Writes `value` as UTF-8 at `offset` and returns the end. `byteLength` must come from
 * {@link utf8Length} (which also rejected lone surrogates).
 */
export function writeUtf8(
  out: Uint8Array,
  offset: number,
  value: string,
  byteLength: number,
): number {
  const n = value.length;
  if (utf8Write !== undefined && n >= NATIVE_MIN_LENGTH) {
    return offset + utf8Write.call(out, value, offset, byteLength);
  }
  let o = offset;
  for (let i = 0; i < n; i++) {
    let c = value.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
    } else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (value.charCodeAt(++i) - 0xdc00);
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 0x3f);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o;
}

/** Writes an ASCII string at `offset`, rejecting any character above 0x7f; returns the end. */
export function writeAscii(out: Uint8Array, offset: number, value: string, field: string): number {
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f) {
      throw new CodecError(
        CodecErrorCode.InvalidAscii,
        `${field}: character ${i} is not IA5 (ASCII)`,
      );
    }
    out[offset + i] = c;
  }
  return offset + n;
}
