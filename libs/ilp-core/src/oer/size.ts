/**
 * Pure size predictors: every encoder sums these before allocating, so a packet is written
 * into exactly one buffer of exactly the right size.
 */
import * as codecErrorModule from '../errors/codec-error';
import * as timestampModule from './timestamp';

// Names used per packet are bound to module locals once. TS-to-CommonJS transforms such as
// esbuild (tsx) and swc (vitest) turn every use of an imported name into getter calls, which
// is measurable on the packet hot path; a local binding is a plain variable.
const { CodecError, CodecErrorCode } = codecErrorModule;
const { generalizedTimeLength } = timestampModule;

/** 2^64 − 1, the largest UInt64 (amounts, VarUInts). */
export const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;

/** Bytes taken by the OER length determinant for `length` (short form below 128). */
export function lengthDeterminantSize(length: number | bigint): number {
  if (typeof length === 'number') {
    if (length < 0x80) return 1;
    if (length < 0x100) return 2;
    if (length < 0x1_0000) return 3;
    if (length < 0x100_0000) return 4;
    let bytes = 4;
    for (let v = Math.floor(length / 0x1_0000_0000); v > 0; v = Math.floor(v / 256)) bytes++;
    return 1 + bytes;
  }
  if (length < 0x80n) return 1;
  let bytes = 0;
  for (let v = length; v > 0n; v >>= 8n) bytes++;
  return 1 + bytes;
}

/** Bytes taken by a variable-length octet string (or IA5/UTF-8 string) of `length` bytes. */
export function varOctetStringSize(length: number): number {
  return (length < 0x80 ? 1 : lengthDeterminantSize(length)) + length;
}

/** Checks that `value` is a bigint in 0..2^64−1, naming `field` in the error. */
export function checkUInt64(value: bigint, field: string): void {
  if (typeof value !== 'bigint' || value < 0n) {
    throw new CodecError(
      CodecErrorCode.InvalidAmount,
      `${field} must be a non-negative bigint, got ${typeof value === 'bigint' ? value : typeof value}`,
    );
  }
  if (value > MAX_UINT64) {
    throw new CodecError(CodecErrorCode.AmountOverflow, `${field} ${value} exceeds 2^64 - 1`);
  }
}

/** Content bytes of the minimal big-endian encoding of a UInt64 (1 for zero, at most 8). */
export function varUIntContentLength(value: bigint): number {
  checkUInt64(value, 'VarUInt');
  let bytes = 1;
  for (let v = value >> 8n; v > 0n; v >>= 8n) bytes++;
  return bytes;
}

/** Bytes taken by a VarUInt: length prefix plus minimal content. */
export function varUIntSize(value: bigint): number {
  return 1 + varUIntContentLength(value);
}

/** Bytes taken by a length-prefixed GeneralizedTime (`.fffZ` form unless `canonical`). */
export function generalizedTimeSize(date: Date, canonical = false): number {
  return 1 + generalizedTimeLength(date.getTime(), canonical);
}
