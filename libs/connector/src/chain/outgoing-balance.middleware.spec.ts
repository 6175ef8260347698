import { describe, expect, it } from 'vitest';
import { SettlementMonitor } from '../balance/settlement-monitor';
import { OutgoingBalanceMiddleware } from './outgoing-balance.middleware';
import { account, context, expectReject, REJECT, run, StubService } from '../../test/chain-harness';

describe('OutgoingBalanceMiddleware', () => {
  it('reserves against maxBalance, commits +amount on Fulfill and checks the settlement threshold', async () => {
    const settled: [string, bigint][] = [];
    const monitor = new SettlementMonitor([(id, balance) => settled.push([id, balance])]);
    const b = account('b', { maxBalance: 1000n, settleThreshold: 500n }, 400n);
    const ctx = context(account('a'));
    ctx.to = b;
    ctx.outAmount = 200n;
    expect((await run(new OutgoingBalanceMiddleware(new StubService(), monitor), ctx)).type).toBe(
      13,
    );
    expect(b.snapshot()).toEqual({ balance: 600n, reservedIncoming: 0n, reservedOutgoing: 0n });
    expect([ctx.creditAccount, ctx.credit]).toEqual(['b', 200n]);
    expect(settled).toEqual([['b', 600n]]);
  });

  it('T04 when balance + reserved + amount would exceed maxBalance', async () => {
    const monitor = new SettlementMonitor([]);
    const b = account('b', { maxBalance: 100n }, 50n);
    b.reservedOutgoing = 30n;
    const ctx = context(account('a'));
    ctx.to = b;
    ctx.outAmount = 21n;
    const next = new StubService();
    expectReject(await run(new OutgoingBalanceMiddleware(next, monitor), ctx), 'T04');
    expect(next.calls).toBe(0);
    ctx.outAmount = 20n;
    expect((await run(new OutgoingBalanceMiddleware(next, monitor), ctx)).type).toBe(13);
  });

  it('releases on Reject; nothing committed', async () => {
    const b = account('b', { maxBalance: 100n });
    const ctx = context(account('a'));
    ctx.to = b;
    ctx.outAmount = 100n;
    const rule = new OutgoingBalanceMiddleware(
      new StubService(async () => REJECT),
      new SettlementMonitor([]),
    );
    expect(await run(rule, ctx)).toBe(REJECT);
    expect(b.snapshot()).toEqual({ balance: 0n, reservedIncoming: 0n, reservedOutgoing: 0n });
    expect(ctx.creditAccount).toBeUndefined();
  });
});
