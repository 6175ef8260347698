/**
 * `npm start` as a user runs it: the compiled server as its own process. Config errors stop
 * it with every bad variable named; a good start prints the URLs and the admin token, serves
 * /health, and SIGTERM shuts it down cleanly.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildServer, ROOT, SERVER_MAIN as MAIN } from './build-server';

function run(env: Record<string, string>): ReturnType<typeof spawn> {
  return spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ReturnType<typeof spawn>): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err += d));
  return { out: () => out, err: () => err };
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
  );
}

async function until<T>(fn: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the compiled server process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-main-'));

  beforeAll(buildServer, 180_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a bad configuration, naming every bad variable, with exit code 78', async () => {
    const child = run({ PORT: 'x', ASSET_SCALE: '300', ILP_ADDRESS: 'nope' });
    const io = collect(child);
    expect(await exited(child)).toBe(78);
    for (const name of ['PORT', 'ASSET_SCALE', 'ILP_ADDRESS']) expect(io.err()).toContain(name);
  });

  it('starts on the embedded database, prints its URL and admin token, and stops on SIGTERM', async () => {
    const child = run({ TOLLGATE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const io = collect(child);
    try {
      const url = await until(() => /server\s+(http:\/\/\S+)/.exec(io.out())?.[1], 60_000);
      const token = /admin token\s+(tg_admin_\S+)/.exec(io.out())?.[1];
      expect(token).toBeDefined();
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      const node = await fetch(`${url}/api/admin/node`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(node.status).toBe(200);
      // The token is for the terminal only: JSON log lines never carry it.
      expect(
        io
          .out()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .join('\n'),
      ).not.toContain(token);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
  }, 90_000);
});
