/**
 * Where exchange rates come from: the narrow interface the connector reads on the packet
 * path. It is synchronous (a rate is looked up for every cross-account packet; a slow source
 * refreshes in the background and bumps `version`).
 */
import { divide, multiply, powerOfTen, Rational } from './rational';

export interface AssetRef {
  readonly code: string;
  /** Amounts are in units of 10^-scale of `code`. */
  readonly scale: number;
}

export interface RateSource {
  /**
   * Changes whenever any rate changes. The connector caches each account pair's rate
   * (spread included) and recomputes it when this differs from the cached one.
   */
  readonly version: number;
  /**
   * How many base units of `to` one base unit of `from` is worth (scales included), as an
   * exact rational; undefined when unknown. E.g. USD scale 2 → EUR scale 6 at 1 USD = 0.9259
   * EUR: 0.9259 × 10^4.
   */
  rate(from: AssetRef, to: AssetRef): Rational | undefined;
}

/**
 * Rate between two assets whose values in a common base are known: fromPrice / toPrice ×
 * 10^(toScale − fromScale).
 */
export function rateFromPrices(
  fromPrice: Rational,
  toPrice: Rational,
  fromScale: number,
  toScale: number,
): Rational {
  return multiply(divide(fromPrice, toPrice), powerOfTen(toScale - fromScale));
}
