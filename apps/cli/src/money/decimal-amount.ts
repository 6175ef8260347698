/**
 * Amounts as people type and read them ("12.50") against amounts as the wire carries them
 * (1250n base units at asset scale 2). Pure string and bigint arithmetic: a JS number never
 * holds money here, so nothing is ever rounded behind the user's back.
 */

export const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;

/** Digits, optionally a point and more digits. No sign, exponent, separator or space. */
const DECIMAL = /^([0-9]+)(?:\.([0-9]*))?$/;

/** Whether `text` is written like an amount at all (before the scale is known). */
export function isDecimalSyntax(text: string): boolean {
  return DECIMAL.test(text);
}

export class AmountSyntaxError extends Error {
  override readonly name = 'AmountSyntaxError';
}

/**
 * "12.50" at scale 2 → 1250n. Refuses anything but plain digits with at most one point,
 * and any non-zero digit beyond the scale (it would be lost); zeros past the scale are
 * harmless ("12.500" is 1250n). The result must fit UInt64, the wire's amount type.
 */
export function parseDecimalAmount(text: string, scale: number, assetCode = ''): bigint {
  checkScale(scale);
  const what = assetCode ? `${assetCode} (${scale} decimal places)` : `scale ${scale}`;
  const match = DECIMAL.exec(text);
  if (match === null) {
    throw new AmountSyntaxError(
      `${JSON.stringify(text)} is not an amount: write digits with an optional decimal point, e.g. 12.50`,
    );
  }
  const whole = match[1];
  const fraction = match[2] ?? '';
  const kept = fraction.slice(0, scale);
  const dropped = fraction.slice(scale);
  if (/[1-9]/.test(dropped)) {
    throw new AmountSyntaxError(
      `${text} has more decimal places than ${what} allows: ${fraction.length} given, at most ${scale}`,
    );
  }
  const value = BigInt(whole + kept.padEnd(scale, '0'));
  if (value > MAX_UINT64) {
    throw new AmountSyntaxError(
      `${text} is too large: at most ${formatAmount(MAX_UINT64, scale)} at ${what}`,
    );
  }
  return value;
}

/** 1250n at scale 2 → "12.50"; negative values (balances) keep their sign. Always `scale` places. */
export function formatAmount(value: bigint, scale: number): string {
  checkScale(scale);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** `formatAmount` of a base-unit string from the server ("-1250" → "-12.50"). */
export function formatBaseUnits(baseUnits: string, scale: number): string {
  if (!/^-?[0-9]+$/.test(baseUnits)) {
    throw new AmountSyntaxError(`${JSON.stringify(baseUnits)} is not an integer amount`);
  }
  return formatAmount(BigInt(baseUnits), scale);
}

/**
 * What one unit of the source asset bought of the destination asset, in whole units of
 * each (not base units): (delivered / 10^dScale) / (sent / 10^sScale), cut (not rounded)
 * to `digits` decimal places and without trailing zeros. Null when nothing was sent.
 */
export function unitRate(
  sent: bigint,
  sourceScale: number,
  delivered: bigint,
  destinationScale: number,
  digits = 6,
): string | null {
  if (sent <= 0n) return null;
  checkScale(sourceScale);
  checkScale(destinationScale);
  // delivered × 10^sScale / (sent × 10^dScale), scaled by 10^digits before the division
  const num = delivered * 10n ** BigInt(sourceScale + digits);
  const den = sent * 10n ** BigInt(destinationScale);
  const text = formatAmount(num / den, digits);
  return digits === 0 ? text : text.replace(/\.?0+$/, '');
}

function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > 255) {
    throw new RangeError(`asset scale must be an integer in 0..255, got ${scale}`);
  }
}
