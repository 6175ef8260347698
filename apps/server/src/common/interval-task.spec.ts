import { describe, expect, it } from 'vitest';
import { IntervalTask } from './interval-task';

describe('IntervalTask', () => {
  it('never runs twice at once: a run asked for during a run joins it', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    let release!: () => void;
    const task = new IntervalTask(
      60_000,
      async () => {
        running++;
        runs++;
        most = Math.max(most, running);
        await new Promise<void>((r) => (release = r));
        running--;
      },
      () => undefined,
    );
    const a = task.runNow();
    const b = task.runNow();
    expect(a).toBe(b);
    release();
    await a;
    expect(most).toBe(1);
    expect(runs).toBe(1);
    const c = task.runNow();
    release();
    await c;
    expect(runs).toBe(2);
  });

  it('reports a failing run and keeps going; stop waits for the run in progress', async () => {
    const errors: unknown[] = [];
    let finished = false;
    let fail = true;
    const task = new IntervalTask(
      60_000,
      async () => {
        if (fail) throw new Error('boom');
        await new Promise((r) => setTimeout(r, 30));
        finished = true;
      },
      (e) => errors.push(e),
    );
    await task.runNow();
    expect(errors).toHaveLength(1);
    fail = false;
    void task.runNow();
    await task.stop();
    expect(finished).toBe(true);
    await task.runNow(); // stopped: nothing runs
    expect(errors).toHaveLength(1);
  });
});
