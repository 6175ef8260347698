import { describe, expect, it } from 'vitest';
import { IlpError } from '@tollgate/ilp-core';
import { SettlementMonitor } from '../balance/settlement-monitor';
import { IncomingBalanceMiddleware } from './incoming-balance.middleware';
import {
  account,
  context,
  expectReject,
  FULFILL,
  REJECT,
  run,
  StubService,
} from '../../test/chain-harness';

describe('IncomingBalanceMiddleware', () => {
  const monitor = new SettlementMonitor([]);

  it('reserves on Prepare and commits the debit on Fulfill', async () => {
    let reservedDuring = -1n;
    const next = new StubService(async (ctx) => {
      reservedDuring = ctx.from.reservedIncoming;
      return FULFILL;
    });
    const a = account('a', { minBalance: -1000n }, 50n);
    const ctx = context(a, { amount: 300n });
    expect((await run(new IncomingBalanceMiddleware(next, monitor), ctx)).type).toBe(13);
    expect(reservedDuring).toBe(300n);
    expect(a.snapshot()).toEqual({ balance: -250n, reservedIncoming: 0n, reservedOutgoing: 0n });
    expect([ctx.debitAccount, ctx.debit]).toEqual(['a', -300n]);
  });

  it('T04 when balance − reserved − amount would go below minBalance', async () => {
    const a = account('a', { minBalance: -100n });
    a.reservedIncoming = 60n;
    const next = new StubService();
    const rule = new IncomingBalanceMiddleware(next, monitor);
    expectReject(await run(rule, context(a, { amount: 41n })), 'T04');
    expect(next.calls).toBe(0);
    expect((await run(rule, context(a, { amount: 40n }))).type).toBe(13);
  });

  it('releases the reservation on a Reject and on a thrown error, committing nothing', async () => {
    const a = account('a', { minBalance: -100n });
    const rejecting = new IncomingBalanceMiddleware(new StubService(async () => REJECT), monitor);
    expect(await run(rejecting, context(a, { amount: 100n }))).toBe(REJECT);
    const throwing = new IncomingBalanceMiddleware(
      new StubService(async () => {
        throw new IlpError('T01', 'down');
      }),
      monitor,
    );
    expectReject(await run(throwing, context(a, { amount: 100n })), 'T01');
    expect(a.snapshot()).toEqual({ balance: 0n, reservedIncoming: 0n, reservedOutgoing: 0n });
  });

  it('zero-amount packets neither reserve nor commit, even past the limit', async () => {
    const a = account('a', { minBalance: 0n }, -10n);
    const ctx = context(a, { amount: 0n });
    expect((await run(new IncomingBalanceMiddleware(new StubService(), monitor), ctx)).type).toBe(
      13,
    );
    expect(ctx.debitAccount).toBeUndefined();
    expect(a.balance).toBe(-10n);
  });

  it('no minBalance: unlimited credit', async () => {
    const a = account('a');
    const rule = new IncomingBalanceMiddleware(new StubService(), monitor);
    expect((await run(rule, context(a, { amount: 10n ** 15n }))).type).toBe(13);
    expect(a.balance).toBe(-(10n ** 15n));
  });
});
