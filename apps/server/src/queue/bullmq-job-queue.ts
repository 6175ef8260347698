/**
 * The queue on Redis (BullMQ): jobs survive restarts and any instance may run them. One BullMQ
 * queue per job name, under a key prefix of our own so several nodes (or test runs) can share
 * one Redis. Completed and failed jobs are removed at once: the domain rows in Postgres are the
 * record, and a removed job id can be enqueued again later (dedup holds only while pending).
 */
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import IORedis, { Redis } from 'ioredis';
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

/** What is stored in Redis: the payload plus the back-off settings the strategy needs. */
interface StoredJob {
  payload: unknown;
  backoffMs: number;
  maxBackoffMs: number;
}

const WORKER_CONCURRENCY = 8;

export class BullJobQueue extends JobQueue {
  private readonly connection: Redis;
  private readonly queues = new Map<JobName, Queue<StoredJob>>();
  private readonly workers: Worker<StoredJob>[] = [];
  private readonly logger = new Logger('Queue');

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    super();
    // BullMQ's blocking commands need maxRetriesPerRequest null.
    this.connection = new IORedis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.connection.on('error', (err) => this.logger.warn({ err, msg: 'redis connection error' }));
  }

  async add<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: JobOptions = {},
  ): Promise<void> {
    const data: StoredJob = {
      payload,
      backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
    };
    await this.queue(name).add(name, data, {
      jobId: options.jobId === undefined ? undefined : safeJobId(options.jobId),
      delay: options.delayMs,
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'tollgate' },
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  process<N extends JobName>(name: N, handler: JobHandler<N>): void {
    const worker = new Worker<StoredJob>(
      queueName(name),
      async (job: Job<StoredJob>) => {
        try {
          await handler(job.data.payload as JobPayloads[N], job.attemptsMade + 1);
        } catch (error) {
          if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
          throw error;
        }
      },
      {
        connection: this.connection.duplicate(),
        prefix: this.prefix,
        concurrency: WORKER_CONCURRENCY,
        settings: {
          backoffStrategy: (attemptsMade, _type, _err, job) => {
            const data = (job as Job<StoredJob> | undefined)?.data;
            return retryDelay(
              attemptsMade,
              data?.backoffMs ?? DEFAULT_BACKOFF_MS,
              data?.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
            );
          },
        },
      },
    );
    worker.on('failed', (job, err) => {
      this.logger.log({
        job: name,
        jobId: job?.id,
        attempt: job?.attemptsMade,
        err,
        msg: 'job attempt failed',
      });
    });
    worker.on('error', (err) => this.logger.warn({ err, job: name, msg: 'queue worker error' }));
    this.workers.push(worker);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  private queue(name: JobName): Queue<StoredJob> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<StoredJob>(queueName(name), {
        connection: this.connection,
        prefix: this.prefix,
      });
      this.queues.set(name, queue);
    }
    return queue;
  }
}

function queueName(name: JobName): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** BullMQ refuses ':' and all-digit custom ids. */
function safeJobId(id: string): string {
  return `j-${id.replace(/:/g, '~')}`;
}
