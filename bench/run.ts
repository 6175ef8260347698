/**
 * `npm run bench`: every benchmark, ours beside the reference implementations in the same
 * process, as a table (or, with `--json`, one JSON object per line: the DESIGN.md contract).
 * Medians throughout; absolute figures on shared machines are noisy, ratios less so.
 */
import { BenchRow, formatTable } from './bench-row';
import { runBtpBench } from './btp.bench';
import { runConnectorBench } from './connector.bench';
import { runConnectorCoreBench } from './connector-core.bench';
import { runIlpCoreBench } from './ilp-core.bench';
import { runMerchantBench } from './merchant.bench';
import { runServerBench } from './server.bench';
import { runStreamBench } from './stream.bench';

const SUITES: { name: string; run: () => Promise<BenchRow[]> }[] = [
  { name: 'ilp-core', run: runIlpCoreBench },
  { name: 'btp', run: runBtpBench },
  { name: 'connector-core', run: runConnectorCoreBench },
  { name: 'connector', run: runConnectorBench },
  { name: 'stream', run: runStreamBench },
  { name: 'server', run: () => runServerBench() },
  { name: 'merchant', run: runMerchantBench },
];

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const rows: BenchRow[] = [];
  for (const suite of SUITES) {
    if (only && suite.name !== only) continue;
    const got = await suite.run();
    for (const r of got) {
      rows.push(r);
      if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
    }
  }
  if (!json) process.stdout.write(formatTable(rows));
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
