/**
 * Exact rationals for exchange rates: decimal strings ("1.08") become numerator /
 * denominator bigints, so conversion is floor(amount × n / d) with no float anywhere.
 */
import { invalidConfig } from '../errors';

export interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export const ONE: Rational = { numerator: 1n, denominator: 1n };

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** Numerator and denominator divided by their gcd (denominator > 0). */
export function reduce(numerator: bigint, denominator: bigint): Rational {
  if (denominator === 0n) throw invalidConfig('rational with a zero denominator');
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

export function multiply(a: Rational, b: Rational): Rational {
  return reduce(a.numerator * b.numerator, a.denominator * b.denominator);
}

export function divide(a: Rational, b: Rational): Rational {
  if (b.numerator === 0n) throw invalidConfig('division by a zero rate');
  return reduce(a.numerator * b.denominator, a.denominator * b.numerator);
}

/** 10^exponent for any integer exponent (negative = 1 / 10^-exponent). */
export function powerOfTen(exponent: number): Rational {
  return exponent >= 0
    ? { numerator: 10n ** BigInt(exponent), denominator: 1n }
    : { numerator: 1n, denominator: 10n ** BigInt(-exponent) };
}

const DECIMAL = /^(\d{1,60})(?:\.(\d{1,60}))?$/;

/**
 * A non-negative decimal string ("1", "1.08", "0.000125") as an exact rational. No signs,
 * exponents or separators: what an admin types into `PUT /api/admin/rates`.
 */
export function parseDecimal(text: string, field = 'decimal'): Rational {
  const match = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (match === null) {
    throw invalidConfig(`${field}: ${JSON.stringify(text)} is not a decimal string like "1.08"`);
  }
  const fraction = match[2] ?? '';
  return reduce(BigInt(match[1] + fraction), 10n ** BigInt(fraction.length));
}

/** floor(amount × rate) for a non-negative amount and rate. */
export function applyRate(amount: bigint, rate: Rational): bigint {
  return (amount * rate.numerator) / rate.denominator;
}
