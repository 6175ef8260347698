/**
 * The one money formatter of the front end. Amounts arrive as decimal strings of integer
 * base units with the asset's scale beside them; they are `bigint` here and are never
 * turned into floats (a float cannot hold most decimal amounts exactly).
 */

/** A base-unit amount from the API (a decimal integer string) as a bigint. */
export function toBaseUnits(amount: string | bigint): bigint {
  if (typeof amount === 'bigint') return amount;
  if (!/^-?(0|[1-9][0-9]*)$/.test(amount)) throw new RangeError(`not an amount: ${amount}`);
  return BigInt(amount);
}

export interface FormatOptions {
  /** Fraction digits to show at least (default: up to 2, never fewer than needed to be exact). */
  minFractionDigits?: number;
  /** Show a leading + on positive amounts (history entries). */
  signed?: boolean;
}

/**
 * `formatAmount("125050", 2, "USD")` → `"1,250.50 USD"`. Exact at any scale: trailing zeros
 * beyond `minFractionDigits` are dropped, significant digits never are.
 */
export function formatAmount(
  amount: string | bigint,
  scale: number,
  assetCode?: string,
  options: FormatOptions = {},
): string {
  const value = toBaseUnits(amount);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  let fraction = scale > 0 ? digits.slice(digits.length - scale) : '';
  const minDigits = Math.min(scale, options.minFractionDigits ?? 2);
  while (fraction.length > minDigits && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = negative ? '−' : options.signed && value > 0n ? '+' : '';
  const number = `${sign}${grouped}${fraction ? `.${fraction}` : ''}`;
  return assetCode ? `${number} ${assetCode}` : number;
}

/**
 * How far `part` is towards `whole`, in hundredths of a percent (0..10000), for progress
 * bars: integer arithmetic, so 99.999 % never shows as 100 %.
 */
export function progressBasisPoints(part: bigint, whole: bigint): number {
  if (whole <= 0n) return part > 0n ? 10_000 : 0;
  if (part <= 0n) return 0;
  if (part >= whole) return 10_000;
  return Number((part * 10_000n) / whole);
}

/** A rate `num/den` as a decimal string with `digits` fraction digits, rounded down. */
export function formatRatio(num: bigint, den: bigint, digits = 4): string {
  if (den <= 0n) return '—';
  const scaled = (num * 10n ** BigInt(digits)) / den;
  return formatAmount(scaled, digits, undefined, { minFractionDigits: Math.min(digits, 2) });
}
