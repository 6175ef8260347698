/** An article's price in words, for server and client components alike. */
import { formatAmount } from '../money';
import type { Pricing } from './content-types';

/** `0.03 USD per second`, `1.50 USD once`. */
export function priceText(pricing: Pricing): string {
  const money = formatAmount(pricing.amount, pricing.assetScale, pricing.assetCode);
  return pricing.per === 'second' ? `${money} per second` : `${money} once`;
}
