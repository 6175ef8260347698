import { describe, expect, it } from 'vitest';
import { ExpiryMiddleware } from './expiry.middleware';
import {
  account,
  context,
  expectReject,
  NOW,
  run,
  runtime,
  StubService,
} from '../../test/chain-harness';

describe('ExpiryMiddleware', () => {
  const rule = new ExpiryMiddleware(new StubService(), runtime());

  it('outgoing = incoming − minMessageWindow (1 s) when that is sooner than now + 30 s', async () => {
    const ctx = context(account('a'), { expiresAt: new Date(NOW + 10_000) });
    await run(rule, ctx);
    expect(ctx.outExpiresAtMs).toBe(NOW + 9_000);
  });

  it('outgoing = now + maxHoldTime (30 s) for long expiries', async () => {
    const ctx = context(account('a'), { expiresAt: new Date(NOW + 600_000) });
    await run(rule, ctx);
    expect(ctx.outExpiresAtMs).toBe(NOW + 30_000);
  });

  it('R02 when the next hop would get less than minMessageWindow', async () => {
    expectReject(
      await run(rule, context(account('a'), { expiresAt: new Date(NOW + 1_999) })),
      'R02',
    );
    const ctx = context(account('a'), { expiresAt: new Date(NOW + 2_000) });
    expect((await run(rule, ctx)).type).toBe(13);
    expect(ctx.outExpiresAtMs).toBe(NOW + 1_000);
  });
});
