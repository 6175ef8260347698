/**
 * Field limits of ILPv4 (RFC 27) checked identically by encoders and decoders, so what we
 * write always decodes and what we accept could have been written.
 */
import * as ilpAddressModule from '../address/ilp-address';
import * as codecErrorModule from '../errors/codec-error';
import * as bytesModule from '../oer/bytes';

// Names used per packet are bound to module locals once. TS-to-CommonJS transforms such as
// esbuild (tsx) and swc (vitest) turn every use of an imported name into getter calls, which
// is measurable on the packet hot path; a local binding is a plain variable.
const { isValidIlpAddress, isValidIlpAddressBytes, MAX_ADDRESS_LENGTH, writeIlpAddress } =
  ilpAddressModule;
const { CodecError, CodecErrorCode } = codecErrorModule;
const { utf8Length } = bytesModule;

export const MAX_DATA_LENGTH = 32_767;
export const MAX_MESSAGE_LENGTH = 8_191;
export const CONDITION_LENGTH = 32;
export const FULFILLMENT_LENGTH = 32;
export const ERROR_CODE_LENGTH = 3;

export function checkData(data: Uint8Array, field = 'data'): void {
  if (!(data instanceof Uint8Array)) {
    throw new CodecError(CodecErrorCode.InvalidInput, `${field} must be a Uint8Array`);
  }
  if (data.length > MAX_DATA_LENGTH) {
    throw new CodecError(
      CodecErrorCode.DataTooLong,
      `${field} is ${data.length} bytes, more than ${MAX_DATA_LENGTH}`,
    );
  }
}

export function checkFixed(value: Uint8Array, length: number, field: string): void {
  if (!(value instanceof Uint8Array)) {
    throw new CodecError(CodecErrorCode.InvalidInput, `${field} must be a Uint8Array`);
  }
  if (value.length !== length) {
    throw new CodecError(
      CodecErrorCode.InvalidFixedLength,
      `${field} must be ${length} bytes, got ${value.length}`,
    );
  }
}

export function checkAddress(value: unknown, field: string, allowEmpty: boolean): void {
  if (allowEmpty && value === '') return;
  if (!isValidIlpAddress(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : typeof value;
    const length = typeof value === 'string' ? `, ${value.length} chars` : '';
    throw new CodecError(
      CodecErrorCode.InvalidAddress,
      `${field} ${shown} is not a valid ILP address (max ${MAX_ADDRESS_LENGTH} bytes${length})`,
    );
  }
}

/** Type check only (content is checked while writing, see {@link writeAddressField}). */
export function checkAddressType(value: unknown, field: string): void {
  if (typeof value !== 'string') {
    throw new CodecError(CodecErrorCode.InvalidAddress, `${field} must be a string`);
  }
}

/**
 * Writes a length-prefixed address at `offset`, validating while copying; returns the end.
 * The length prefix is at most 2 bytes (addresses are below 1024 bytes).
 */
export function writeAddressField(
  out: Uint8Array,
  offset: number,
  value: string,
  field: string,
  allowEmpty: boolean,
): number {
  const length = value.length;
  let o = offset;
  if (length < 0x80) {
    out[o++] = length;
  } else if (length < 0x100) {
    out[o++] = 0x81;
    out[o++] = length;
  } else {
    out[o++] = 0x82;
    out[o++] = length >>> 8;
    out[o++] = length & 0xff;
  }
  if (length === 0 && allowEmpty) return o;
  if (!writeIlpAddress(out, o, value)) checkAddress(value, field, false);
  return o + length;
}

export function checkAddressBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  field: string,
  allowEmpty: boolean,
): void {
  if (allowEmpty && start === end) return;
  if (!isValidIlpAddressBytes(bytes, start, end)) {
    throw new CodecError(
      CodecErrorCode.InvalidAddress,
      `${field} is not a valid ILP address (${end - start} bytes)`,
      start,
    );
  }
}

/** F, T or R, then two characters of 0-9 A-Z. */
function isCodeChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
}

function isClassChar(c: number): boolean {
  return c === 0x46 || c === 0x54 || c === 0x52; // F T R
}

export function isValidErrorCodeString(code: unknown): code is string {
  return (
    typeof code === 'string' &&
    code.length === ERROR_CODE_LENGTH &&
    isClassChar(code.charCodeAt(0)) &&
    isCodeChar(code.charCodeAt(1)) &&
    isCodeChar(code.charCodeAt(2))
  );
}

export function checkErrorCode(code: string): void {
  if (!isValidErrorCodeString(code)) {
    const shown = typeof code === 'string' ? JSON.stringify(code) : typeof code;
    throw new CodecError(
      CodecErrorCode.InvalidErrorCode,
      `code ${shown} is not an ILP error code (F, T or R then two of 0-9 A-Z)`,
    );
  }
}

export function checkErrorCodeBytes(bytes: Uint8Array, offset: number): void {
  if (
    !isClassChar(bytes[offset]) ||
    !isCodeChar(bytes[offset + 1]) ||
    !isCodeChar(bytes[offset + 2])
  ) {
    throw new CodecError(CodecErrorCode.InvalidErrorCode, 'code is not an ILP error code', offset);
  }
}

/** Interned code strings by their 3 bytes; at most 3 × 36 × 36 valid codes exist. */
const CODE_STRINGS = new Map<number, string>();

/** Reads and checks the 3-byte Reject code at `offset` (3 bytes must be available). */
export function readErrorCode(bytes: Uint8Array, offset: number): string {
  checkErrorCodeBytes(bytes, offset);
  const key = (bytes[offset] << 16) | (bytes[offset + 1] << 8) | bytes[offset + 2];
  let code = CODE_STRINGS.get(key);
  if (code === undefined) {
    code = String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2]);
    CODE_STRINGS.set(key, code);
  }
  return code;
}

/** Returns the UTF-8 byte length of a Reject message after checking it. */
export function checkMessage(message: string): number {
  if (typeof message !== 'string') {
    throw new CodecError(CodecErrorCode.InvalidInput, 'message must be a string');
  }
  const length = utf8Length(message, 'message');
  if (length > MAX_MESSAGE_LENGTH) {
    throw new CodecError(
      CodecErrorCode.MessageTooLong,
      `message is ${length} bytes of UTF-8, more than ${MAX_MESSAGE_LENGTH}`,
    );
  }
  return length;
}
