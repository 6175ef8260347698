/**
 * Token buckets: each key holds up to `burst` tokens, refilled at `perSecond`; a request
 * takes one or is refused. The arithmetic is shared by the in-memory store and (as Lua) the
 * Redis store, so one instance or many behave the same.
 */

export interface BucketLimits {
  burst: number;
  perSecond: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Until one token is back (0 when allowed). */
  retryAfterMs: number;
  /** Until the bucket is full again. */
  resetMs: number;
  /** This request opened the bucket (none was kept for the key: new, or idle until full). */
  created: boolean;
}

export interface RateLimitStore {
  take(key: string, limits: BucketLimits): Promise<TakeResult>;
  /** Drops a key's bucket, as if it had never been used. */
  forget(key: string): Promise<void>;
  close?(): Promise<void>;
}

/** One step of the bucket: refill for the time passed, then take a token if there is one. */
export function takeToken(
  state: { tokens: number; atMs: number } | undefined,
  limits: BucketLimits,
  nowMs: number,
): { state: { tokens: number; atMs: number }; result: TakeResult } {
  const perMs = limits.perSecond / 1000;
  let tokens = state
    ? Math.min(limits.burst, state.tokens + Math.max(0, nowMs - state.atMs) * perMs)
    : limits.burst;
  const allowed = tokens >= 1;
  if (allowed) tokens -= 1;
  return {
    state: { tokens, atMs: nowMs },
    result: resultOf(allowed, tokens, limits, state === undefined),
  };
}

export function resultOf(
  allowed: boolean,
  tokens: number,
  limits: BucketLimits,
  created = false,
): TakeResult {
  const perMs = limits.perSecond / 1000;
  return {
    allowed,
    remaining: Math.floor(tokens),
    retryAfterMs: allowed ? 0 : Math.ceil((1 - tokens) / perMs),
    resetMs: Math.ceil((limits.burst - tokens) / perMs),
    created,
  };
}

/** Buckets in this process's memory (no REDIS_URL). Full buckets are forgotten. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, { tokens: number; atMs: number; fullAtMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, limits: BucketLimits): Promise<TakeResult> {
    const nowMs = this.now();
    if (this.buckets.size >= 10_000) this.forgetFull(nowMs);
    const { state, result } = takeToken(this.buckets.get(key), limits, nowMs);
    this.buckets.set(key, { ...state, fullAtMs: nowMs + result.resetMs });
    return Promise.resolve(result);
  }

  forget(key: string): Promise<void> {
    this.buckets.delete(key);
    return Promise.resolve();
  }

  get size(): number {
    return this.buckets.size;
  }

  private forgetFull(nowMs: number): void {
    for (const [key, bucket] of this.buckets)
      if (bucket.fullAtMs <= nowMs) this.buckets.delete(key);
  }
}
