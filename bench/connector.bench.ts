/**
 * Connector figures over the wire: Tollgate's connector beside the reference `ilp-connector`
 * (23.0.2), each in its own process with the same two child accounts (alice pays, bob is
 * paid), driven by the same load generator (bench/connector/load-generator.ts): Tollgate
 * BtpClients as alice and as a bob that answers every Prepare with its precomputed
 * Fulfill, so STREAM's cost is out of the picture.
 *
 * - Tollgate: the built server (`dist/`, built by `npm run bench`), balances journaled by
 *   the group-commit writer to a fresh database on the local Postgres (`DATABASE_URL`'s
 *   server, default postgres://postgres@127.0.0.1:5432; created and dropped here). A
 *   Fulfill leaves Tollgate only once its batch is committed. Without a reachable Postgres
 *   it falls back to the embedded database and says so in the row names.
 * - Reference: bench/connector/reference-connector.js (ilp-plugin-btp listeners, balances
 *   on, rate limit raised, no route broadcasts to the children, in-memory store).
 *
 * Method: per connector a warm-up and a short closed loop at each IN_FLIGHT value (128 and
 * 512 packets outstanding); its saturation point is the faster of the two. (The reference
 * is CPU-bound from ~64 in flight on; Tollgate's closed-loop rate is bounded by in-flight /
 * journal commit time until far more are in flight, because a Fulfill waits for its
 * group commit, so 128 alone would not saturate it.) Then ROUNDS
 * rounds alternating between the two connectors (so background noise hits both alike):
 * saturation = closed loop at that connector's in-flight count; half load = open loop at
 * 50 % of the rate it just reached at saturation (latency from the actual send to the
 * reply; see load-generator.ts). Per phase: fulfilled packets/s, the connector process's
 * CPU (utime + stime from /proc, all threads) per packet, p50/p99 latency; at the end its
 * peak RSS (VmHWM). Medians over the rounds. Every packet is unique (ilp-connector
 * deduplicates identical Prepares). Every reply must be a Fulfill (rejects are counted and
 * reported; a run with rejects is not valid), and Tollgate's balances — live and in
 * Postgres — must equal the fulfilled amount, as must the reference's.
 *
 * Not in the connector's CPU figure: the Postgres server processes (reported on their own
 * row when measurable). The generator shares the machine's cores with the connector, so
 * "saturation" is the saturation of the whole set-up.
 *
 * Run alone with `npx nest build server && npx tsx bench/connector.bench.ts` (prints every
 * phase, with the kernel's share of the CPU, the generator's own CPU and Tollgate's journal
 * batches). Environment: BENCH_CONNECTOR_VERBOSE=1 prints the phases under bench/run.ts
 * too; BENCH_CONNECTOR_ROUNDS (default 3); BENCH_CONNECTOR_IN_FLIGHT (default "128,512");
 * BENCH_CONNECTOR_CPU_PROF=<dir> runs the Tollgate server under `node --cpu-prof` and
 * leaves its profile there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BtpClient } from '@tollgate/btp';
import { Client } from 'pg';
import {
  type Database,
  freePort,
  freshDatabase,
  sleep,
  stopProcess,
  waitHealthy,
} from './bench-process';
import { BenchRow, median, row, runIfMain } from './bench-row';
import {
  PacketPool,
  PhaseResult,
  Target,
  peakRssMiB,
  processCpuMicros,
  rssMiB,
  runClosedLoop,
  runOpenLoop,
} from './connector/load-generator';

const MAIN = resolve(__dirname, '../dist/apps/server/apps/server/src/main.js');
const REFERENCE_LAUNCHER = resolve(__dirname, 'connector/reference-connector.js');

/**
 * Packets kept in flight by the closed loop: each connector is tried at each of these and
 * runs its saturation rounds at the one where it was fastest (BENCH_CONNECTOR_IN_FLIGHT,
 * comma-separated, overrides).
 */
