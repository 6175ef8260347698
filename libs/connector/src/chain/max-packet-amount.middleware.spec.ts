import { describe, expect, it } from 'vitest';
import { deserializeAmountTooLargeData } from '@tollgate/ilp-core';
import { MaxPacketAmountMiddleware } from './max-packet-amount.middleware';
import { account, context, expectReject, run, StubService } from '../../test/chain-harness';

describe('MaxPacketAmountMiddleware', () => {
  it('F08 above the maximum, with AmountTooLarge data in our units', async () => {
    const next = new StubService();
    const rule = new MaxPacketAmountMiddleware(next);
    const a = account('a', { maxPacketAmount: 500n });
    const reject = expectReject(await run(rule, context(a, { amount: 2n ** 64n - 1n })), 'F08');
    expect(deserializeAmountTooLargeData(reject.data)).toEqual({
      receivedAmount: 2n ** 64n - 1n,
      maximumAmount: 500n,
    });
    expect(next.calls).toBe(0);
  });

  it('passes amounts up to and including the maximum, and anything without one', async () => {
    const rule = new MaxPacketAmountMiddleware(new StubService());
    expect(
      (await run(rule, context(account('a', { maxPacketAmount: 500n }), { amount: 500n }))).type,
    ).toBe(13);
    expect((await run(rule, context(account('b'), { amount: 10n ** 18n }))).type).toBe(13);
  });
});
