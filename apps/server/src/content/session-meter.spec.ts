import { describe, expect, it } from 'vitest';
import { beat, isUnlocked, remainingSeconds, secondsBought, type Meter } from './session-meter';

const rules = { graceMs: 3_000, maxGapMs: 15_000 };
const perSecond = { per: 'second' as const, amount: 10n };
const perView = { per: 'view' as const, amount: 500n };

/** Beats every `stepMs` while visible, from `from` to `to`. */
function read(meter: Meter, paid: bigint, from: number, to: number, stepMs = 1_000): Meter {
  let m = beat(meter, perSecond, paid, from, true, rules);
  let t = from;
  while (t < to) {
    t = Math.min(t + stepMs, to);
    m = beat(m, perSecond, paid, t, true, rules);
  }
  return m;
}

describe('session meter', () => {
  it('buys floor(paid / price) seconds', () => {
    expect(secondsBought(perSecond, 0n)).toBe(0n);
    expect(secondsBought(perSecond, 99n)).toBe(9n);
    expect(secondsBought(perSecond, 18446744073709551615n)).toBe(1844674407370955161n);
    expect(secondsBought(perView, 1000n)).toBeNull();
  });

  it('unlocks N seconds of reading plus the grace, and not a millisecond more', () => {
    const start: Meter = { usedMs: 0, lastBeatMs: null };
    const paid = 100n; // 10 seconds
    const at = (ms: number) => read(start, paid, 0, ms);
    expect(isUnlocked(perSecond, paid, at(10_000).usedMs, rules)).toBe(true);
    expect(at(12_999).usedMs).toBe(12_999);
    expect(isUnlocked(perSecond, paid, read(start, paid, 0, 12_999, 1).usedMs, rules)).toBe(true);
    const spent = read(start, paid, 0, 13_000, 500);
    expect(spent.usedMs).toBe(13_000);
    expect(isUnlocked(perSecond, paid, spent.usedMs, rules)).toBe(false);
    // Reading on while locked charges nothing more; more money unlocks again.
    const later = read(spent, paid, 13_000, 60_000);
    expect(later.usedMs).toBe(13_000);
    expect(isUnlocked(perSecond, 150n, later.usedMs, rules)).toBe(true);
    expect(remainingSeconds(perSecond, 150n, later.usedMs)).toBe(2n);
  });

  it('charges nothing before the first payment, while hidden, or backwards in time', () => {
    const unpaid = read({ usedMs: 0, lastBeatMs: null }, 0n, 0, 30_000);
    expect(unpaid.usedMs).toBe(0);
    expect(isUnlocked(perSecond, 0n, 0, rules)).toBe(false);
    const paid = 1_000n;
    let m = read({ usedMs: 0, lastBeatMs: null }, paid, 0, 5_000);
    m = beat(m, perSecond, paid, 6_000, false, rules); // hidden: the 1 s before counts
    expect(m).toEqual({ usedMs: 6_000, lastBeatMs: null });
    m = beat(m, perSecond, paid, 100_000, undefined, rules); // still paused
    expect(m.usedMs).toBe(6_000);
    m = beat(m, perSecond, paid, 100_000, true, rules);
    m = beat(m, perSecond, paid, 99_000, true, rules); // clock went back: nothing charged
    expect(m).toEqual({ usedMs: 6_000, lastBeatMs: 100_000 });
  });

  it('charges at most maxGap for a long silence', () => {
    let m = beat({ usedMs: 0, lastBeatMs: null }, perSecond, 10_000n, 0, true, rules);
    m = beat(m, perSecond, 10_000n, 600_000, true, rules);
    expect(m.usedMs).toBe(15_000);
  });

  it('per view: unlocked once the price is paid, no time kept', () => {
    expect(isUnlocked(perView, 499n, 0, rules)).toBe(false);
    expect(isUnlocked(perView, 500n, 0, rules)).toBe(true);
    const m = beat({ usedMs: 0, lastBeatMs: 0 }, perView, 500n, 50_000, true, rules);
    expect(m.usedMs).toBe(0);
    expect(remainingSeconds(perView, 500n, 0)).toBeNull();
  });
});