const IN_FLIGHT = (process.env.BENCH_CONNECTOR_IN_FLIGHT ?? '128,512').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_CONNECTOR_ROUNDS ?? 3);
const WARMUP_MS = 3_000;
const SEARCH_MS = 2_500;
const SATURATION_MS = 4_000;
const HALF_LOAD_MS = 4_000;
/** Amount of every packet (USD, scale 2: one dollar). */
const AMOUNT = 100n;
const ADMIN_TOKEN = 'connector-bench-admin-token-0123456789';
const TOKENS = { alice: 'alice-bench-token-0123456789', bob: 'bob-bench-token-0123456789' };
const REFERENCE_SECRET = 'reference-bench-secret';

const verbose = process.env.BENCH_CONNECTOR_VERBOSE === '1' || require.main === module;
const log = (line: string): void => {
  if (verbose && line) process.stderr.write(`${line}\n`);
};

interface Connector extends Target {
  /** Throws when the balances do not match `fulfilledAmount`. */
  checkBalances(fulfilledAmount: bigint): Promise<void>;
  /** CPU µs used so far by the database server processes this connector writes to, if known. */
  databaseCpuMicros(): Promise<number | undefined>;
  /** Group-commit journal counters so far (Tollgate's /metrics), for the verbose report. */
  journalStats(): Promise<JournalStats | undefined>;
  close(): Promise<void>;
}

interface JournalStats {
  batches: number;
  /** Balance changes queued (two per packet: one per side). */
  queued: number;
  lagSeconds: number;
}

