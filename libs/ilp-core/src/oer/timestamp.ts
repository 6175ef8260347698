/**
 * The two timestamp shapes of RFC 30, formatted and parsed with digit loops (no regex, no
 * `toISOString`) because expiry is on the packet hot path:
 *
 * - ILP fixed timestamp: exactly 17 ASCII digits `YYYYMMDDHHmmssfff`, UTC, no prefix.
 * - GeneralizedTime (BTP): `YYYYMMDDHHmmss[.f|.ff|.fff]Z`, length-prefixed by the caller.
 *
 * Times are integer milliseconds since the Unix epoch, years 0000 to 9999. Leap seconds:
 * JavaScript time has none, so seconds = 60 is never written. ILP timestamps with seconds
 * 60 are rejected (RFC 30 lists `…235960852` as invalid). GeneralizedTime `…235960.fffZ`
 * is listed as valid by RFC 30, so it is accepted and clamped to 23:59:59.999 of that day.
 */
import { CodecError, CodecErrorCode } from '../errors/codec-error';

export const ILP_TIMESTAMP_LENGTH = 17;

const MS_PER_DAY = 86_400_000;
/** 0000-01-01T00:00:00.000Z */
export const MIN_TIMESTAMP_MS = -62_167_219_200_000;
/** 9999-12-31T23:59:59.999Z */
export const MAX_TIMESTAMP_MS = 253_402_300_799_999;

/** Days since 1970-01-01 for a proleptic Gregorian date (month 1..12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function checkTime(ms: number, what: string): void {
  if (typeof ms !== 'number' || !Number.isInteger(ms)) {
    throw new CodecError(CodecErrorCode.InvalidTimestamp, `${what}: not a valid date`);
  }
  if (ms < MIN_TIMESTAMP_MS || ms > MAX_TIMESTAMP_MS) {
    throw new CodecError(
      CodecErrorCode.InvalidTimestamp,
      `${what}: ${ms} ms since the epoch is outside years 0000..9999`,
    );
  }
}

/** Epoch day of the last timestamp written and its `YYYYMMDD` digits. */
let lastFormatDay = NaN;
const lastFormatDigits = new Uint8Array(8);

