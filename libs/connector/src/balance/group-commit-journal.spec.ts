import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../errors';
import { GroupCommitJournal, JournalFlushInfo } from './group-commit-journal';
import { InMemoryBalanceJournal } from './balance-journal';
import { ControlledJournal, ManualScheduler, settle } from '../../test/helpers';

describe('GroupCommitJournal', () => {
  it('writes everything added in one turn as one batch, summed per account', async () => {
    const journal = new InMemoryBalanceJournal();
    const group = new GroupCommitJournal(journal);
    const all = [];
    for (let i = 0; i < 100; i++) all.push(group.addPacket('a', -2n, 'b', 2n));
    all.push(group.add('c', 5n, 'adjustment', 'fix'));
    await Promise.all(all);
    expect(journal.appendCount).toBe(1);
    expect(journal.batches[0].entries).toEqual([
      { accountId: 'a', delta: -200n, kind: 'packet' },
      { accountId: 'b', delta: 200n, kind: 'packet' },
      { accountId: 'c', delta: 5n, kind: 'adjustment', reason: 'fix' },
    ]);
  });

  it('one append in flight; the next batch accumulates and goes right after', async () => {
    const journal = new ControlledJournal();
    const flushed: JournalFlushInfo[] = [];
    const scheduler = new ManualScheduler();
    const group = new GroupCommitJournal(journal, { scheduler, onFlushed: (i) => flushed.push(i) });
    const first = group.addPacket('a', 1n);
    await settle();
    expect(journal.calls).toHaveLength(1);
    const second = [group.addPacket('a', 1n), group.addPacket('a', 1n), group.addPacket('b', 3n)];
    await settle();
    expect(journal.calls).toHaveLength(1); // waiting for the first
    expect(group.pendingCount).toBe(4);
    scheduler.nowMs += 7;
    journal.calls[0].resolve();
    await first;
    await settle();
    expect(journal.calls).toHaveLength(2);
    expect(journal.calls[1].entries).toEqual([
      { accountId: 'a', delta: 2n, kind: 'packet' },
      { accountId: 'b', delta: 3n, kind: 'packet' },
    ]);
    journal.calls[1].resolve();
    await Promise.all(second);
    expect(flushed.map((f) => [f.entries, f.queued])).toEqual([
      [1, 1],
      [2, 3],
    ]);
    expect(flushed[0].waitMs).toBe(7);
  });

  it('keeps adjustments as separate entries and skips sums of zero', async () => {
    const journal = new InMemoryBalanceJournal();
    const group = new GroupCommitJournal(journal);
    await Promise.all([group.addPacket('a', 5n), group.addPacket('a', -5n)]);
    expect(journal.appendCount).toBe(0); // nothing to write: resolved anyway
    await Promise.all([
      group.add('a', 1n, 'settlement', 's1'),
      group.add('a', 1n, 'settlement', 's2'),
    ]);
    expect(journal.batches[0].entries).toHaveLength(2);
  });

  it('retries a failed append forever with exponential back-off, same batch id, nothing lost', async () => {
    const journal = new ControlledJournal();
    const scheduler = new ManualScheduler();
    const retries: number[] = [];
    const group = new GroupCommitJournal(journal, {
      scheduler,
      retryInitialMs: 10,
      retryMaxMs: 40,
      onError: (_e, info) => retries.push(info.retryInMs),
    });
    let done = false;
    const durable = group.addPacket('a', -9n, 'b', 9n).then(() => (done = true));
    await settle();
    for (let attempt = 0; attempt < 5; attempt++) {
      journal.calls[attempt].reject(new Error('db down'));
      await settle();
      await scheduler.advance(40);
    }
    expect(retries).toEqual([10, 20, 40, 40, 40]);
    expect(new Set(journal.calls.map((c) => c.info.batchId)).size).toBe(1);
    expect(done).toBe(false);
    expect(group.pendingEntries()).toEqual([
      { accountId: 'a', delta: -9n, kind: 'packet' },
      { accountId: 'b', delta: 9n, kind: 'packet' },
    ]);
    journal.calls[5].resolve();
    await durable;
    expect(journal.sum('a')).toBe(-9n);
    expect(journal.sum('b')).toBe(9n);
  });

  it('a journal that throws synchronously is retried too', async () => {
    let calls = 0;
    const scheduler = new ManualScheduler();
    const group = new GroupCommitJournal(
      {
        append: () => {
          calls++;
          if (calls === 1) throw new Error('sync');
          return Promise.resolve();
        },
      },
      { scheduler, retryInitialMs: 5 },
    );
    const durable = group.addPacket('a', 1n);
    await settle();
    await scheduler.advance(5);
    await durable;
    expect(calls).toBe(2);
  });

  it('with maxDelayMs, waits for the delay or maxEntries, whichever first', async () => {
    const journal = new InMemoryBalanceJournal();
    const scheduler = new ManualScheduler();
    const group = new GroupCommitJournal(journal, { scheduler, maxDelayMs: 5, maxEntries: 3 });
    group.addPacket('a', 1n);
    await settle();
    expect(journal.appendCount).toBe(0);
    await scheduler.advance(5);
    expect(journal.appendCount).toBe(1);
    group.addPacket('a', 1n);
    group.addPacket('a', 1n);
    group.addPacket('a', 1n); // third addition: flush at once
    await settle();
    expect(journal.appendCount).toBe(2);
  });

  it('flushed() resolves after everything queued so far; stop() rejects the waiters', async () => {
    const journal = new ControlledJournal();
    const group = new GroupCommitJournal(journal);
    const waiter = group.addPacket('a', 1n);
    const all = group.flushed();
    await settle();
    journal.calls[0].resolve();
    await all;
    await waiter;
    const abandoned = group.addPacket('a', 2n);
    group.stop();
    await expect(abandoned).rejects.toBeInstanceOf(ConnectorError);
    expect(() => group.addPacket('a', 1n)).toThrow(ConnectorError);
  });

  it('a throwing observer does not stop the writer', async () => {
    const journal = new InMemoryBalanceJournal();
    const group = new GroupCommitJournal(journal, {
      onFlushed: () => {
        throw new Error('metrics broke');
      },
    });
    await group.addPacket('a', 1n);
    await group.addPacket('a', 1n);
    expect(journal.appendCount).toBe(2);
  });
});
