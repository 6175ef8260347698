/**
 * Money at the JSON edges: amounts travel as decimal strings of integer base units and are
 * `bigint` everywhere inside. These are the only parse/serialize points.
 */
export const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;

const UNSIGNED = /^(0|[1-9][0-9]*)$/;
const SIGNED = /^-?(0|[1-9][0-9]*)$/;

/** True for a canonical decimal integer string within UInt64 (or ±UInt64 when signed). */
export function isAmountString(value: unknown, signed = false): value is string {
  if (typeof value !== 'string' || value.length > 21 || !(signed ? SIGNED : UNSIGNED).test(value)) {
    return false;
  }
  if (value === '-0') return false;
  const n = BigInt(value);
  return n <= MAX_UINT64 && n >= -MAX_UINT64;
}

export function parseAmount(value: string, signed = false): bigint {
  if (!isAmountString(value, signed)) {
    throw new RangeError(
      `not an ${signed ? '' : 'unsigned '}integer amount: ${JSON.stringify(value)}`,
    );
  }
  return BigInt(value);
}

export function serializeAmount(value: bigint): string;
export function serializeAmount(value: bigint | null | undefined): string | null;
export function serializeAmount(value: bigint | null | undefined): string | null {
  return value === null || value === undefined ? null : value.toString();
}
