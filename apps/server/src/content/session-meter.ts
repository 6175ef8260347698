/**
 * The paywall rule, as pure functions of (price, verified money, reading time, now), so it
 * can be tested on its own and every route applies the same one.
 *
 * Per second: money buys `floor(paid / price)` seconds. Reading time is measured by the
 * server between the reader's beats: from one visible beat to the next, at most
 * `maxGapMs` (a reader who vanished without saying so is not charged for the silence), and
 * nothing while paused (hidden tab) or locked (nothing to read, nothing to charge). The
 * paid paragraphs are released while the time used stays below what was bought plus a small
 * grace: money streams in packets that land after the second they pay for (an SPSP query,
 * a STREAM handshake, then roughly one packet a second, each durable only after the
 * journal's flush), and without the grace a reader paying at exactly the price would see
 * the article lock and unlock between packets. The grace is never given before the first
 * verified payment, and time is not charged past it, so it is a constant lead, not a gift
 * that grows.
 *
 * Per view: the paid paragraphs are released once the money covers the price.
 */
import type { PricePer } from './content-item.entity';

export interface MeterRules {
  /** Reading time allowed past what was bought (see above). */
  graceMs: number;
  /** The most one interval between beats may charge. */
  maxGapMs: number;
}

export const METER_RULES: MeterRules = { graceMs: 3_000, maxGapMs: 15_000 };

/** What the client is asked to keep: one beat at least this often while the page is visible. */
export const HEARTBEAT_SECONDS = 5;

export interface Meter {
  usedMs: number;
  /** Last visible beat; null while paused. */
  lastBeatMs: number | null;
}

export interface Price {
  per: PricePer;
  amount: bigint;
}

/** Whole seconds the money buys (per-second prices); null for per-view prices. */
export function secondsBought(price: Price, paid: bigint): bigint | null {
  return price.per === 'second' ? paid / price.amount : null;
}

/**
 * The meter after a beat at `nowMs`. `visible`: true (reading), false (hidden: pause), or
 * undefined (a call that says nothing about the page: keep the current state).
 */
export function beat(
  meter: Meter,
  price: Price,
  paid: bigint,
  nowMs: number,
  visible: boolean | undefined,
  rules: MeterRules = METER_RULES,
): Meter {
  let usedMs = meter.usedMs;
  const bought = secondsBought(price, paid);
  if (meter.lastBeatMs !== null && bought !== null) {
    const elapsed = Math.min(Math.max(nowMs - meter.lastBeatMs, 0), rules.maxGapMs);
    const budget = bought > 0n ? bought * 1000n + BigInt(rules.graceMs) : 0n;
    const next = BigInt(usedMs + elapsed);
    // Never past the budget (time read while locked is not time read), never backwards.
    usedMs = Math.max(usedMs, Number(next < budget ? next : budget));
  }
  const active = visible ?? meter.lastBeatMs !== null;
  // A clock that went backwards (another instance) restarts the interval, charging nothing.
  const lastBeatMs = active ? Math.max(nowMs, meter.lastBeatMs ?? nowMs) : null;
  return { usedMs, lastBeatMs };
}

/** True when the paid paragraphs may be released. */
export function isUnlocked(
  price: Price,
  paid: bigint,
  usedMs: number,
  rules: MeterRules = METER_RULES,
): boolean {
  if (price.per === 'view') return paid >= price.amount;
  const bought = paid / price.amount;
  return bought > 0n && BigInt(usedMs) < bought * 1000n + BigInt(rules.graceMs);
}

/** Bought time not read yet, whole seconds (the grace is not counted). */
export function remainingSeconds(price: Price, paid: bigint, usedMs: number): bigint | null {
  const bought = secondsBought(price, paid);
  if (bought === null) return null;
  const left = bought * 1000n - BigInt(usedMs);
  return left > 0n ? left / 1000n : 0n;
}
