/**
 * Exact non-negative rationals over bigint, for exchange rates and slippage. Rates are
 * "destination units per source unit" and are never held in a float: a float cannot
 * represent most decimal rates exactly and money must not drift.
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

const DECIMAL = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

export function rational(num: bigint, den = 1n): Rational {
  if (den <= 0n || num < 0n) throw new RangeError(`invalid rational ${num}/${den}`);
  return { num, den };
}

/**
 * Parses a non-negative decimal ("0.01", "1.5e-3") or a finite number (via its shortest
 * decimal form, so 0.1 is exactly 1/10), or passes a Rational through.
 */
export function toRational(value: number | string | Rational, field = 'value'): Rational {
  if (typeof value === 'object') return rational(value.num, value.den);
  const text = typeof value === 'number' ? numberText(value, field) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`${field} must be a non-negative decimal, got ${value}`);
  const [, whole, fraction = '', exponent = '0'] = match;
  let num = BigInt(whole + fraction);
  let den = 10n ** BigInt(fraction.length);
  const exp = Number(exponent);
  if (Math.abs(exp) > 400) throw new RangeError(`${field} exponent out of range`);
  if (exp > 0) num *= 10n ** BigInt(exp);
  else if (exp < 0) den *= 10n ** BigInt(-exp);
  return reduce(num, den);
}

function numberText(value: number, field: string): string {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${field} must be a finite non-negative number, got ${value}`);
  }
  return String(value);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function reduce(num: bigint, den: bigint): Rational {
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

export function multiplyFloor(amount: bigint, r: Rational): bigint {
  return (amount * r.num) / r.den;
}

export function multiplyCeil(amount: bigint, r: Rational): bigint {
  return (amount * r.num + r.den - 1n) / r.den;
}

/** floor(amount / r); r must be non-zero. */
export function divideFloor(amount: bigint, r: Rational): bigint {
  return (amount * r.den) / r.num;
}

/** ceil(amount / r); r must be non-zero. */
export function divideCeil(amount: bigint, r: Rational): bigint {
  return (amount * r.den + r.num - 1n) / r.num;
}

export function compare(a: Rational, b: Rational): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function multiply(a: Rational, b: Rational): Rational {
  return reduce(a.num * b.num, a.den * b.den);
}

/** 1 − r, for r ≤ 1. */
export function complement(r: Rational): Rational {
  if (r.num > r.den) throw new RangeError('complement of a rational above 1');
  return { num: r.den - r.num, den: r.den };
}

export function isZero(r: Rational): boolean {
  return r.num === 0n;
}

/** A short decimal rendering for logs and results (not for arithmetic). */
export function rationalToString(r: Rational, digits = 12): string {
  const whole = r.num / r.den;
  let rest = r.num % r.den;
  if (rest === 0n) return whole.toString();
  let out = `${whole}.`;
  for (let i = 0; i < digits && rest !== 0n; i++) {
    rest *= 10n;
    out += (rest / r.den).toString();
    rest %= r.den;
  }
  return out;
}

/** Number of decimal digits of a non-negative integer (0 has 0 significant digits). */
export function countDigits(value: bigint): number {
  return value === 0n ? 0 : value.toString().length;
}