function metricValue(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

function btpClient(url: string, username: string, token: string): BtpClient {
  return new BtpClient({ url, username, token, pingIntervalMs: 0, reconnect: false });
}

async function connectWithRetry(client: BtpClient, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await client.connect();
      return;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Postgres

/** CPU of the Postgres backends serving `database` (same machine; /proc is world-readable). */
async function backendsCpuMicros(serverUrl: string, database: string): Promise<number | undefined> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    let total = 0;
    for (const r of rows) total += processCpuMicros(r.pid);
    return total;
  } catch {
    return undefined;
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------
// Tollgate

async function startTollgate(db: Database | undefined, serverUrl: string, dataDir: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const profileDir = process.env.BENCH_CONNECTOR_CPU_PROF;
  const child = spawn(
    process.execPath,
    [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), MAIN],
    {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        // The connector alone: no web front end beside it.
        WEB_ENABLED: 'false',
        ADMIN_TOKEN,
        TOLLGATE_DATA_DIR: dataDir,
        ...(db ? { DATABASE_URL: db.url } : {}),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString();
  });
  const clients: BtpClient[] = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await stopProcess(child);
  };
  try {
    await waitHealthy(base, child, () => stderr);
    const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    for (const id of ['alice', 'bob'] as const) {
      await admin('POST', '/api/admin/accounts', {
        id,
        assetCode: 'USD',
        assetScale: 2,
        relation: 'child',
        link: 'btp',
        incomingToken: TOKENS[id],
        minBalance: '-1000000000000000',
      });
    }
    const sender = btpClient(`ws://127.0.0.1:${port}/btp`, 'alice', TOKENS.alice);
    const receiver = btpClient(`ws://127.0.0.1:${port}/btp`, 'bob', TOKENS.bob);
    clients.push(sender, receiver);
    await Promise.all([sender.connect(), receiver.connect()]);
    const connector: Connector = {
      name: 'Tollgate',
      pid: child.pid!,
      sender,
      receiver,
      destination: 'test.tollgate.bob',
      close,
      async checkBalances(amount) {
        const alice = (await admin('GET', '/api/admin/accounts/alice')) as Record<string, string>;
        const bob = (await admin('GET', '/api/admin/accounts/bob')) as Record<string, string>;
        const problems: string[] = [];
        if (BigInt(alice.balance) !== -amount) problems.push(`alice live ${alice.balance}`);
        if (BigInt(bob.balance) !== amount) problems.push(`bob live ${bob.balance}`);
        for (const a of [alice, bob]) {
          if (a.reservedIncoming !== '0' || a.reservedOutgoing !== '0')
            problems.push(`${a.id} still reserves ${a.reservedIncoming}/${a.reservedOutgoing}`);
        }
        if (db) {
          // Every Fulfill that reached the sender was durable first: Postgres must agree now.
          const c = new Client({ connectionString: db.url });
          await c.connect();
          try {
            const { rows } = await c.query<{ id: string; balance: string }>(
              `SELECT id, balance::text AS balance FROM accounts WHERE id IN ('alice', 'bob')`,
            );
            const stored = new Map(rows.map((r) => [r.id, BigInt(r.balance)]));
            if (stored.get('alice') !== -amount)
              problems.push(`alice in Postgres ${stored.get('alice')}`);
            if (stored.get('bob') !== amount) problems.push(`bob in Postgres ${stored.get('bob')}`);
          } finally {
            await c.end();
          }
        }
        if (problems.length > 0) {
          throw new Error(
            `Tollgate balances do not match the ${amount} fulfilled: ${problems.join(', ')}`,
          );
        }
      },
      databaseCpuMicros: async () => (db ? backendsCpuMicros(serverUrl, db.name) : undefined),
      async journalStats() {
        const text = await fetch(`${base}/metrics`).then((r) => (r.ok ? r.text() : ''));
        const stats = {
          batches: metricValue(text, 'tollgate_journal_batch_entries_count'),
          queued: metricValue(text, 'tollgate_journal_batch_entries_sum'),
          lagSeconds: metricValue(text, 'tollgate_journal_lag_seconds_sum'),
        };
        return Number.isNaN(stats.batches + stats.queued + stats.lagSeconds) ? undefined : stats;
      },
    };
    return connector;
  } catch (error) {
    await close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// Reference

async function startReference(): Promise<Connector> {
  const [alicePort, bobPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      REFERENCE_LAUNCHER,
      JSON.stringify({ alicePort, bobPort, adminPort, secret: REFERENCE_SECRET }),
    ],
    {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString();
  });
  const messages: string[] = [];
  const waiters: (() => void)[] = [];
  child.on('message', (m: { type: string }) => {
    messages.push(m.type);
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = async (type: string): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while (!messages.includes(type)) {
      if (child.exitCode !== null) throw new Error(`reference connector exited: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`reference connector: no ${type}: ${stderr}`);
      await Promise.race([new Promise<void>((r) => waiters.push(r)), sleep(100)]);
    }
  };
  const clients: BtpClient[] = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await stopProcess(child);
  };
  try {
    await waitFor('listening');
    const sender = btpClient(`ws://127.0.0.1:${alicePort}`, 'alice', REFERENCE_SECRET);
    const receiver = btpClient(`ws://127.0.0.1:${bobPort}`, 'bob', REFERENCE_SECRET);
    clients.push(sender, receiver);
    await Promise.all([connectWithRetry(sender, child), connectWithRetry(receiver, child)]);
    await waitFor('ready');
    return {
      name: 'ilp-connector',
      pid: child.pid!,
      sender,
      receiver,
      destination: 'test.refconn.bob',
      close,
      async checkBalances(amount) {
        const res = await fetch(`http://127.0.0.1:${adminPort}/balance`);
        const status = (await res.json()) as { accounts: Record<string, { balance: string }> };
        // Its balances are from the connector's side: alice owes it, it owes bob.
        const alice = status.accounts.alice?.balance;
        const bob = status.accounts.bob?.balance;
        if (alice !== String(amount) || bob !== String(-amount)) {
          throw new Error(
            `ilp-connector balances do not match the ${amount} fulfilled: alice ${alice}, bob ${bob}`,
          );
        }
      },
      databaseCpuMicros: async () => undefined,
      journalStats: async () => undefined,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// The run

interface Tally {
  saturation: PhaseResult[];
  half: PhaseResult[];
  fulfilledAmount: bigint;
  rejected: number;
  firstFailure?: string;
  /** Highest packets/s seen, to size the next pool. */
  bestRate: number;
  /** Packets in flight of its saturation rounds. */
  inFlight: number;
  databaseCpuPerPacketUs: number[];
}

function describe(c: Connector, phase: string, r: PhaseResult): string {
  const name = c.name;
  const extra = [
    r.maxSendLagMs !== undefined ? `send lag ≤ ${r.maxSendLagMs.toFixed(1)} ms` : '',
    r.poolExhausted ? 'pool used up' : '',
    r.rejected + r.errors > 0 ? `${r.rejected} rejects, ${r.errors} errors: ${r.firstFailure}` : '',
  ].filter(Boolean);
  return (
    `  ${name.padEnd(13)} ${phase.padEnd(22)} ${Math.round(r.packetsPerSecond)
      .toString()
      .padStart(6)} pkt/s  ` +
    `${r.cpuPerPacketUs.toFixed(1).padStart(6)} µs CPU/pkt (${r.systemCpuPerPacketUs.toFixed(1)} sys; generator ${r.generatorCpuPerPacketUs.toFixed(1)})  p50 ${r.p50Ms.toFixed(2)} ms  ` +
    `p99 ${r.p99Ms.toFixed(2)} ms  RSS ${rssMiB(c.pid).toFixed(0)} MiB${extra.length ? `  (${extra.join('; ')})` : ''}`
  );
}

function describeJournal(before: JournalStats, after: JournalStats | undefined): string {
  if (!after) return '';
  const batches = after.batches - before.batches;
  if (batches <= 0) return '';
  const packets = (after.queued - before.queued) / 2;
  const lagMs = ((after.lagSeconds - before.lagSeconds) * 1000) / batches;
  return `                journal: ${batches} batches, ${(packets / batches).toFixed(1)} packets each, mean lag ${lagMs.toFixed(2)} ms`;
}

function account(t: Tally, r: PhaseResult): void {
  t.fulfilledAmount += r.fulfilledAmount;
  t.rejected += r.rejected + r.errors;
  t.firstFailure ??= r.firstFailure;
  t.bestRate = Math.max(t.bestRate, r.packetsPerSecond);
}

async function closedPhase(
  c: Connector,
  t: Tally,
  inFlight: number,
  durationMs: number,
  label: string,
) {
  const pool = new PacketPool(
    Math.ceil((t.bestRate * 1.8 * durationMs) / 1000) + 5_000,
    c.destination,
    AMOUNT,
  );
  const dbBefore = await c.databaseCpuMicros();
  const journalBefore = verbose ? await c.journalStats() : undefined;
  const r = await runClosedLoop(c, pool, inFlight, durationMs);
  const dbAfter = await c.databaseCpuMicros();
  account(t, r);
  log(describe(c, label, r));
  if (journalBefore) log(describeJournal(journalBefore, await c.journalStats()));
  if (dbBefore !== undefined && dbAfter !== undefined && r.fulfilled > 0) {
    // Backends that came or went between the two reads make this approximate.
    t.databaseCpuPerPacketUs.push(Math.max(0, dbAfter - dbBefore) / r.fulfilled);
  }
  return r;
}

async function openPhase(c: Connector, t: Tally, rate: number, durationMs: number) {
  const pool = new PacketPool(Math.ceil((rate * durationMs) / 1000) + 10, c.destination, AMOUNT);
  const journalBefore = verbose ? await c.journalStats() : undefined;
  const r = await runOpenLoop(c, pool, rate, durationMs);
  account(t, r);
  log(describe(c, `half load (${Math.round(rate)}/s)`, r));
  if (journalBefore) log(describeJournal(journalBefore, await c.journalStats()));
  return r;
}

export async function runConnectorBench(): Promise<BenchRow[]> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-connector-bench-'));
  let db: Database | undefined;
  const running: Connector[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const c of running.splice(0).reverse()) await c.close().catch(() => undefined);
    const dropping = db;
    db = undefined;
    await dropping?.drop().catch((error: unknown) => {
      process.stderr.write(`connector bench: could not drop ${dropping.name}: ${String(error)}\n`);
    });
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Interrupted (Ctrl-C): still stop both connectors and drop the database.
  const onSignal = (signal: NodeJS.Signals): void => {
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    try {
      db = await freshDatabase(serverUrl, 'connector');
    } catch (error) {
      process.stderr.write(
        `connector bench: Postgres unreachable (${(error as Error).message}); using the embedded database\n`,
      );
    }
    const suffix = db ? '' : ' (embedded database)';
    const ours = await startTollgate(db, serverUrl, dataDir);
    running.push(ours);
    const reference = await startReference();
    running.push(reference);
    const connectors = [ours, reference];
    const tallies = new Map<Connector, Tally>(
      connectors.map((c) => [
        c,
        {
          saturation: [],
          half: [],
          fulfilledAmount: 0n,
          rejected: 0,
          bestRate: 20_000,
          inFlight: IN_FLIGHT[0],
          databaseCpuPerPacketUs: [],
        },
      ]),
    );
    log(`connector bench: ${ROUNDS} rounds, in flight at saturation: best of ${IN_FLIGHT}`);
    for (const c of connectors) {
      const t = tallies.get(c)!;
      const r = await closedPhase(c, t, IN_FLIGHT[0], WARMUP_MS, `warm-up (${IN_FLIGHT[0]})`);
      t.bestRate = r.packetsPerSecond;
      let best = 0;
      for (const k of IN_FLIGHT) {
        const tried = await closedPhase(c, t, k, SEARCH_MS, `try ${k} in flight`);
        if (tried.packetsPerSecond > best) {
          best = tried.packetsPerSecond;
          t.inFlight = k;
        }
      }
      t.databaseCpuPerPacketUs = [];
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of connectors) {
        const t = tallies.get(c)!;
        t.saturation.push(
          await closedPhase(c, t, t.inFlight, SATURATION_MS, `saturation (${t.inFlight})`),
        );
      }
      for (const c of connectors) {
        const t = tallies.get(c)!;
        const rate = t.saturation[t.saturation.length - 1].packetsPerSecond / 2;
        t.half.push(await openPhase(c, t, rate, HALF_LOAD_MS));
      }
    }
    for (const c of connectors) await c.checkBalances(tallies.get(c)!.fulfilledAmount);
    const rss = connectors.map((c) => peakRssMiB(c.pid));

    const [a, b] = connectors.map((c) => tallies.get(c)!);
    const med = (t: Tally, phase: 'saturation' | 'half', f: (r: PhaseResult) => number) =>
      median(t[phase].map(f));
    const both = (
      name: string,
      unit: string,
      phase: 'saturation' | 'half',
      f: (r: PhaseResult) => number,
    ) => row(`${name}${suffix}`, unit, med(a, phase, f), med(b, phase, f));
    const rows: BenchRow[] = [
      both(
        'connector packets/s at saturation',
        'packets/s',
        'saturation',
        (r) => r.packetsPerSecond,
      ),
      both('connector CPU per packet', 'us', 'saturation', (r) => r.cpuPerPacketUs),
      both('connector CPU per packet at half load', 'us', 'half', (r) => r.cpuPerPacketUs),
      both('connector p50 latency at half load', 'ms', 'half', (r) => r.p50Ms),
      both('connector p99 latency at half load', 'ms', 'half', (r) => r.p99Ms),
      both('connector p99 latency at saturation', 'ms', 'saturation', (r) => r.p99Ms),
      row(`connector peak RSS${suffix}`, 'MiB', rss[0], rss[1]),
    ];
    if (a.databaseCpuPerPacketUs.length > 0) {
      rows.push(
        row(
          'connector Postgres backend CPU per packet (not in the figure above)',
          'us',
          median(a.databaseCpuPerPacketUs),
          null,
        ),
      );
    }
    // Must be 0 on both sides: a run with rejects measures something else.
    rows.push({
      ...row('connector rejected or failed packets (must be 0)', 'packets', a.rejected, b.rejected),
      ratio: null,
    });
    for (const [c, t] of [
      [ours, a],
      [reference, b],
    ] as const) {
      if (t.rejected > 0) {
        process.stderr.write(
          `connector bench: ${c.name} answered ${t.rejected} packets with something other than a Fulfill (first: ${t.firstFailure}); its figures are not valid\n`,
        );
      }
    }
    return rows;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}

runIfMain(module, runConnectorBench);
