import { describe, expect, it } from 'vitest';
import { GroupCommitJournal } from '../balance/group-commit-journal';
import { JournalMiddleware } from './journal.middleware';
import { account, context, REJECT, run, StubService } from '../../test/chain-harness';
import { ControlledJournal, settle } from '../../test/helpers';

describe('JournalMiddleware', () => {
  it('holds a Fulfill until both deltas are durable', async () => {
    const journal = new ControlledJournal();
    const next = new StubService(async (ctx) => {
      ctx.debitAccount = 'a';
      ctx.debit = -10n;
      ctx.creditAccount = 'b';
      ctx.credit = 9n;
      return { type: 13, fulfillment: new Uint8Array(32), data: new Uint8Array() } as const;
    });
    const rule = new JournalMiddleware(next, new GroupCommitJournal(journal));
    let done = false;
    const reply = run(rule, context(account('a'))).then((r) => {
      done = true;
      return r;
    });
    await settle();
    expect(done).toBe(false);
    expect(journal.calls[0].entries).toEqual([
      { accountId: 'a', delta: -10n, kind: 'packet' },
      { accountId: 'b', delta: 9n, kind: 'packet' },
    ]);
    journal.calls[0].resolve();
    expect((await reply).type).toBe(13);
  });

  it('passes Rejects straight through and writes nothing', async () => {
    const journal = new ControlledJournal();
    const rule = new JournalMiddleware(
      new StubService(async () => REJECT),
      new GroupCommitJournal(journal),
    );
    expect(await run(rule, context(account('a')))).toBe(REJECT);
    await settle();
    expect(journal.calls).toHaveLength(0);
  });

  it('a Fulfill without balance changes (amount 0) is not journaled', async () => {
    const journal = new ControlledJournal();
    const rule = new JournalMiddleware(new StubService(), new GroupCommitJournal(journal));
    expect((await run(rule, context(account('a'), { amount: 0n }))).type).toBe(13);
    expect(journal.calls).toHaveLength(0);
  });

  it('T00 when the journal has been stopped (the Fulfill is not released)', async () => {
    const group = new GroupCommitJournal(new ControlledJournal());
    group.stop();
    const next = new StubService(async (ctx) => {
      ctx.debitAccount = 'a';
      ctx.debit = -1n;
      return { type: 13, fulfillment: new Uint8Array(32), data: new Uint8Array() } as const;
    });
    expect(await run(new JournalMiddleware(next, group), context(account('a')))).toMatchObject({
      code: 'T00',
      triggeredBy: 'test.node',
    });
  });
});
