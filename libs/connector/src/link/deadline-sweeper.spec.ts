import { describe, expect, it } from 'vitest';
import { IlpError } from '@tollgate/ilp-core';
import { DeadlineSweeper } from './deadline-sweeper';
import { ManualScheduler, settle } from '../../test/helpers';

describe('DeadlineSweeper', () => {
  it('rejects with R00 at (never before) the deadline, at most one tick late', async () => {
    const scheduler = new ManualScheduler(1_000_000);
    const sweeper = new DeadlineSweeper(scheduler, 10);
    let error: unknown;
    sweeper
      .race(new Promise(() => undefined), 1_000_105, 'too slow')
      .catch((e: unknown) => (error = e));
    await scheduler.advance(104);
    expect(error).toBeUndefined();
    await scheduler.advance(11);
    expect(error).toBeInstanceOf(IlpError);
    expect((error as IlpError).code).toBe('R00');
    expect((error as IlpError).message).toBe('too slow');
    expect(sweeper.pending).toBe(0);
    expect(scheduler.pendingTimers).toBe(0); // idle: no timer left
  });

  it('settled waiters leave at once (memory holds only what is in flight)', async () => {
    const scheduler = new ManualScheduler(0);
    const sweeper = new DeadlineSweeper(scheduler);
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => sweeper.race(Promise.resolve(i), 30_000 + i)),
    );
    expect(results[999]).toBe(999);
    expect(sweeper.pending).toBe(0);
  });

  it('passes rejections through and ignores a late answer', async () => {
    const scheduler = new ManualScheduler(0);
    const sweeper = new DeadlineSweeper(scheduler);
    await expect(sweeper.race(Promise.reject(new Error('x')), 100)).rejects.toThrow('x');
    let late: (v: number) => void = () => undefined;
    const raced = sweeper.race(new Promise<number>((r) => (late = r)), 50).catch((e: unknown) => e);
    await scheduler.advance(60);
    late(1);
    expect(await raced).toMatchObject({ code: 'R00' });
  });

  it('expires a deadline already in the past at the next sweep, even after a long idle gap', async () => {
    const scheduler = new ManualScheduler(0);
    const sweeper = new DeadlineSweeper(scheduler);
    scheduler.nowMs = 10_000_000;
    const raced = sweeper.race(new Promise(() => undefined), 5).catch((e: unknown) => e);
    await scheduler.advance(10);
    expect(await raced).toMatchObject({ code: 'R00' });
  });

  it('stop() rejects all waiters with T00 and leaves no timer', async () => {
    const scheduler = new ManualScheduler(0);
    const sweeper = new DeadlineSweeper(scheduler);
    const raced = sweeper.race(new Promise(() => undefined), 1_000);
    sweeper.stop();
    await expect(raced).rejects.toMatchObject({ code: 'T00' });
    await expect(sweeper.race(Promise.resolve(1), 5)).rejects.toMatchObject({ code: 'T00' });
    await settle();
    expect(scheduler.pendingTimers).toBe(0);
  });
});
