/**
 * Durability of balances, as the connector needs it: an append-only journal of balance
 * deltas the app stores in Postgres (one transaction per batch). The connector never reads
 * it back on the packet path; the app loads each account's balance (the sum of its deltas)
 * when it calls `addAccount`.
 */

export type BalanceEntryKind = 'packet' | 'settlement' | 'adjustment';

export interface BalanceEntry {
  accountId: string;
  /** Change of the account's balance (positive = we owe the peer more). */
  delta: bigint;
  kind: BalanceEntryKind;
  /**
   * Why, for settlement and adjustment entries (from `adjustBalance`). Absent on packet
   * entries, which are summed per account within a batch. (Added to the brief's interface:
   * an admin adjustment without its reason cannot be audited.)
   */
  reason?: string;
  /**
   * What a packet credit is for (an invoice, a paid session), when the receiving link said
   * so. Packet entries with a reference are summed per (account, reference).
   */
  ref?: string;
}

export interface JournalBatchInfo {
  /**
   * Unique per batch within this process (`<random prefix>-<counter>`), and the same on
   * every retry of that batch: store it with a unique constraint and a retried append whose
   * first attempt did commit (lost acknowledgement) can be recognised and skipped.
   */
  batchId: string;
}

export interface BalanceJournal {
  /**
   * Persist these deltas atomically; resolves when durable. Called by the connector's
   * group-commit writer, one call at a time. Rejecting means nothing was written; the
   * writer retries the same batch (same batchId) until it succeeds.
   */
  append(entries: readonly BalanceEntry[], info: JournalBatchInfo): Promise<void>;
}

/**
 * A journal in memory, for tests and tools: keeps every batch and the running sum per
 * account. `append` resolves on the next microtask.
 */
export class InMemoryBalanceJournal implements BalanceJournal {
  readonly batches: { entries: readonly BalanceEntry[]; batchId: string }[] = [];
  private readonly sums = new Map<string, bigint>();
  /** When false, batches are counted but not kept (long benchmarks: flat memory). */
  keepBatches = true;
  appendCount = 0;

  async append(entries: readonly BalanceEntry[], info: JournalBatchInfo): Promise<void> {
    this.appendCount++;
    if (this.keepBatches) this.batches.push({ entries: entries.slice(), batchId: info.batchId });
    for (const entry of entries) {
      this.sums.set(entry.accountId, (this.sums.get(entry.accountId) ?? 0n) + entry.delta);
    }
  }

  /** Sum of all durable deltas of one account (what Postgres would return). */
  balance(accountId: string): bigint {
    return this.sums.get(accountId) ?? 0n;
  }

  entries(): BalanceEntry[] {
    return this.batches.flatMap((batch) => batch.entries);
  }
}
