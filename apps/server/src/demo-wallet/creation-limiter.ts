/**
 * How many demo wallets one client address may create per window: a sliding window in
 * memory, bounded in size so a flood of addresses cannot grow it without end.
 */
export class CreationLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    private readonly maxClients = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an attempt; false when this client is over its limit. */
  tryTake(client: string): boolean {
    const now = this.now();
    const times = (this.recent.get(client) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length >= this.perWindow) {
      this.recent.set(client, times);
      return false;
    }
    times.push(now);
    this.recent.delete(client); // re-insert: the Map's order is then oldest activity first
    this.recent.set(client, times);
    while (this.recent.size > this.maxClients) {
      this.recent.delete(this.recent.keys().next().value as string);
    }
    return true;
  }
}
