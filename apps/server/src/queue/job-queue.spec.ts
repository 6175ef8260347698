/**
 * One behaviour, two implementations: every case runs on the in-process queue and, when
 * REDIS_URL is set (CI), on BullMQ against the real Redis under a prefix of its own.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BullJobQueue } from './bullmq-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue, PermanentJobError, retryDelay } from './job-queue';

const redisUrl = process.env.REDIS_URL;

const implementations: [string, (() => JobQueue) | undefined][] = [
  ['in-process', () => new InProcessJobQueue()],
  [
    'bullmq',
    redisUrl
      ? () => new BullJobQueue(redisUrl, `tollgate-test-${randomBytes(4).toString('hex')}`)
      : undefined,
  ],
];

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe.each(implementations)('%s job queue', (_name, make) => {
  const queues: JobQueue[] = [];
  const open = (): JobQueue => {
    const queue = make!();
    queues.push(queue);
    return queue;
  };
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });

  it.skipIf(!make)('runs a job added before its handler is registered', async () => {
    const queue = open();
    const seen = deferred<string>();
    await queue.add('settlement.send', { settlementId: 'a' });
    queue.process('settlement.send', async (payload) => seen.resolve(payload.settlementId));
    expect(await seen.promise).toBe('a');
  });

  it.skipIf(!make)('retries with back-off until the handler succeeds', async () => {
    const queue = open();
    const attempts: number[] = [];
    const done = deferred();
    queue.process('settlement.send', async (_payload, attempt) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Error('engine down');
      done.resolve();
    });
    await queue.add('settlement.send', { settlementId: 'b' }, { backoffMs: 20, attempts: 5 });
    await done.promise;
    expect(attempts).toEqual([1, 2, 3]);
  });

  it.skipIf(!make)('stops at a PermanentJobError and at the attempt limit', async () => {
    const queue = open();
    const calls = new Map<string, number>();
    queue.process('settlement.send', async ({ settlementId }) => {
      calls.set(settlementId, (calls.get(settlementId) ?? 0) + 1);
      if (settlementId === 'permanent') throw new PermanentJobError('refused for good');
      throw new Error('still down');
    });
    await queue.add('settlement.send', { settlementId: 'permanent' }, { backoffMs: 10 });
    await queue.add('settlement.send', { settlementId: 'limited' }, { backoffMs: 10, attempts: 2 });
    await waitFor(() => calls.get('permanent') === 1 && calls.get('limited') === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls.get('permanent')).toBe(1);
    expect(calls.get('limited')).toBe(2);
  });

  it.skipIf(!make)(
    'keeps one job per id while it is pending, and takes it again once done',
    async () => {
      const queue = open();
      const release = deferred();
      let runs = 0;
      const second = deferred();
      queue.process('settlement.send', async () => {
        runs += 1;
        if (runs === 1) await release.promise;
        else second.resolve();
      });
      await queue.add('settlement.send', { settlementId: 'c' }, { jobId: 'settle:c' });
      await waitFor(() => runs === 1);
      await queue.add('settlement.send', { settlementId: 'c' }, { jobId: 'settle:c' });
      await queue.add('settlement.send', { settlementId: 'c' }, { jobId: 'settle:c' });
      release.resolve();
      await new Promise((r) => setTimeout(r, 200));
      expect(runs).toBe(1);
      await queue.add('settlement.send', { settlementId: 'c' }, { jobId: 'settle:c' });
      await second.promise;
      expect(runs).toBe(2);
    },
  );

  it.skipIf(!make)('waits for a delayed job', async () => {
    const queue = open();
    const ran = deferred<number>();
    queue.process('settlement.send', async () => ran.resolve(Date.now()));
    const added = Date.now();
    await queue.add('settlement.send', { settlementId: 'd' }, { delayMs: 150 });
    expect((await ran.promise) - added).toBeGreaterThanOrEqual(140);
  });
});

describe('retryDelay', () => {
  it('doubles from the base, with jitter in the upper half, up to the cap', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const full = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      const delay = retryDelay(attempt, 1000, 60_000);
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
