import { describe, expect, it } from 'vitest';
import { RateLimitMiddleware } from './rate-limit.middleware';
import { account, context, expectReject, NOW, run, StubService } from '../../test/chain-harness';

describe('RateLimitMiddleware', () => {
  it('T05 once the packets-per-second bucket is empty; refills with time', async () => {
    const next = new StubService();
    const rule = new RateLimitMiddleware(next);
    const a = account('a', { rateLimit: { packetsPerSecond: 2 } });
    expect((await run(rule, context(a))).type).toBe(13);
    expect((await run(rule, context(a))).type).toBe(13);
    expectReject(await run(rule, context(a)), 'T05');
    expect(next.calls).toBe(2);
    expectReject(await run(rule, context(a, {}, { now: NOW + 499 })), 'T05');
    expect((await run(rule, context(a, {}, { now: NOW + 1_000 }))).type).toBe(13);
  });

  it('T05 once the amount-per-second bucket is empty; exact bigint refill', async () => {
    const rule = new RateLimitMiddleware(new StubService());
    const a = account('a', { rateLimit: { amountPerSecond: 1000n } });
    expect((await run(rule, context(a, { amount: 600n }))).type).toBe(13);
    expectReject(await run(rule, context(a, { amount: 401n })), 'T05');
    expect((await run(rule, context(a, { amount: 400n }))).type).toBe(13);
    // 1 ms refills exactly 1 unit (1000 per second)
    expectReject(await run(rule, context(a, { amount: 2n }, { now: NOW + 1 })), 'T05');
    expect((await run(rule, context(a, { amount: 2n }, { now: NOW + 2 }))).type).toBe(13);
    // zero-amount packets never consume amount tokens
    expect((await run(rule, context(a, { amount: 0n }, { now: NOW + 2 }))).type).toBe(13);
  });

  it('no limit configured: everything passes', async () => {
    const rule = new RateLimitMiddleware(new StubService());
    const a = account('a');
    for (let i = 0; i < 100; i++) expect((await run(rule, context(a))).type).toBe(13);
  });
});
