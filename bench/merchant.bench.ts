/**
 * Merchant figures through the whole built server (`dist/`, built by `npm run bench`) on a
 * fresh database on the local Postgres (`DATABASE_URL`'s server, default
 * postgres://postgres@127.0.0.1:5432; created and dropped here; without one it falls back to
 * the embedded database and says so in the row names):
 *
 * - invoices created per second over REST (`POST /api/invoices` with a merchant key), one
 *   request at a time and with REST_CONCURRENCY in flight, each for REST_MS after a warm-up;
 * - concurrent checkouts: CHECKOUTS invoices paid at once, each by its own customer (a BTP
 *   child account with its own link, connected beforehand as a wallet would be) running our
 *   STREAM client: SPSP query for the invoice, STREAM handshake, payment of the amount due.
 *   A checkout's latency runs from its start to the Fulfill of its last packet (which the
 *   node releases only once the credit is durable in Postgres); checkouts per second =
 *   CHECKOUTS / time from the common start to the last one paid. ROUNDS rounds: median
 *   throughput, p50 / p99 over every checkout. Every invoice must then read `paid` with
 *   exactly its amount received, or the run fails;
 * - the CLI: `tollgate pay` of one invoice as a process (the compiled CLI through
 *   bin/tollgate.js), from spawn to exit, median of CLI_RUNS.
 *
 * There is no reference implementation of a merchant server here: reference and ratio are
 * empty. Run alone with `npx nest build server && npx nest build cli && npx tsx
 * bench/merchant.bench.ts`. Environment: BENCH_MERCHANT_CHECKOUTS (default 100),
 * BENCH_MERCHANT_ROUNDS (default 3).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BtpClient } from '@tollgate/btp';
import {
  deserializeIlpReply,
  deserializePrepare,
  serializeIlpPacket,
  serializePrepare,
} from '@tollgate/ilp-core';
import { querySpsp } from '@tollgate/spsp';
import { StreamConnection } from '@tollgate/stream';
import { nodeStreamCrypto } from '@tollgate/stream/node';
import {
  type Database,
  freePort,
  freshDatabase,
  sleep,
  stopProcess,
  waitHealthy,
} from './bench-process';
import { BenchRow, median, row, runIfMain } from './bench-row';

const MAIN = resolve(__dirname, '../dist/apps/server/apps/server/src/main.js');
const CLI = resolve(__dirname, '../bin/tollgate.js');
const CHECKOUTS = Number(process.env.BENCH_MERCHANT_CHECKOUTS ?? 100);
const ROUNDS = Number(process.env.BENCH_MERCHANT_ROUNDS ?? 3);
const REST_WARMUP_MS = 1_000;
const REST_MS = 3_000;
const REST_CONCURRENCY = 32;
const CLI_RUNS = 5;
/** Every invoice: 12.50 USD (scale 2), paid in the same asset. */
const INVOICE_AMOUNT = 1250n;
const ADMIN_TOKEN = 'merchant-bench-admin-token-0123456789';

/** Nearest-rank percentile of samples (ms). */
function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

interface Server {
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(db: Database | undefined, dataDir: string): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      WEB_ENABLED: 'false',
      ADMIN_TOKEN,
      TOLLGATE_DATA_DIR: dataDir,
      // Throughput is measured from one key and one IP: the rate limits must not be what
      // is measured.
      RATE_LIMIT_API_BURST: '1000000',
      RATE_LIMIT_API_PER_SECOND: '1000000',
      RATE_LIMIT_IP_BURST: '1000000',
      RATE_LIMIT_IP_PER_SECOND: '1000000',
      ...(db ? { DATABASE_URL: db.url } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString();
  });
  const stop = () => stopProcess(child);
  try {
    await waitHealthy(base, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, child, stop };
}

async function call<T>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

interface Invoice {
  id: string;
  amount: string;
  received: string;
  status: string;
  spspUrl: string;
  paymentPointer: string;
}

// ---------------------------------------------------------------------------------------
// REST: invoices created per second

async function createInvoices(
  base: string,
  key: string,
  concurrency: number,
  durationMs: number,
): Promise<number> {
  let created = 0;
  const started = performance.now();
  const end = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await call(base, key, 'POST', '/api/invoices', {
          amount: INVOICE_AMOUNT.toString(),
          description: 'bench',
        });
        created++;
      }
    }),
  );
  return created / ((performance.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------
// Checkouts: many invoices paid at once by STREAM customers over BTP

interface Customer {
  id: string;
  btp: BtpClient;
}

async function checkout(customer: Customer, invoice: Invoice): Promise<number> {
  const started = performance.now();
  const spsp = await querySpsp(invoice.spspUrl, { allowInsecure: true });
  const connection = await StreamConnection.create({
    crypto: nodeStreamCrypto,
    sharedSecret: spsp.sharedSecret,
    destinationAddress: spsp.destinationAccount,
    sourceAddress: `test.tollgate.${customer.id}`,
    assetCode: 'USD',
    assetScale: 2,
    sendPrepare: async (p) =>
      deserializeIlpReply(await customer.btp.sendIlp(serializePrepare(p), 30_000)),
  });
  customer.btp.setIlpHandler(async (bytes) =>
    serializeIlpPacket(await connection.handlePrepare(deserializePrepare(bytes))),
  );
  const result = await connection.pay({ destinationAmount: INVOICE_AMOUNT, timeoutMs: 60_000 });
  const latency = performance.now() - started;
  void connection.end().catch(() => undefined);
  if (result.delivered !== INVOICE_AMOUNT) {
    throw new Error(
      `checkout of ${invoice.id} delivered ${result.delivered} of ${INVOICE_AMOUNT} (${result.reason})`,
    );
  }
  return latency;
}

async function checkoutRound(
  base: string,
  key: string,
  customers: Customer[],
): Promise<{ perSecond: number; latencies: number[] }> {
  const invoices = await Promise.all(
    customers.map(() =>
      call<Invoice>(base, key, 'POST', '/api/invoices', {
        amount: INVOICE_AMOUNT.toString(),
        description: 'bench checkout',
      }),
    ),
  );
  const started = performance.now();
  const latencies = await Promise.all(customers.map((c, i) => checkout(c, invoices[i])));
  const wallMs = performance.now() - started;
  // Every invoice paid, exactly once, with exactly its amount.
  for (const invoice of invoices) {
    let seen: Invoice | undefined;
    for (let tries = 0; tries < 100; tries++) {
      seen = await call<Invoice>(base, key, 'GET', `/api/invoices/${invoice.id}`);
      if (seen.status === 'paid') break;
      await sleep(20);
    }
    if (seen?.status !== 'paid' || seen.received !== INVOICE_AMOUNT.toString()) {
      throw new Error(`invoice ${invoice.id} is ${seen?.status} with ${seen?.received} received`);
    }
  }
  return { perSecond: customers.length / (wallMs / 1000), latencies };
}

// ---------------------------------------------------------------------------------------
// The CLI as a process

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; ms: number; out: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolveRun, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ code, ms: performance.now() - started, out }));
  });
}

