/**
 * ILP addresses (RFC 15): `scheme(.segment)+`, scheme one of g, private, example, peer, self,
 * test, test1-3, local; segments of `A-Z a-z 0-9 _ ~ -`; at most 1023 bytes. Validation is a
 * byte loop (no regex), in a string and a bytes flavour that agree by construction.
 */
import { CodecError, CodecErrorCode } from '../errors/codec-error';

export const MAX_ADDRESS_LENGTH = 1023;

export type IlpAddressScheme =
  'g' | 'private' | 'example' | 'peer' | 'self' | 'test' | 'test1' | 'test2' | 'test3' | 'local';

/** Per byte: 1 = segment character (`A-Z a-z 0-9 _ ~ -`), 2 = `.`, 0 = not allowed. */
const CHAR_CLASS = new Uint8Array(256);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~-') {
  CHAR_CLASS[ch.charCodeAt(0)] = 1;
}
CHAR_CLASS[0x2e] = 2;

const SCHEMES: readonly IlpAddressScheme[] = [
  'g',
  'private',
  'example',
  'peer',
  'self',
  'test',
  'test1',
  'test2',
  'test3',
  'local',
];
const SCHEME_BYTES = SCHEMES.map((scheme) => Uint8Array.from(scheme, (ch) => ch.charCodeAt(0)));

/**
 * True when the address bytes at [start, start + length) begin with a known scheme and a
 * dot. Characters were already checked, so only the first dot (at most 7 in) matters.
 */
function hasKnownScheme(bytes: Uint8Array, start: number, length: number): boolean {
  let dot = 1;
  while (dot < 8 && dot < length && bytes[start + dot] !== 0x2e) dot++;
  if (dot === 8 || dot === length) return false;
  next: for (let s = 0; s < SCHEME_BYTES.length; s++) {
    const scheme = SCHEME_BYTES[s];
    if (scheme.length !== dot) continue;
    for (let i = 0; i < dot; i++) if (bytes[start + i] !== scheme[i]) continue next;
    return true;
  }
  return false;
}

/**
 * Copies `value` into `out` at `offset` while checking it is a valid ILP address; returns
 * false (with `out` partly written) if it is not. One pass: the encoders' hot path.
 */
export function writeIlpAddress(out: Uint8Array, offset: number, value: string): boolean {
  const length = value.length;
  if (length < 3 || length > MAX_ADDRESS_LENGTH) return false;
  let previous = 2; // as if after a dot: the first character may not be a dot
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    const cls = c < 256 ? CHAR_CLASS[c] : 0;
    if (cls === 0 || (cls & previous) === 2) return false; // bad char, or empty segment
    previous = cls;
    out[offset + i] = c;
  }
  return previous === 1 && hasKnownScheme(out, offset, length);
}

/** True when bytes [start, end) are a valid ILP address (as on the wire). */
export function isValidIlpAddressBytes(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < 3 || length > MAX_ADDRESS_LENGTH) return false;
  let previous = 2;
  for (let i = start; i < end; i++) {
    const cls = CHAR_CLASS[bytes[i]];
    if (cls === 0 || (cls & previous) === 2) return false;
    previous = cls;
  }
  return previous === 1 && hasKnownScheme(bytes, start, length);
}

/** Scratch space for validating strings without allocating. */
const scratch = new Uint8Array(MAX_ADDRESS_LENGTH);

/** True when `value` is a string and a valid ILP address. */
export function isValidIlpAddress(value: unknown): value is string {
  return typeof value === 'string' && writeIlpAddress(scratch, 0, value);
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** Throws CodecError(InvalidAddress) unless `value` is a valid ILP address. */
export function assertIlpAddress(value: unknown, field = 'address'): asserts value is string {
  if (!isValidIlpAddress(value)) {
    const length = typeof value === 'string' ? ` (${value.length} chars)` : '';
    throw new CodecError(
      CodecErrorCode.InvalidAddress,
      `${field}: ${describe(value)}${length} is not a valid ILP address`,
    );
  }
}

/** The allocation scheme (first segment) of a valid address, e.g. `g` or `test1`. */
export function getScheme(address: string): IlpAddressScheme {
  assertIlpAddress(address);
  return address.slice(0, address.indexOf('.')) as IlpAddressScheme;
}

/** True when `segment` can be one segment of an address: non-empty, `A-Z a-z 0-9 _ ~ -`. */
export function isValidAddressSegment(segment: string): boolean {
  if (typeof segment !== 'string' || segment.length === 0) return false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c >= 256 || CHAR_CLASS[c] !== 1) return false;
  }
  return true;
}

/** `parent.segment`, e.g. the address a parent gives a child over ILDCP. */
export function childAddress(parent: string, segment: string): string {
  assertIlpAddress(parent, 'parent');
  if (!isValidAddressSegment(segment)) {
    throw new CodecError(
      CodecErrorCode.InvalidAddress,
      `segment ${describe(segment)} is not a valid address segment`,
    );
  }
  const child = `${parent}.${segment}`;
  assertIlpAddress(child, 'child address');
  return child;
}

/**
 * Segment-aware prefix test: `test.a` is a prefix of `test.a` and `test.a.b` but not of
 * `test.ab`. The empty prefix matches everything (a default route). Prefixes are whole
 * segments without a trailing dot.
 */
export function isPrefixOf(prefix: string, address: string): boolean {
  if (prefix.length === 0) return true;
  if (!address.startsWith(prefix)) return false;
  return address.length === prefix.length || address.charCodeAt(prefix.length) === 0x2e;
}

/**
 * The longest prefix of `address` (segment-aware, see {@link isPrefixOf}) present in
 * `table` (a Map or Set of prefixes): the address itself, then each shorter run of whole
 * segments, then `''`. O(number of segments) lookups, independent of the table's size.
 */
export function longestPrefixMatch(
  address: string,
  table: { has(prefix: string): boolean },
): string | undefined {
  let end = address.length;
  while (end > 0) {
    const candidate = end === address.length ? address : address.slice(0, end);
    if (table.has(candidate)) return candidate;
    end = address.lastIndexOf('.', end - 1);
  }
  return table.has('') ? '' : undefined;
}
