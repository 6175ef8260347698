/**
 * One row of `npm run bench`: the contract in DESIGN.md. `ours` and `reference` are in
 * `unit`; `ratio` says how many times better ours is (for "higher is better" units it is
 * ours / reference, for "lower is better" units reference / ours), or null when there is
 * no reference to compare with.
 */
export interface BenchRow {
  name: string;
  unit: string;
  ours: number;
  reference: number | null;
  ratio: number | null;
}

/** Units where a smaller figure is better (times, memory). */
const LOWER_IS_BETTER = new Set(['ms', 'us', 'ns', 'MiB', 'KiB', 'bytes']);

export function row(name: string, unit: string, ours: number, reference: number | null): BenchRow {
  let ratio: number | null = null;
  if (reference !== null && ours > 0 && reference > 0) {
    ratio = LOWER_IS_BETTER.has(unit) ? reference / ours : ours / reference;
  }
  return { name, unit, ours, reference, ratio };
}

/** Median of a non-empty list of samples (benchmarks report medians: these machines are noisy). */
export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
