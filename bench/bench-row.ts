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

function formatNumber(n: number | null): string {
  if (n === null) return '-';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(3);
}

/** The human-readable table of `npm run bench`. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['name', 'unit', 'ours', 'reference', 'ratio'];
  const cells = rows.map((r) => [
    r.name,
    r.unit,
    formatNumber(r.ours),
    formatNumber(r.reference),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return (
    [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') +
    '\n'
  );
}

/**
 * Lets a suite file run on its own (`npx tsx bench/x.bench.ts`): prints its table, or one
 * JSON object per row with `--json`, as `npm run bench -- --only=x` would.
 */
export function runIfMain(mod: NodeModule, run: () => Promise<BenchRow[]>): void {
  if (require.main !== mod) return;
  run().then(
    (rows) => {
      if (process.argv.includes('--json')) {
        for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
      } else {
        process.stdout.write(formatTable(rows));
      }
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
