/**
 * Deadlines for everything the connector waits on (a next hop's reply, a local receiver, a
 * peer-protocol request) without one timer per packet.
 *
 * Waiters are kept in buckets of `resolutionMs` (default 10 ms) keyed by the tick their
 * deadline falls in; one shared timer sweeps due buckets every tick while anything is
 * pending, and stops when nothing is. A waiter that settles normally leaves its bucket at
 * once, so memory holds only what is in flight. A deadline is never enforced early and at
 * most one tick late; callers that must be exact (a Fulfill arriving after expiry) compare
 * the clock themselves too.
 */
import { IlpError, IlpErrorCode } from '@tollgate/ilp-core';
import { Scheduler, TimerHandle } from '../scheduler';

class Waiter<T> {
  settled = false;
  bucket: Set<Waiter<unknown>> | undefined = undefined;

  constructor(
    readonly tick: number,
    readonly resolve: (value: T) => void,
    readonly reject: (error: unknown) => void,
    readonly timeoutMessage: string,
  ) {}
}

export class DeadlineSweeper {
  private readonly buckets = new Map<number, Set<Waiter<unknown>>>();
  private timer: TimerHandle | undefined;
  private lastSweptTick: number;
  private stopped = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly resolutionMs = 10,
  ) {
    this.lastSweptTick = Math.floor(scheduler.now() / resolutionMs);
  }

  /** Waiters not yet settled. */
  get pending(): number {
    let count = 0;
    for (const bucket of this.buckets.values()) count += bucket.size;
    return count;
  }

  /**
   * Settles like `promise`, unless `deadlineMs` passes first: then rejects with
   * IlpError R00 (and whatever `promise` does later is ignored).
   */
  race<T>(promise: Promise<T>, deadlineMs: number, timeoutMessage = 'timed out'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.stopped) {
        reject(new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, 'connector stopped'));
        return;
      }
      const waiter = this.add(deadlineMs, resolve, reject, timeoutMessage);
      promise.then(
        (value) => {
          if (this.settle(waiter)) resolve(value);
        },
        (error: unknown) => {
          if (this.settle(waiter)) reject(error);
        },
      );
    });
  }

  /** Rejects every waiter (T00) and clears the timer. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    const error = new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, 'connector stopped');
    for (const bucket of this.buckets.values()) {
      for (const waiter of bucket) {
        waiter.settled = true;
        waiter.reject(error);
      }
    }
    this.buckets.clear();
  }

  private add<T>(
    deadlineMs: number,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
    timeoutMessage: string,
  ): Waiter<T> {
    let tick = Math.ceil(deadlineMs / this.resolutionMs);
    if (tick <= this.lastSweptTick) tick = this.lastSweptTick + 1; // already due: next sweep
    const waiter = new Waiter<T>(tick, resolve, reject, timeoutMessage);
    let bucket = this.buckets.get(tick);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(tick, bucket);
    }
    bucket.add(waiter as Waiter<unknown>);
    waiter.bucket = bucket as Set<Waiter<unknown>>;
    if (this.timer === undefined) this.arm();
    return waiter;
  }

  /** Marks a waiter settled; false if the deadline got there first. */
  private settle(waiter: Waiter<unknown> | Waiter<never>): boolean {
    if (waiter.settled) return false;
    waiter.settled = true;
    const bucket = waiter.bucket;
    if (bucket !== undefined) {
      bucket.delete(waiter as Waiter<unknown>);
      if (bucket.size === 0 && this.buckets.get(waiter.tick) === bucket)
        this.buckets.delete(waiter.tick);
    }
    return true;
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.scheduler.setTimeout(() => this.sweep(), this.resolutionMs);
  }

  private sweep(): void {
    this.timer = undefined;
    const nowTick = Math.floor(this.scheduler.now() / this.resolutionMs);
    if (nowTick > this.lastSweptTick) {
      if (nowTick - this.lastSweptTick <= this.buckets.size + 16) {
        for (let tick = this.lastSweptTick + 1; tick <= nowTick; tick++) this.expire(tick);
      } else {
        // a long gap (idle or a clock jump): visit the buckets instead of every tick
        for (const tick of [...this.buckets.keys()]) if (tick <= nowTick) this.expire(tick);
      }
      this.lastSweptTick = nowTick;
    }
    if (this.buckets.size > 0) this.arm();
  }

  private expire(tick: number): void {
    const bucket = this.buckets.get(tick);
    if (bucket === undefined) return;
    this.buckets.delete(tick);
    for (const waiter of bucket) {
      waiter.settled = true;
      waiter.reject(new IlpError(IlpErrorCode.R00_TRANSFER_TIMED_OUT, waiter.timeoutMessage));
    }
  }
}
