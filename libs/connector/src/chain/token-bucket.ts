/**
 * Token buckets for the per-account rate limit. Refilled lazily from the packet's clock
 * reading (no timers). The amount bucket counts in thousandths of a unit per millisecond,
 * so refills are exact bigint arithmetic with no rounding drift.
 */

/** Packets per second; capacity (burst) is one second's worth. */
export class PacketBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly perSecond: number,
    nowMs: number,
  ) {
    this.tokens = perSecond;
    this.lastMs = nowMs;
  }

  take(nowMs: number): boolean {
    const elapsed = nowMs - this.lastMs;
    if (elapsed > 0) {
      this.lastMs = nowMs;
      const tokens = this.tokens + (elapsed * this.perSecond) / 1000;
      this.tokens = tokens > this.perSecond ? this.perSecond : tokens;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Amount per second (bigint); capacity is one second's worth. */
export class AmountBucket {
  /** Tokens × 1000: refilling `perSecond` per 1000 ms adds exactly `perSecond` per ms here. */
  private milliTokens: bigint;
  private readonly capacity: bigint;
  private lastMs: number;

  constructor(
    private readonly perSecond: bigint,
    nowMs: number,
  ) {
    this.capacity = perSecond * 1000n;
    this.milliTokens = this.capacity;
    this.lastMs = nowMs;
  }

  take(amount: bigint, nowMs: number): boolean {
    const elapsed = nowMs - this.lastMs;
    if (elapsed > 0) {
      this.lastMs = nowMs;
      const tokens = this.milliTokens + BigInt(elapsed) * this.perSecond;
      this.milliTokens = tokens > this.capacity ? this.capacity : tokens;
    }
    const cost = amount * 1000n;
    if (cost > this.milliTokens) return false;
    this.milliTokens -= cost;
    return true;
  }
}
