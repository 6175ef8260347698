import { describe, expect, it } from 'vitest';
import { ValidateMiddleware } from './validate.middleware';
import { account, context, expectReject, NOW, run, StubService } from '../../test/chain-harness';

describe('ValidateMiddleware', () => {
  const next = new StubService();
  const rule = new ValidateMiddleware(next);

  it('passes a live Prepare on and records its expiry in ms', async () => {
    const ctx = context(account('a'), { expiresAt: new Date(NOW + 5_000) });
    ctx.incomingExpiresAtMs = 0;
    expect((await run(rule, ctx)).type).toBe(13);
    expect(ctx.incomingExpiresAtMs).toBe(NOW + 5_000);
  });

  it('R02 for a Prepare that expired before it arrived', async () => {
    const reply = await run(rule, context(account('a'), { expiresAt: new Date(NOW - 1) }));
    expect(expectReject(reply, 'R02').message).toMatch(/already expired/);
  });

  it('leaves expired peer.* requests to their protocol (which answers R00)', async () => {
    const reply = await run(
      rule,
      context(account('a'), { destination: 'peer.config', expiresAt: new Date(NOW - 1) }),
    );
    expect(reply.type).toBe(13);
  });

  it('accepts a Prepare expiring exactly now (it is not yet past)', async () => {
    expect((await run(rule, context(account('a'), { expiresAt: new Date(NOW) }))).type).toBe(13);
  });

  it('F01 for malformed typed Prepares (bytes were checked by the decoder)', async () => {
    const bad = [
      { destination: 'nope' },
      { amount: -5n },
      { amount: 2n ** 64n },
      { executionCondition: new Uint8Array(31) },
      { data: new Uint8Array(32_768) },
      { expiresAt: new Date(NaN) },
    ];
    for (const overrides of bad) {
      expectReject(await run(rule, context(account('a'), overrides, { bytes: false })), 'F01');
    }
  });
});