// ---------------------------------------------------------------------------------------

export async function runMerchantBench(): Promise<BenchRow[]> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let db: Database | undefined;
  try {
    db = await freshDatabase(serverUrl, 'merchant');
  } catch (error) {
    process.stderr.write(
      `merchant bench: no Postgres (${(error as Error).message}), using the embedded database\n`,
    );
  }
  const suffix = db ? '' : ' (embedded db)';
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-merchant-bench-'));
  const customers: Customer[] = [];
  let server: Server | undefined;
  try {
    server = await startServer(db, dataDir);
    const { base } = server;
    const { apiKey } = await call<{ apiKey: string }>(
      base,
      ADMIN_TOKEN,
      'POST',
      '/api/admin/merchants',
      {
        name: 'Bench shop',
        slug: 'shop',
        assetCode: 'USD',
        assetScale: 2,
      },
    );
    const tokens: string[] = [];
    for (let i = 0; i < CHECKOUTS; i++) {
      const id = `customer-${String(i).padStart(3, '0')}`;
      const token = `bench-token-${id}-0123456789`;
      tokens.push(token);
      await call(base, ADMIN_TOKEN, 'POST', '/api/admin/accounts', {
        id,
        assetCode: 'USD',
        assetScale: 2,
        relation: 'child',
        link: 'btp',
        incomingToken: token,
        minBalance: '-1000000000000',
      });
      customers.push({
        id,
        btp: new BtpClient({
          url: `ws://127.0.0.1:${new URL(base).port}/btp`,
          username: id,
          token,
          reconnect: false,
        }),
      });
    }
    await Promise.all(customers.map((c) => c.btp.connect()));

    // REST
    await createInvoices(base, apiKey, 4, REST_WARMUP_MS);
    const sequential = await createInvoices(base, apiKey, 1, REST_MS);
    const concurrent = await createInvoices(base, apiKey, REST_CONCURRENCY, REST_MS);

    // Checkouts (one warm-up round, not counted)
    await checkoutRound(base, apiKey, customers.slice(0, Math.min(10, customers.length)));
    const rounds: { perSecond: number; latencies: number[] }[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await checkoutRound(base, apiKey, customers));
    const latencies = rounds.flatMap((r) => r.latencies);

    // The CLI: one payment per process, through the compiled CLI when it is built.
    const cliAccount = customers[0];
    await cliAccount.btp.close(); // the node keeps one link per account: hand it to the CLI
    const cliTimes: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      const invoice = await call<Invoice>(base, apiKey, 'POST', '/api/invoices', {
        amount: INVOICE_AMOUNT.toString(),
      });
      const run = await runCli(['pay', invoice.paymentPointer, '12.50', 'USD'], {
        TOLLGATE_UPLINK: `btp+ws://${cliAccount.id}:${tokens[0]}@127.0.0.1:${new URL(base).port}/btp`,
      });
      if (run.code !== 0) throw new Error(`tollgate pay exited ${run.code}: ${run.out}`);
      cliTimes.push(run.ms);
    }

    return [
      row(
        `merchant: invoices created over REST, one at a time${suffix}`,
        'invoices/s',
        sequential,
        null,
      ),
      row(
        `merchant: invoices created over REST, ${REST_CONCURRENCY} concurrent${suffix}`,
        'invoices/s',
        concurrent,
        null,
      ),
      row(
        `merchant: checkouts paid, ${CHECKOUTS} at once (STREAM over BTP)${suffix}`,
        'checkouts/s',
        median(rounds.map((r) => r.perSecond)),
        null,
      ),
      row(
        `merchant: checkout latency p50, ${CHECKOUTS} at once${suffix}`,
        'ms',
        percentile(latencies, 0.5),
        null,
      ),
      row(
        `merchant: checkout latency p99, ${CHECKOUTS} at once${suffix}`,
        'ms',
        percentile(latencies, 0.99),
        null,
      ),
      row(`cli: tollgate pay of one invoice, spawn to exit${suffix}`, 'ms', median(cliTimes), null),
    ];
  } finally {
    await Promise.allSettled(customers.map((c) => c.btp.close()));
    await server?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runIfMain(module, () => runMerchantBench());
