import { describe, expect, it } from 'vitest';
import { MemoryRateLimitStore, takeToken } from './token-bucket';

describe('token bucket', () => {
  const limits = { burst: 3, perSecond: 2 };

  it('allows a burst, then refuses with the wait until the next token', () => {
    let state: { tokens: number; atMs: number } | undefined;
    const results = [];
    for (let i = 0; i < 4; i++) {
      const step = takeToken(state, limits, 1_000);
      state = step.state;
      results.push(step.result);
    }
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3].retryAfterMs).toBe(500);
    expect(results[3].resetMs).toBe(1_500);
    // 500 ms later one token is back, and only one.
    const later = takeToken(state, limits, 1_500);
    expect(later.result.allowed).toBe(true);
    expect(takeToken(later.state, limits, 1_500).result.allowed).toBe(false);
  });

  it('never fills past the burst, and ignores a clock that goes back', () => {
    const idle = takeToken({ tokens: 0, atMs: 0 }, limits, 3_600_000);
    expect(idle.result.remaining).toBe(2);
    const back = takeToken({ tokens: 0.5, atMs: 10_000 }, limits, 9_000);
    expect(back.result.allowed).toBe(false);
  });

  it('says which take opened a bucket, and forgets a bucket on demand', async () => {
    const store = new MemoryRateLimitStore(() => 0);
    expect((await store.take('a', limits)).created).toBe(true);
    expect((await store.take('a', limits)).created).toBe(false);
    await store.forget('a');
    const again = await store.take('a', limits);
    expect(again).toMatchObject({ created: true, remaining: 2 });
    expect(takeToken(undefined, limits, 0).result.created).toBe(true);
    expect(takeToken({ tokens: 1, atMs: 0 }, limits, 0).result.created).toBe(false);
  });

  it('keeps buckets per key in memory and forgets full ones', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    for (let i = 0; i < 3; i++) expect((await store.take('a', limits)).allowed).toBe(true);
    expect((await store.take('a', limits)).allowed).toBe(false);
    expect((await store.take('b', limits)).allowed).toBe(true);
    for (let i = 0; i < 10_000; i++) await store.take(`k${i}`, limits);
    now = 10_000;
    await store.take('fresh', limits);
    expect(store.size).toBeLessThan(10);
  });
});
