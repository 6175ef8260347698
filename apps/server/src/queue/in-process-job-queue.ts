/**
 * The queue without Redis: timers in this process. Same contract as the BullMQ queue (dedup
 * by job id while pending, retries with back-off, PermanentJobError ends a job), so domain
 * code and its tests do not care which one runs. Nothing here survives a restart; the
 * domain modules re-enqueue unfinished work from Postgres when they start.
 */
import { Logger } from '@nestjs/common';
import { JobName, JobPayloads } from './jobs';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_BACKOFF_MS,
  JobHandler,
  JobOptions,
  JobQueue,
  PermanentJobError,
  retryDelay,
} from './job-queue';

interface PendingJob {
  name: JobName;
  payload: unknown;
  jobId: string | undefined;
  attempt: number;
  options: Required<Omit<JobOptions, 'jobId' | 'delayMs'>>;
}

export class InProcessJobQueue extends JobQueue {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly waitingForHandler: PendingJob[] = [];
  private readonly pendingIds = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  private readonly logger = new Logger('Queue');

  add<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: JobOptions = {},
  ): Promise<void> {
    if (this.closed) return Promise.reject(new Error('queue is closed'));
    const key = options.jobId === undefined ? undefined : `${name}/${options.jobId}`;
    if (key !== undefined) {
      if (this.pendingIds.has(key)) return Promise.resolve();
      this.pendingIds.add(key);
    }
    const job: PendingJob = {
      name,
      payload,
      jobId: key,
      attempt: 1,
      options: {
        attempts: options.attempts ?? DEFAULT_ATTEMPTS,
        backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
        maxBackoffMs: options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
      },
    };
    this.schedule(job, options.delayMs ?? 0);
    return Promise.resolve();
  }

  process<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`a handler for ${name} is already registered`);
    this.handlers.set(name, handler as JobHandler<JobName>);
    for (let i = this.waitingForHandler.length - 1; i >= 0; i--) {
      const job = this.waitingForHandler[i];
      if (job.name !== name) continue;
      this.waitingForHandler.splice(i, 1);
      this.schedule(job, 0);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(job: PendingJob, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.run(job).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    this.timers.add(timer);
  }

  private async run(job: PendingJob): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) {
      this.waitingForHandler.push(job);
      return;
    }
    try {
      await handler(job.payload as never, job.attempt);
      this.finish(job);
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      if (permanent || job.attempt >= job.options.attempts || this.closed) {
        this.logger.warn({
          job: job.name,
          jobId: job.jobId,
          attempt: job.attempt,
          err: error,
          msg: permanent ? 'job failed permanently' : 'job failed, no attempts left',
        });
        this.finish(job);
        return;
      }
      const delay = retryDelay(job.attempt, job.options.backoffMs, job.options.maxBackoffMs);
      this.logger.log({
        job: job.name,
        jobId: job.jobId,
        attempt: job.attempt,
        retryInMs: delay,
        err: error,
        msg: 'job failed, will retry',
      });
      job.attempt += 1;
      this.schedule(job, delay);
    }
  }

  private finish(job: PendingJob): void {
    if (job.jobId !== undefined) this.pendingIds.delete(job.jobId);
  }
}
