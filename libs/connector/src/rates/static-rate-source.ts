/**
 * Rates set by hand: the value of one whole unit of each asset in a common base, as decimal
 * strings (`{ USD: "1", EUR: "1.08" }`), which is what `PUT /api/admin/rates` receives.
 * Parsing happens once per `setRates`; lookups are two map reads.
 */
import { invalidConfig } from '../errors';
import { AssetRef, RateSource, rateFromPrices } from './rate-source';
import { ONE, parseDecimal, powerOfTen, Rational } from './rational';

export class StaticRateSource implements RateSource {
  private _version = 0;
  private prices = new Map<string, Rational>();
  private texts: Record<string, string> = {};

  constructor(rates: Readonly<Record<string, string>> = {}) {
    this.setRates(rates);
  }

  get version(): number {
    return this._version;
  }

  /** Replaces all rates (PUT semantics). All-or-nothing: a bad entry changes nothing. */
  setRates(rates: Readonly<Record<string, string>>): void {
    if (rates === null || typeof rates !== 'object') throw invalidConfig('rates must be an object');
    const prices = new Map<string, Rational>();
    for (const [code, text] of Object.entries(rates)) {
      if (code.length === 0) throw invalidConfig('rates: empty asset code');
      const price = parseDecimal(text, `rate of ${code}`);
      if (price.numerator === 0n) throw invalidConfig(`rate of ${code} must be greater than 0`);
      prices.set(code, price);
    }
    this.prices = prices;
    this.texts = { ...rates };
    this._version++;
  }

  /** The rates as last set (decimal strings). */
  getRates(): Record<string, string> {
    return { ...this.texts };
  }

  rate(from: AssetRef, to: AssetRef): Rational | undefined {
    if (from.code === to.code) {
      return from.scale === to.scale ? ONE : powerOfTen(to.scale - from.scale);
    }
    const fromPrice = this.prices.get(from.code);
    const toPrice = this.prices.get(to.code);
    if (fromPrice === undefined || toPrice === undefined) return undefined;
    return rateFromPrices(fromPrice, toPrice, from.scale, to.scale);
  }
}
