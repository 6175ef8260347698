/**
 * Group commit: the writer between fulfilled packets and the BalanceJournal.
 *
 * Every fulfilled packet adds its balance deltas (−x on the account it came from, +y on the
 * account it went to) to the batch being collected and gets that batch's promise; the
 * connector releases the Fulfill upstream only when the promise resolves, so no Fulfill
 * leaves this node before its money is durable. One `append` per batch, one batch in flight
 * at a time; while it is in flight the next batch accumulates and is flushed the moment the
 * previous one is durable. When idle, a batch is flushed on the next turn of the event loop
 * (or after `maxDelayMs`), or at once when it holds `maxEntries` entries.
 *
 * Packet deltas are summed per account within a batch (1,000 packets on one account are
 * one entry): the journal records the same net change in fewer rows. Settlement and
 * adjustment entries are kept one by one, with their reason. A delta that sums to zero is
 * left out.
 *
 * A failed append is retried with exponential back-off, forever: the money already moved
 * downstream and a fulfilled packet cannot be undone, so its deltas are never dropped. The
 * failure is reported through `onError` so the app can alert. Only `stop()` abandons
 * pending batches (their waiters get a ConnectorError(Stopped)); `pendingEntries()` lets a
 * shutdown path save what was not yet written.
 */
import { ConnectorError, ConnectorErrorCode } from '../errors';
import { Scheduler, systemScheduler, TimerHandle } from '../scheduler';
import { BalanceEntry, BalanceEntryKind, BalanceJournal } from './balance-journal';

export interface JournalFlushInfo {
  batchId: string;
  /** Entries written (after summing). */
  entries: number;
  /** Additions that went into the batch (packets count once per side). */
  queued: number;
  /** From the first addition to the batch until it was durable: the journal's lag. */
  waitMs: number;
  attempts: number;
}

export interface JournalErrorInfo {
  batchId: string;
  attempt: number;
  entries: number;
  /** When the next attempt runs. */
  retryInMs: number;
}

export interface GroupCommitOptions {
  /** When idle, flush this long after the first addition (default 0: next event-loop turn). */
  maxDelayMs?: number;
  /** When idle, flush at once once a batch has this many additions (default 10,000). */
  maxEntries?: number;
  /** First retry delay after a failed append (default 50 ms), doubled up to `retryMaxMs`. */
  retryInitialMs?: number;
  /** Longest retry delay (default 5,000 ms). */
  retryMaxMs?: number;
  scheduler?: Scheduler;
  onFlushed?: (info: JournalFlushInfo) => void;
  onError?: (error: unknown, info: JournalErrorInfo) => void;
}

class Batch {
  readonly packetSums = new Map<string, bigint>();
  /** Credits with a reference, summed per (account, reference). */
  readonly refSums = new Map<string, BalanceEntry>();
  readonly others: BalanceEntry[] = [];
  queued = 0;
  attempts = 0;
  entries: BalanceEntry[] = [];
  readonly promise: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;

  constructor(
    readonly id: string,
    readonly firstQueuedMs: number,
  ) {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Waiters may be gone (e.g. an adjustment nobody awaits): never an unhandled rejection.
    this.promise.catch(() => undefined);
  }

  addPacket(accountId: string, delta: bigint): void {
    const sums = this.packetSums;
    const sum = sums.get(accountId);
    sums.set(accountId, sum === undefined ? delta : sum + delta);
    this.queued++;
  }

  addRefPacket(accountId: string, delta: bigint, ref: string): void {
    const key = `${accountId}\n${ref}`;
    const entry = this.refSums.get(key);
    if (entry === undefined) this.refSums.set(key, { accountId, delta, kind: 'packet', ref });
    else entry.delta += delta;
    this.queued++;
  }

  build(): BalanceEntry[] {
    const entries: BalanceEntry[] = [];
    for (const [accountId, delta] of this.packetSums) {
      if (delta !== 0n) entries.push({ accountId, delta, kind: 'packet' });
    }
    for (const entry of this.refSums.values()) if (entry.delta !== 0n) entries.push(entry);
    for (const entry of this.others) entries.push(entry);
    return entries;
  }
}

/** Runs an observer hook; a throwing hook must not stop the writer. */
function safely(hook: () => void): void {
  try {
    hook();
  } catch {
    // observers are not allowed to break durability
  }
}

