/**
 * How a Prepare's amount is divided among its StreamMoney frames (RFC 29 §5.3): each stream
 * gets amount × shares / totalShares rounded down, and the remainder goes to the
 * lowest-numbered stream that can still take it (below its receive max), so no unit is
 * lost to rounding. (ilp-protocol-stream drops the remainder.) When no stream has room the
 * remainder goes to the lowest-numbered stream and the receive-max check refuses it.
 */
export interface ShareInput {
  streamId: number;
  shares: bigint;
  /** How much more this stream may take (undefined: no limit). */
  room?: bigint;
}

export interface ShareOutput {
  streamId: number;
  amount: bigint;
}

/** Streams named twice are merged first; zero shares get zero. `totalShares` must be > 0. */
export function splitAmount(amount: bigint, inputs: readonly ShareInput[]): ShareOutput[] {
  const merged = new Map<number, ShareInput>();
  for (const input of inputs) {
    const previous = merged.get(input.streamId);
    merged.set(
      input.streamId,
      previous ? { ...previous, shares: previous.shares + input.shares } : { ...input },
    );
  }
  const entries = [...merged.values()].sort((a, b) => a.streamId - b.streamId);
  let totalShares = 0n;
  for (const entry of entries) totalShares += entry.shares;
  if (totalShares === 0n) return entries.map((e) => ({ streamId: e.streamId, amount: 0n }));
  const out = entries.map((e) => ({
    streamId: e.streamId,
    amount: (amount * e.shares) / totalShares,
  }));
  let remainder = amount;
  for (const o of out) remainder -= o.amount;
  if (remainder > 0n) {
    let target = out.findIndex((o, i) => {
      const room = entries[i].room;
      return entries[i].shares > 0n && (room === undefined || room - o.amount >= remainder);
    });
    if (target < 0) target = out.findIndex((_, i) => entries[i].shares > 0n);
    out[target].amount += remainder;
  }
  return out;
}
