/**
 * The stable contract: the engine process as `npm run engine` starts it (tsx on
 * src/main.ts), with nothing configured but ports and a scratch directory: its own anvil,
 * the embedded database. It must serve the RFC 38 API and stop its anvil on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/free-port';
import { loadConfig } from '../src/config';

const root = resolve(__dirname, '../../..');

describe('npm run engine', () => {
  it('starts with its own anvil and embedded database, serves RFC 38, stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-engine-'));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), 'apps/settlement-engine/src/main.ts'],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          ENGINE_PORT: String(port),
          ENGINE_DATA_DIR: join(dir, 'db'),
          ANVIL_STATE: join(dir, 'anvil.json'),
          CONNECTOR_URL: 'http://127.0.0.1:9',
          ETH_PRIVATE_KEY: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      await new Promise<void>((ready, fail) => {
        const timer = setTimeout(() => fail(new Error(`no start in time:\n${output}`)), 40_000);
        const check = (): void => {
          if (output.includes('settlement engine listening')) {
            clearTimeout(timer);
            ready();
          }
        };
        child.stdout.on('data', check);
        void exited.then(() => fail(new Error(`engine exited:\n${output}`)));
      });
      const anvilUrl = /"rpcUrl":"(http:\/\/[^"]+)"/.exec(output)![1];
      const answer = await fetch(`http://127.0.0.1:${port}/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'smoke' }),
      });
      expect(answer.status).toBe(201);
      // Every line is JSON (pino), and the dev key is never printed.
      for (const line of output.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      expect(output).not.toContain('ac0974bec39a17e36ba4a6b4d238ff944bacb478');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect(fetch(anvilUrl, { method: 'POST' })).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to start on a bad environment, listing every problem', async () => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), 'apps/settlement-engine/src/main.ts'],
      {
        cwd: root,
        env: { PATH: process.env.PATH, ENGINE_PORT: 'x', ETH_CONFIRMATIONS: '-1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(78);
    expect(stderr).toContain('ENGINE_PORT');
    expect(stderr).toContain('ETH_CONFIRMATIONS');
    expect(() => loadConfig({ ENGINE_PORT: 'x' })).toThrow(/ENGINE_PORT/);
  });
});
