/**
 * Server start-up figures: time from process start to a healthy `/health`, and the idle
 * resident memory afterwards, on the embedded database and on a real Postgres. Runs the
 * built server (`dist/`) as `npm start` does, a few times each, and reports medians.
 */
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshDatabase } from './bench-process';
import { BenchRow, median, row, runIfMain } from './bench-row';

const MAIN = resolve(__dirname, '../dist/apps/server/apps/server/src/main.js');

interface StartSample {
  startMs: number;
  rssMiB: number;
}

async function startOnce(env: Record<string, string>, dataDir: string): Promise<StartSample> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The API server alone (the web front end is its own process, measured by nobody here).
      WEB_ENABLED: 'false',
      TOLLGATE_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    const deadline = started + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited early: ${stderr}`);
      if (performance.now() > deadline) throw new Error('server not healthy within 60 s');
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const startMs = performance.now() - started;
    // Let start-up garbage settle, then read the idle footprint.
    await new Promise((r) => setTimeout(r, 1500));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { startMs, rssMiB: kib / 1024 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function runServerBench(runs = 3): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  try {
    // Embedded: the first start creates the database (initdb); later starts reuse it.
    const first = await startOnce({}, dir);
    rows.push(
      row('server first start to healthy (embedded, fresh data dir)', 'ms', first.startMs, null),
    );
    const embedded: StartSample[] = [];
    for (let i = 0; i < runs; i++) embedded.push(await startOnce({}, dir));
    rows.push(
      row('server start to healthy (embedded)', 'ms', median(embedded.map((s) => s.startMs)), null),
    );
    rows.push(
      row('server idle RSS (embedded)', 'MiB', median(embedded.map((s) => s.rssMiB)), null),
    );

    const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    let db: { url: string; drop: () => Promise<void> } | undefined;
    try {
      db = await freshDatabase(serverUrl, 'server');
    } catch (error) {
      process.stderr.write(`skipping real-Postgres start-up rows: ${(error as Error).message}\n`);
    }
    if (db) {
      try {
        const real: StartSample[] = [];
        for (let i = 0; i < runs; i++) real.push(await startOnce({ DATABASE_URL: db.url }, dir));
        rows.push(
          row('server start to healthy (Postgres)', 'ms', median(real.map((s) => s.startMs)), null),
        );
        rows.push(
          row('server idle RSS (Postgres)', 'MiB', median(real.map((s) => s.rssMiB)), null),
        );
      } finally {
        await db.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

runIfMain(module, () => runServerBench());
