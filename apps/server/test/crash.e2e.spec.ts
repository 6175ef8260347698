/**
 * No acknowledged money is lost in a crash. A sender streams packets through the compiled
 * server to a receiver that fulfills them all; the server is killed with SIGKILL mid-stream
 * and started again on the same database. Afterwards the balances in Postgres equal the sum
 * of the Fulfills the sender received, plus at most the packets whose answer the crash
 * swallowed (committed to Postgres an instant before the kill, never delivered): a sender
 * cannot learn how those ended, so the ledger may only be ahead of it by them, never behind.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BtpClient } from '@tollgate/btp';
import {
  deserializeIlpReply,
  deserializePrepare,
  isFulfill,
  serializeFulfill,
  serializePrepare,
} from '@tollgate/ilp-core';
import { freePort } from '../../../test-support/free-port';
import { buildServer, ROOT, SERVER_MAIN } from './build-server';
import { createTestDatabase, TestDatabase } from './test-database';

const ADMIN = 'crash-test-admin-token-0123456789';
const SENDER_TOKEN = 'sender-token-0123456789abc';
const RECEIVER_TOKEN = 'receiver-token-0123456789ab';

async function startServer(db: TestDatabase, port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      // A test's PGlite takes one connection at a time (see bootstrap.ts).
      ...(db.embedded ? { DATABASE_POOL_SIZE: '1' } : {}),
      WEB_ENABLED: 'false',
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'warn',
      TOLLGATE_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    if (Date.now() > deadline) throw new Error('server not healthy in time');
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function admin(
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('crash safety of the balance journal', () => {
  let db: TestDatabase;
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-crash-'));

  beforeAll(async () => {
    await buildServer();
    db = await createTestDatabase();
  }, 180_000);
  afterAll(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGKILL mid-stream loses no acknowledged money', async () => {
    const port = await freePort();
    let server = await startServer(db, port, dataDir);
    for (const [id, token] of [
      ['sender', SENDER_TOKEN],
      ['receiver', RECEIVER_TOKEN],
    ]) {
      const res = await admin(port, 'POST', '/api/admin/accounts', {
        id,
        assetCode: 'USD',
        assetScale: 2,
        relation: 'child',
        link: 'btp',
        incomingToken: token,
        minBalance: '-1000000000000',
      });
      expect(res.status).toBe(201);
    }

    const url = `ws://127.0.0.1:${port}/btp`;
    const fulfillments = new Map<string, Buffer>();
    const receiver = new BtpClient({
      url,
      username: 'receiver',
      token: RECEIVER_TOKEN,
      reconnectInitialDelayMs: 50,
      reconnectMaxDelayMs: 200,
    });
    receiver.setIlpHandler(async (bytes) => {
      const prepare = deserializePrepare(bytes);
      const fulfillment = fulfillments.get(
        Buffer.from(prepare.executionCondition).toString('hex'),
      )!;
      return serializeFulfill({ fulfillment, data: new Uint8Array() });
    });
    const sender = new BtpClient({
      url,
      username: 'sender',
      token: SENDER_TOKEN,
      reconnectInitialDelayMs: 50,
      reconnectMaxDelayMs: 200,
    });
    await receiver.connect();
    await sender.connect();

    let acknowledged = 0n; // Fulfills the sender received
    let unknown = 0n; // sent, no answer (the crash cut the link)
    let fulfills = 0;
    let streaming = true;
    const worker = async () => {
      while (streaming) {
        const amount = BigInt(1 + Math.floor(Math.random() * 100));
        const fulfillment = randomBytes(32);
        const condition = createHash('sha256').update(fulfillment).digest();
        fulfillments.set(condition.toString('hex'), fulfillment);
        const prepare = serializePrepare({
          amount,
          expiresAt: new Date(Date.now() + 5000),
          executionCondition: condition,
          destination: 'test.tollgate.receiver',
          data: new Uint8Array(),
        });
        if (!sender.isConnected) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        try {
          const reply = deserializeIlpReply(await sender.sendIlp(prepare, 5000));
          if (isFulfill(reply)) {
            acknowledged += amount;
            fulfills++;
          }
        } catch {
          unknown += amount;
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);

    // Stream, kill mid-stream, restart on the same database, stream again.
    await new Promise((r) => setTimeout(r, 1500));
    const beforeKill = fulfills;
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    server = await startServer(db, port, dataDir);
    const deadline = Date.now() + 20_000;
    while (!(sender.isConnected && receiver.isConnected) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const atRestart = fulfills;
    await new Promise((r) => setTimeout(r, 1000));
    streaming = false;
    await Promise.all(workers);
    await sender.close();
    await receiver.close();

    // Graceful stop flushes the journal; then read what Postgres holds.
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const balances = await client.query<{ id: string; balance: string }>(
      `SELECT id, balance::text FROM accounts ORDER BY id`,
    );
    const journal = await client.query<{ account_id: string; sum: string }>(
      `SELECT account_id, sum(delta)::text AS sum FROM balance_journal GROUP BY account_id ORDER BY account_id`,
    );
    await client.end();
    const balance = Object.fromEntries(balances.rows.map((r) => [r.id, BigInt(r.balance)]));

    expect(beforeKill).toBeGreaterThan(50);
    expect(fulfills).toBeGreaterThan(atRestart); // it kept working after the restart
    // Both sides moved together: what the sender paid is what the receiver got.
    expect(balance.receiver).toBe(-balance.sender);
    // The ledger equals the acknowledged sum, ahead of it only by swallowed answers.
    const ahead = balance.receiver - acknowledged;
    expect(ahead >= 0n).toBe(true);
    expect(ahead <= unknown).toBe(true);
    // Balances are exactly the sum of their journal rows.
    expect(Object.fromEntries(journal.rows.map((r) => [r.account_id, BigInt(r.sum)]))).toEqual(
      balance,
    );
    console.log(
      `crash test: ${fulfills} fulfills, acknowledged ${acknowledged}, ledger ${balance.receiver}, ahead by ${ahead} (at most ${unknown} was in flight at the kill)`,
    );
  }, 120_000);
});
