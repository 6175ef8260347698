/**
 * Which sequence numbers a receiver has already taken (RFC 29: a receiver must not act on
 * the same Prepare twice). Senders never reuse a sequence, but packets in flight together
 * can arrive in any order, so a sliding window is kept: the highest sequence seen and every
 * sequence seen within `size` below it. Anything older than the window, or seen before, is
 * refused. Memory is bounded by the window size.
 */
export class ReplayWindow {
  private highest = -1;
  private readonly seen = new Set<number>();

  constructor(readonly size = 1024) {}

  /** True (and the sequence is recorded) the first time; false for a replay or a stale one. */
  accept(sequence: number): boolean {
    if (sequence <= this.highest - this.size) return false;
    if (this.seen.has(sequence)) return false;
    this.seen.add(sequence);
    if (sequence > this.highest) {
      this.highest = sequence;
      if (this.seen.size > 2 * this.size) this.prune();
    }
    return true;
  }

  private prune(): void {
    const floor = this.highest - this.size;
    for (const sequence of this.seen) if (sequence <= floor) this.seen.delete(sequence);
  }
}
