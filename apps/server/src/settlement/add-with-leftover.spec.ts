/** Incoming credits to an account's scale, with what does not make a whole unit kept. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettlementError } from '@tollgate/settlement';
import { addWithLeftover } from './settlement.service';

describe('addWithLeftover', () => {
  it('follows the FACTS §11.6 examples', () => {
    expect(addWithLeftover({ amount: 905n, scale: 11 }, undefined, 9)).toEqual({
      credit: 9n,
      leftover: { amount: 5n, scale: 11 },
    });
    expect(addWithLeftover({ amount: 1n, scale: 6 }, undefined, 9)).toEqual({
      credit: 1000n,
      leftover: { amount: 0n, scale: 0 },
    });
    // 95 @ 11 with the 5 @ 11 kept before: one whole unit, nothing left
    expect(addWithLeftover({ amount: 95n, scale: 11 }, { amount: 5n, scale: 11 }, 9)).toEqual({
      credit: 1n,
      leftover: { amount: 0n, scale: 0 },
    });
  });

  it('adds leftovers kept at another scale exactly', () => {
    // 5 @ 11 kept, then 500000000 @ 18 (= 5 @ 10): 5 @ 11 + 50 @ 11 = 55 @ 11
    expect(
      addWithLeftover({ amount: 500_000_000n, scale: 18 }, { amount: 5n, scale: 11 }, 9),
    ).toEqual({ credit: 0n, leftover: { amount: 550_000_000n, scale: 18 } });
  });

  it('never creates or loses value at ordinary scales', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.integer({ min: 0, max: 40 }),
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 18 }),
        (amount, scale, kept, keptScale, accountScale) => {
          const stored = kept > 0n ? { amount: kept, scale: keptScale } : undefined;
          let result;
          try {
            result = addWithLeftover({ amount, scale }, stored, accountScale);
          } catch (error) {
            // over 64 bits in the account scale: refused, which is the other test's case
            expect(error).toBeInstanceOf(SettlementError);
            return;
          }
          const { credit, leftover } = result;
          const top = Math.max(scale, keptScale, accountScale);
          const at = (a: bigint, s: number) => a * 10n ** BigInt(top - s);
          const before = at(amount, scale) + (stored ? at(kept, keptScale) : 0n);
          const after = at(credit, accountScale) + at(leftover.amount, leftover.scale);
          expect(after).toBe(before);
        },
      ),
    );
  });

  it('keeps at most 60 places below the unit from an exotic engine scale', () => {
    const { credit, leftover } = addWithLeftover(
      { amount: 10n ** 77n + 123n, scale: 255 },
      { amount: 7n, scale: 200 },
      9,
    );
    expect(credit).toBe(0n);
    expect(leftover.scale).toBeLessThanOrEqual(69);
    expect(leftover.amount.toString().length).toBeLessThanOrEqual(78);
  });

  it('refuses a credit that would not fit 64 bits in the account scale', () => {
    expect(() => addWithLeftover({ amount: 10n ** 30n, scale: 0 }, undefined, 9)).toThrow(
      SettlementError,
    );
  });
});
