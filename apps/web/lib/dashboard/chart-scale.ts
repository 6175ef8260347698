/** Axis arithmetic for the revenue chart, in bigint: the top of the scale is money. */

/** The smallest 1, 2 or 5 × 10^n at or above `value` (0 stays 0): round axis labels. */
export function niceCeiling(value: bigint): bigint {
  if (value <= 0n) return 0n;
  let power = 1n;
  while (power * 10n <= value) power *= 10n;
  for (const step of [1n, 2n, 5n]) {
    if (step * power >= value) return step * power;
  }
  return 10n * power;
}

/** `part / whole` as a fraction of 1 with four decimals, for pixel sizes only. */
export function share(part: bigint, whole: bigint): number {
  if (whole <= 0n || part <= 0n) return 0;
  if (part >= whole) return 1;
  return Number((part * 10_000n) / whole) / 10_000;
}