function randomPrefix(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class GroupCommitJournal {
  private readonly scheduler: Scheduler;
  private readonly maxDelayMs: number;
  private readonly maxEntries: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly idPrefix = randomPrefix();
  private counter = 0;
  private current: Batch | undefined;
  private inFlight: Batch | undefined;
  private flushTimer: TimerHandle | undefined;
  private flushTimerImmediate = false;
  private retryTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly journal: BalanceJournal,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.maxDelayMs = options.maxDelayMs ?? 0;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.retryInitialMs = options.retryInitialMs ?? 50;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
    if (!(this.maxDelayMs >= 0) || !(this.maxEntries >= 1) || !(this.retryInitialMs > 0)) {
      throw new ConnectorError(ConnectorErrorCode.InvalidConfig, 'bad group-commit options');
    }
  }

  /**
   * Queues the deltas of one fulfilled packet (the second pair is optional: local delivery
   * has one side; `refB` says what the second one is for). Resolves when they are durable.
   */
  addPacket(
    accountA: string,
    deltaA: bigint,
    accountB?: string,
    deltaB?: bigint,
    refB?: string,
  ): Promise<void> {
    const batch = this.batch();
    if (accountB === undefined && refB !== undefined) {
      batch.addRefPacket(accountA, deltaA, refB);
    } else {
      batch.addPacket(accountA, deltaA);
    }
    if (accountB !== undefined && deltaB !== undefined) {
      if (refB !== undefined) batch.addRefPacket(accountB, deltaB, refB);
      else batch.addPacket(accountB, deltaB);
    }
    this.checkSize(batch);
    return batch.promise;
  }

  /** Queues one settlement or adjustment entry (kept as is). Resolves when durable. */
  add(accountId: string, delta: bigint, kind: BalanceEntryKind, reason?: string): Promise<void> {
    const batch = this.batch();
    if (kind === 'packet') {
      batch.addPacket(accountId, delta);
    } else {
      batch.others.push(
        reason === undefined ? { accountId, delta, kind } : { accountId, delta, kind, reason },
      );
      batch.queued++;
    }
    this.checkSize(batch);
    return batch.promise;
  }

  /** Resolves when everything queued so far is durable (batches complete in order). */
  flushed(): Promise<void> {
    return (this.current ?? this.inFlight)?.promise ?? Promise.resolve();
  }

  /** Additions not yet durable (in flight or queued). */
  get pendingCount(): number {
    return (this.inFlight?.queued ?? 0) + (this.current?.queued ?? 0);
  }

  /** The entries not yet durable, for a shutdown path that must save them elsewhere. */
  pendingEntries(): BalanceEntry[] {
    const inFlight = this.inFlight ? this.inFlight.entries : [];
    return [...inFlight, ...(this.current ? this.current.build() : [])];
  }

  /**
   * Stops all timers and abandons pending batches: their waiters get ConnectorError(Stopped).
   * Call `flushed()` first for a graceful shutdown.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clearFlushTimer();
    if (this.retryTimer !== undefined) this.scheduler.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const error = new ConnectorError(ConnectorErrorCode.Stopped, 'balance journal stopped');
    this.inFlight?.reject(error);
    this.current?.reject(error);
    this.inFlight = undefined;
    this.current = undefined;
  }

  private batch(): Batch {
    if (this.stopped) {
      throw new ConnectorError(ConnectorErrorCode.Stopped, 'balance journal stopped');
    }
    let batch = this.current;
    if (batch === undefined) {
      batch = new Batch(`${this.idPrefix}-${++this.counter}`, this.scheduler.now());
      this.current = batch;
      // With a batch in flight, its completion flushes this one; otherwise arm the timer.
      if (this.inFlight === undefined) this.armFlushTimer();
    }
    return batch;
  }

  private checkSize(batch: Batch): void {
    if (
      batch.queued >= this.maxEntries &&
      this.inFlight === undefined &&
      !this.flushTimerImmediate
    ) {
      // A zero-delay timer is already about as soon as possible; otherwise flush now.
      this.flush();
    }
  }

  private armFlushTimer(): void {
    const flush = (): void => {
      this.flushTimer = undefined;
      this.flush();
    };
    if (this.maxDelayMs === 0) {
      this.flushTimerImmediate = true;
      this.flushTimer = this.scheduler.setImmediate(flush);
    } else {
      this.flushTimerImmediate = false;
      this.flushTimer = this.scheduler.setTimeout(flush, this.maxDelayMs);
    }
  }

  private clearFlushTimer(): void {
    if (this.flushTimer === undefined) return;
    if (this.flushTimerImmediate) this.scheduler.clearImmediate(this.flushTimer);
    else this.scheduler.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushTimerImmediate = false;
  }

  private flush(): void {
    this.clearFlushTimer();
    const batch = this.current;
    if (this.stopped || this.inFlight !== undefined || batch === undefined) return;
    this.current = undefined;
    batch.entries = batch.build();
    if (batch.entries.length === 0) {
      // everything summed to zero: nothing to write, durable by definition
      batch.resolve();
      return;
    }
    this.inFlight = batch;
    this.attempt(batch);
  }

  private attempt(batch: Batch): void {
    this.retryTimer = undefined;
    if (this.stopped) return;
    batch.attempts++;
    let written: Promise<void>;
    try {
      written = this.journal.append(batch.entries, { batchId: batch.id });
    } catch (error) {
      written = Promise.reject(error);
    }
    written.then(
      () => this.succeeded(batch),
      (error: unknown) => this.failed(batch, error),
    );
  }

  private succeeded(batch: Batch): void {
    if (this.stopped || this.inFlight !== batch) return;
    this.inFlight = undefined;
    batch.resolve();
    const onFlushed = this.options.onFlushed;
    if (onFlushed !== undefined) {
      safely(() =>
        onFlushed({
          batchId: batch.id,
          entries: batch.entries.length,
          queued: batch.queued,
          waitMs: this.scheduler.now() - batch.firstQueuedMs,
          attempts: batch.attempts,
        }),
      );
    }
    // The next batch has been waiting for this one: write it straight away.
    if (this.current !== undefined) this.flush();
  }

  private failed(batch: Batch, error: unknown): void {
    if (this.stopped || this.inFlight !== batch) return;
    const exponent = Math.min(batch.attempts - 1, 30);
    const retryInMs = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** exponent);
    this.retryTimer = this.scheduler.setTimeout(() => this.attempt(batch), retryInMs);
    const onError = this.options.onError;
    if (onError !== undefined) {
      safely(() =>
        onError(error, {
          batchId: batch.id,
          attempt: batch.attempts,
          entries: batch.entries.length,
          retryInMs,
        }),
      );
    }
  }
}