function formatDate(days: number): void {
  // civil-from-days (proleptic Gregorian); all quantities are small non-negative integers
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36_524) | 0) - ((doe / 146_096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const day = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const d = lastFormatDigits;
  d[0] = 48 + ((year / 1000) | 0);
  d[1] = 48 + (((year / 100) | 0) % 10);
  d[2] = 48 + (((year / 10) | 0) % 10);
  d[3] = 48 + (year % 10);
  d[4] = 48 + ((month / 10) | 0);
  d[5] = 48 + (month % 10);
  d[6] = 48 + ((day / 10) | 0);
  d[7] = 48 + (day % 10);
  lastFormatDay = days;
}

/**
 * Writes the date/time part `YYYYMMDDHHmmss` of `ms` (already range-checked) as 14 ASCII
 * digits at `offset` and returns the milliseconds part (0..999).
 */
function writeDigits14(out: Uint8Array, offset: number, ms: number): number {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  if (days !== lastFormatDay) formatDate(days);
  const d = lastFormatDigits;
  out[offset] = d[0];
  out[offset + 1] = d[1];
  out[offset + 2] = d[2];
  out[offset + 3] = d[3];
  out[offset + 4] = d[4];
  out[offset + 5] = d[5];
  out[offset + 6] = d[6];
  out[offset + 7] = d[7];
  const hour = (rest / 3_600_000) | 0;
  rest -= hour * 3_600_000;
  const minute = (rest / 60_000) | 0;
  rest -= minute * 60_000;
  const second = (rest / 1000) | 0;
  out[offset + 8] = 48 + ((hour / 10) | 0);
  out[offset + 9] = 48 + (hour % 10);
  out[offset + 10] = 48 + ((minute / 10) | 0);
  out[offset + 11] = 48 + (minute % 10);
  out[offset + 12] = 48 + ((second / 10) | 0);
  out[offset + 13] = 48 + (second % 10);
  return rest - second * 1000;
}

/** Writes the 17-digit ILP timestamp of `ms` at `offset`. Throws InvalidTimestamp if unrepresentable. */
export function writeIlpTimestamp(out: Uint8Array, offset: number, ms: number): void {
  checkTime(ms, 'expiresAt');
  const milli = writeDigits14(out, offset, ms);
  out[offset + 14] = 48 + ((milli / 100) | 0);
  out[offset + 15] = 48 + (((milli / 10) | 0) % 10);
  out[offset + 16] = 48 + (milli % 10);
}

/** Value of `count` ASCII digits at `offset`, or -1 if any byte is not a digit. */
function digits(bytes: Uint8Array, offset: number, count: number): number {
  let value = 0;
  for (let i = offset; i < offset + count; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Milliseconds for `YYYYMMDDHHmmss` at `offset` plus `milli`, or -Infinity when any digit is
 * missing or the date/time is impossible. `leapSecond` allows seconds = 60 at 23:59 and
 * returns 23:59:59.000 for it.
 */
function civilToMs(bytes: Uint8Array, offset: number, leapSecond: boolean): number {
  const year = digits(bytes, offset, 4);
  const month = digits(bytes, offset + 4, 2);
  const day = digits(bytes, offset + 6, 2);
  const hour = digits(bytes, offset + 8, 2);
  const minute = digits(bytes, offset + 10, 2);
  let second = digits(bytes, offset + 12, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return -Infinity;
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0) return -Infinity;
  if (second > 59) {
    if (!leapSecond || second !== 60 || hour !== 23 || minute !== 59) return -Infinity;
    second = 59; // the caller clamps the fraction to .999
  }
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000
  );
}

function invalid(bytes: Uint8Array, start: number, end: number, what: string): CodecError {
  let shown = '';
  for (let i = start; i < end && i < start + 40; i++) {
    const b = bytes[i];
    shown +=
      b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return new CodecError(
    CodecErrorCode.InvalidTimestamp,
    `${what}: invalid timestamp "${shown}"`,
    start,
  );
}

/** Date part of the last timestamp parsed (`YYYYMMDD` as a number) and its epoch day. */
let lastDateKey = -1;
let lastDateDays = 0;

/**
 * Parses the 17-digit ILP timestamp at `offset` (the caller guarantees 17 bytes are there).
 * Returns epoch milliseconds; throws InvalidTimestamp for non-digits or impossible dates.
 * Straight-line digit arithmetic; the calendar step is skipped when the date part repeats
 * (packets arriving together expire on the same day).
 */
export function readIlpTimestamp(bytes: Uint8Array, offset: number): number {
  let bad = 0;
  for (let i = offset; i < offset + ILP_TIMESTAMP_LENGTH; i++)
    bad |= (bytes[i] - 48) >>> 0 > 9 ? 1 : 0;
  if (bad !== 0) throw invalid(bytes, offset, offset + ILP_TIMESTAMP_LENGTH, 'expiresAt');
  const o = offset;
  const dateKey =
    ((bytes[o] - 48) * 1000 +
      (bytes[o + 1] - 48) * 100 +
      (bytes[o + 2] - 48) * 10 +
      bytes[o + 3] -
      48) *
      10_000 +
    ((bytes[o + 4] - 48) * 10 + bytes[o + 5] - 48) * 100 +
    (bytes[o + 6] - 48) * 10 +
    bytes[o + 7] -
    48;
  const hour = (bytes[o + 8] - 48) * 10 + bytes[o + 9] - 48;
  const minute = (bytes[o + 10] - 48) * 10 + bytes[o + 11] - 48;
  const second = (bytes[o + 12] - 48) * 10 + bytes[o + 13] - 48;
  const milli = (bytes[o + 14] - 48) * 100 + (bytes[o + 15] - 48) * 10 + bytes[o + 16] - 48;
  if (hour > 23 || minute > 59 || second > 59) {
    throw invalid(bytes, offset, offset + ILP_TIMESTAMP_LENGTH, 'expiresAt');
  }
  let days: number;
  if (dateKey === lastDateKey) {
    days = lastDateDays;
  } else {
    const year = Math.floor(dateKey / 10_000);
    const month = Math.floor(dateKey / 100) % 100;
    const day = dateKey % 100;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      throw invalid(bytes, offset, offset + ILP_TIMESTAMP_LENGTH, 'expiresAt');
    }
    days = daysFromCivil(year, month, day);
    lastDateKey = dateKey;
    lastDateDays = days;
  }
  return days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli;
}

/** A standalone ILP timestamp: exactly 17 bytes, see {@link readIlpTimestamp}. */
export function decodeIlpTimestamp(bytes: Uint8Array): number {
  if (bytes.length !== ILP_TIMESTAMP_LENGTH) {
    throw invalid(bytes, 0, bytes.length, 'timestamp');
  }
  return readIlpTimestamp(bytes, 0);
}

/**
 * Length in bytes of the GeneralizedTime for `ms`: 19 (`.fffZ`) by default, or the RFC 30
 * canonical length (trailing fraction zeros dropped) when `canonical` is set.
 */
export function generalizedTimeLength(ms: number, canonical = false): number {
  checkTime(ms, 'GeneralizedTime');
  if (!canonical) return 19;
  const milli = ((ms % 1000) + 1000) % 1000;
  if (milli === 0) return 15;
  if (milli % 100 === 0) return 17;
  if (milli % 10 === 0) return 18;
  return 19;
}

/**
 * Writes GeneralizedTime for `ms` at `offset` (no length prefix) and returns the end offset.
 * Default `YYYYMMDDHHmmss.fffZ` is what btp-packet (JS) requires to read; `canonical`
 * writes the RFC 30 form (`…32.2Z`, `…32Z`).
 */
export function writeGeneralizedTime(
  out: Uint8Array,
  offset: number,
  ms: number,
  canonical = false,
): number {
  const length = generalizedTimeLength(ms, canonical);
  const milli = writeDigits14(out, offset, ms);
  let o = offset + 14;
  if (length > 15) {
    out[o++] = 0x2e; // '.'
    out[o++] = 48 + ((milli / 100) | 0);
    if (length > 17) out[o++] = 48 + (((milli / 10) | 0) % 10);
    if (length > 18) out[o++] = 48 + (milli % 10);
  }
  out[o++] = 0x5a; // 'Z'
  return o;
}

/** Seconds digits are "60" (only possible after civilToMs accepted a leap second). */
function isLeapSecond(bytes: Uint8Array, start: number): boolean {
  return bytes[start + 12] === 0x36 && bytes[start + 13] === 0x30;
}

/**
 * Parses GeneralizedTime in bytes [start, end): 14 digits, then `Z`, or `.` with 1-3
 * fraction digits then `Z`. Three digits are always accepted (btp-packet writes `.000Z`);
 * one or two digits must be canonical (no trailing zero), as RFC 30 requires.
 */
export function readGeneralizedTime(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length !== 15 && (length < 17 || length > 19)) {
    throw invalid(bytes, start, end, 'GeneralizedTime');
  }
  const base = civilToMs(bytes, start, true);
  if (base === -Infinity || bytes[end - 1] !== 0x5a) {
    throw invalid(bytes, start, end, 'GeneralizedTime');
  }
  if (length === 15) return isLeapSecond(bytes, start) ? base + 999 : base;
  const fractionDigits = length - 16;
  const fraction = digits(bytes, start + 15, fractionDigits);
  if (
    bytes[start + 14] !== 0x2e ||
    fraction < 0 ||
    (fractionDigits < 3 && bytes[end - 2] === 0x30) // spurious trailing zero: .20Z, .0Z
  ) {
    throw invalid(bytes, start, end, 'GeneralizedTime');
  }
  if (isLeapSecond(bytes, start)) return base + 999;
  return (
    base + (fractionDigits === 1 ? fraction * 100 : fractionDigits === 2 ? fraction * 10 : fraction)
  );
}
