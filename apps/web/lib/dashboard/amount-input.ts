/**
 * Amounts typed by people ("12.50") as base units ("1250") at the asset's scale, with string
 * arithmetic only: a float would turn 0.29 into 0.28999…
 */

export type ParsedAmount = { ok: true; baseUnits: string } | { ok: false; problem: string };

const MAX_UINT64 = 18_446_744_073_709_551_615n;

export function parseAmountInput(input: string, scale: number): ParsedAmount {
  const text = input.trim().replace(/[\s,_]/g, '');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!text || !match || (match[1] === '' && !match[2])) {
    return { ok: false, problem: 'Enter an amount such as 12.50.' };
  }
  const whole = match[1] || '0';
  const fraction = match[2] ?? '';
  if (fraction.replace(/0+$/, '').length > scale) {
    return {
      ok: false,
      problem:
        scale === 0
          ? 'This currency has no fractions: enter a whole number.'
          : `At most ${scale} digits after the decimal point.`,
    };
  }
  const units = BigInt(whole + fraction.slice(0, scale).padEnd(scale, '0'));
  if (units <= 0n) return { ok: false, problem: 'The amount must be more than zero.' };
  if (units > MAX_UINT64) return { ok: false, problem: 'The amount is too large.' };
  return { ok: true, baseUnits: units.toString() };
}
