/**
 * The queue interface the domain modules use. Two implementations keep the same semantics:
 * BullMQ on Redis when `REDIS_URL` is set (jobs survive a restart and run on any instance), and
 * an in-process queue otherwise (jobs live in memory: every processor must be able to rebuild
 * its work from Postgres at start, which the domain modules do by re-enqueueing unfinished rows).
 */
import { JobName, JobPayloads } from './jobs';

export interface JobOptions {
  /** While a job with this id is waiting, delayed or running, adding it again does nothing. */
  jobId?: string;
  delayMs?: number;
  /** Total tries, the first included (default 10). */
  attempts?: number;
  /** First retry delay; doubles each time, with jitter, capped at `maxBackoffMs` (default 1 s). */
  backoffMs?: number;
  /** Ceiling of the retry delay (default 1 hour, FACTS §11.5). */
  maxBackoffMs?: number;
}

export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  attempt: number,
) => Promise<void>;

/** Thrown by a handler when retrying cannot help: the job ends at once, as failed. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export const DEFAULT_ATTEMPTS = 10;
export const DEFAULT_BACKOFF_MS = 1_000;
export const DEFAULT_MAX_BACKOFF_MS = 3_600_000;

export abstract class JobQueue {
  abstract add<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options?: JobOptions,
  ): Promise<void>;
  /** Registers the one handler for `name`; jobs added before it wait for it. */
  abstract process<N extends JobName>(name: N, handler: JobHandler<N>): void;
  /** Stops taking jobs and waits for the running ones. */
  abstract close(): Promise<void>;
}

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential with "equal jitter"
 * (half fixed, half random) so a crowd of failed jobs does not retry in lock step.
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(exp / 2 + Math.random() * (exp / 2));
}
