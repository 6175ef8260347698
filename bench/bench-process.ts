/**
 * What the benchmarks that run real processes share: a free port, a throw-away database on
 * the Postgres server, waiting for a server to be healthy, and stopping a child cleanly.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { Client } from 'pg';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

export interface Database {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new database on the server at `serverUrl`, named after the bench that uses it. */
export async function freshDatabase(serverUrl: string, bench: string): Promise<Database> {
  const name = `tollgate_${bench}_bench_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the child has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Polls `${base}/health` until 200; fails early if the child exits. */
export async function waitHealthy(
  base: string,
  child: ChildProcess,
  stderr: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${stderr()}`);
    if (Date.now() > deadline)
      throw new Error(`server not healthy within ${timeoutMs} ms: ${stderr()}`);
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(50);
  }
}
