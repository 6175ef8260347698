/**
 * The `tollgate` CLI as a user runs it: a child process (bin/tollgate.js, from the sources
 * through tsx) against a real server on real Postgres. A merchant makes invoices, a BTP
 * child account pays them with our STREAM client, `invoice watch` sees them paid, and the
 * exit codes and `--json` output say exactly what happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTollgate } from '../src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

const BIN = resolve(__dirname, '../../../bin/tollgate.js');
const ALICE_TOKEN = 'alice-cli-token-0123456789abcdef';

// JSON answers are checked field by field with toMatchObject.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Started {
  child: ChildProcess;
  /** stdout so far */
  stdout(): string;
  done: Promise<Run>;
}

function start(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    // Nothing from the test runner's environment leaks in: only what a user would set.
    env: { PATH: process.env.PATH ?? '', TOLLGATE_CLI_FROM_SOURCE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolveRun, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ code, stdout, stderr }));
  });
  return { child, stdout: () => stdout, done };
}

describe('tollgate CLI', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let adminToken: string;
  let apiKey: string;
  let uplink: string;
  const env = (extra: Record<string, string> = {}) => ({ TOLLGATE_URL: server.url, ...extra });
  const merchantEnv = () => env({ TOLLGATE_API_KEY: apiKey });
  const tollgate = (args: string[], extra: Record<string, string> = {}) => start(args, extra).done;

  async function admin(method: string, path: string, body?: unknown): Promise<Json> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.ok, `${method} ${path}`).toBe(true);
    return res.json();
  }

  async function createInvoice(amount: string, extra: string[] = []): Promise<Json> {
    const run = await tollgate(
      ['invoice', 'create', '--amount', amount, '--json', ...extra],
      merchantEnv(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    adminToken = (server.adminToken as { token: string }).token;
    apiKey = (
      await admin('POST', '/api/admin/merchants', {
        name: 'Shop',
        slug: 'shop',
        assetCode: 'USD',
        assetScale: 2,
      })
    ).apiKey;
    await admin('POST', '/api/admin/accounts', {
      id: 'alice',
      assetCode: 'USD',
      assetScale: 2,
      relation: 'child',
      link: 'btp',
      incomingToken: ALICE_TOKEN,
      minBalance: '-100000000',
    });
    uplink = `btp+ws://alice:${ALICE_TOKEN}@${new URL(server.url).host}/btp`;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('creates an invoice, pays it over BTP, and watch exits 0 once it is paid', async () => {
    const created = await createInvoice('12.50', [
      '--description',
      'Two coffees',
      '--expires-in',
      '15m',
      '--metadata',
      'order=A-17',
    ]);
    expect(created).toMatchObject({
      amount: '1250',
      received: '0',
      assetCode: 'USD',
      assetScale: 2,
      status: 'open',
      description: 'Two coffees',
      metadata: { order: 'A-17' },
    });
    const ttl = new Date(created.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(13 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);

    const watch = start(['invoice', 'watch', created.id], env());
    // wait until the watcher follows the open invoice, so it sees the payment happen
    await expect.poll(() => watch.stdout(), { timeout: 20_000 }).toContain('open');

    const paid = await tollgate(
      ['pay', created.paymentPointer, '12.50', 'USD', '--json'],
      env({ TOLLGATE_UPLINK: uplink }),
    );
    expect(paid.code).toBe(0);
    const report = JSON.parse(paid.stdout);
    expect(report).toMatchObject({
      outcome: 'paid',
      reason: 'complete',
      exitCode: 0,
      paymentPointer: created.paymentPointer,
      sourceAccount: 'test.tollgate.alice',
      requested: { amount: '1250', formatted: '12.50', assetCode: 'USD', assetScale: 2 },
      sent: { amount: '1250', formatted: '12.50', assetCode: 'USD', assetScale: 2 },
      delivered: { amount: '1250', formatted: '12.50', assetCode: 'USD', assetScale: 2 },
      rate: '1',
    });
    expect(report.destinationAccount).toMatch(/^test\.tollgate\.shop\./);
    expect(report.packets.fulfilled).toBeGreaterThan(0);
    expect(typeof report.durationMs).toBe('number');

    const watched = await watch.done;
    expect(watched.code).toBe(0);
    expect(watched.stdout).toContain('0.00 USD of 12.50 USD');
    expect(watched.stdout).toContain(`Invoice ${created.id} is paid: 12.50 USD`);

    const got = await tollgate(['invoice', 'get', created.id, '--json'], merchantEnv());
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ status: 'paid', received: '1250' });
    const human = await tollgate(['invoice', 'get', created.id], merchantEnv());
    expect(human.stdout).toMatch(/received\s+12\.50 USD/);
    expect(human.stdout).toMatch(/payment\s+12\.50 USD on connection/);

    const list = await tollgate(['invoice', 'list'], merchantEnv());
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${created.id}\\s+paid\\s+12\\.50\\s+12\\.50\\s+USD`));

    // The accounts moved by exactly the invoice's amount, live.
    const accounts = await tollgate(
      ['accounts', '--json'],
      env({ TOLLGATE_ADMIN_TOKEN: adminToken }),
    );
    expect(accounts.code).toBe(0);
    const byId = new Map((JSON.parse(accounts.stdout) as Json[]).map((a) => [a.id, a]));
    expect(byId.get('alice')).toMatchObject({ balance: '-1250', assetCode: 'USD', assetScale: 2 });
    expect(byId.get('shop')).toMatchObject({ balance: '1250', link: 'local' });
    const table = await tollgate(['accounts'], env({ TOLLGATE_ADMIN_TOKEN: adminToken }));
    expect(table.stdout).toMatch(/alice\s+child\s+btp\s+-12\.50\s+USD/);
    const balance = await tollgate(['balance', 'shop'], env({ TOLLGATE_ADMIN_TOKEN: adminToken }));
    expect(balance).toMatchObject({ code: 0, stdout: 'shop: 12.50 USD\n' });
    const balanceJson = await tollgate(
      ['balance', 'alice', '--json', '--admin-token', adminToken],
      env(),
    );
    expect(JSON.parse(balanceJson.stdout)).toMatchObject({
      id: 'alice',
      balance: '-1250',
      assetScale: 2,
    });
  });

  it('pays only what an invoice is due: partial, with exact amounts, exit 3', async () => {
    const invoice = await createInvoice('5');
    const run = await tollgate(
      ['pay', invoice.paymentPointer, '8.00', '--json'],
      env({ TOLLGATE_UPLINK: uplink }),
    );
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: 'partial',
      exitCode: 3,
      requested: { amount: '800' },
      sent: { amount: '500' },
      delivered: { amount: '500', assetCode: 'USD' },
    });
    const after = await tollgate(['invoice', 'get', invoice.id, '--json'], merchantEnv());
    expect(JSON.parse(after.stdout)).toMatchObject({ status: 'paid', received: '500' });
  });

  it('watch exits 6 when the invoice expires unpaid', async () => {
    const invoice = await createInvoice('1.00', ['--expires-in', '1s']);
    const run = await tollgate(['invoice', 'watch', invoice.id, '--json'], env());
    expect(run.code).toBe(6);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[lines.length - 1]).toMatchObject({
      id: invoice.id,
      status: 'expired',
      received: '0',
    });
  });

  it('refuses amounts with more decimals than the asset has, before anything moves', async () => {
    const invoice = await tollgate(['invoice', 'create', '--amount', '12.505'], merchantEnv());
    expect(invoice.code).toBe(2);
    expect(invoice.stderr).toContain(
      '12.505 has more decimal places than USD (2 decimal places) allows',
    );
    expect(invoice.stderr).toContain('tollgate invoice create --help');

    const before = (await admin('GET', '/api/admin/accounts/alice')).balance;
    const pay = await tollgate(
      ['pay', '$127.0.0.1/shop', '1.001', '--json'],
      env({ TOLLGATE_UPLINK: uplink }),
    );
    expect(pay.code).toBe(2);
    expect(pay.stderr).toContain(
      '1.001 has more decimal places than USD (2 decimal places) allows',
    );
    expect(JSON.parse(pay.stdout)).toMatchObject({ outcome: 'error', exitCode: 2 });
    const mismatch = await tollgate(
      ['pay', '$127.0.0.1/shop', '1', 'EUR'],
      env({ TOLLGATE_UPLINK: uplink }),
    );
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain("the uplink's account is in USD, not EUR");
    expect((await admin('GET', '/api/admin/accounts/alice')).balance).toBe(before);
  });

  it('exits with the usage code and a message for bad usage, and has --help everywhere', async () => {
    const runs = await Promise.all([
      tollgate([]),
      tollgate(['frobnicate']),
      tollgate(['invoice', 'create'], merchantEnv()),
      tollgate(['invoice', 'get'], merchantEnv()),
      tollgate(['pay', '$example.com/x'], env({ TOLLGATE_UPLINK: uplink })),
      tollgate(['pay', 'not-a-pointer', '1'], env({ TOLLGATE_UPLINK: uplink })),
      tollgate(['pay', '$example.com/x', '1']),
      tollgate(['pay', '$example.com/x', '1,00'], env({ TOLLGATE_UPLINK: uplink })),
      tollgate(
        ['pay', '$example.com/x', '1', '--timeout', 'soon'],
        env({ TOLLGATE_UPLINK: uplink }),
      ),
      tollgate(['accounts', '--colour']),
      tollgate(['accounts'], env()),
      tollgate(['invoice', 'list', '--limit', '0'], merchantEnv()),
    ]);
    const expected = [
      'Usage: tollgate <command>',
      'unknown command "frobnicate"',
      'missing --amount',
      'missing the invoice id',
      'missing the payment pointer and the amount',
      'neither a payment pointer nor a URL',
      'no uplink: set TOLLGATE_UPLINK',
      '"1,00" is not an amount',
      '--timeout must be a positive duration',
      "Unknown option '--colour'",
      'no admin token: set TOLLGATE_ADMIN_TOKEN',
      '--limit must be a whole number from 1 to 200',
    ];
    runs.forEach((run, i) => {
      expect(run.code, expected[i]).toBe(2);
      expect(run.stdout + run.stderr).toContain(expected[i]);
    });

    const helps = await Promise.all(
      [
        ['--help'],
        ['help', 'pay'],
        ['pay', '--help'],
        ['invoice', '--help'],
        ['invoice', 'create', '--help'],
        ['invoice', 'get', '-h'],
        ['invoice', 'list', '--help'],
        ['invoice', 'watch', '--help'],
        ['accounts', '--help'],
        ['balance', '--help'],
      ].map((args) => tollgate(args)),
    );
    for (const run of helps) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: tollgate/);
      expect(run.stderr).toBe('');
    }
    expect(helps[2].stdout).toContain('Exit codes:');
  });

  it("shows the server's error for bad credentials and unknown ids (exit 4)", async () => {
    const probe = await fetch(`${server.url}/api/invoices`, {
      headers: { authorization: 'Bearer tg_key_wrong' },
    });
    const serverError = (await probe.json()) as { message: string };
    const [badKey, badAdmin, unknown, badUplink] = await Promise.all([
      tollgate(['invoice', 'list'], env({ TOLLGATE_API_KEY: 'tg_key_wrong' })),
      tollgate(['accounts', '--json'], env({ TOLLGATE_ADMIN_TOKEN: 'not-the-admin-token' })),
      tollgate(['balance', 'nobody'], env({ TOLLGATE_ADMIN_TOKEN: adminToken })),
      tollgate(
        ['pay', `$${new URL(server.url).host}/shop`, '1'],
        env({ TOLLGATE_UPLINK: uplink.replace(ALICE_TOKEN, 'wrong-token-0123456789') }),
      ),
    ]);
    expect(badKey.code).toBe(4);
    expect(badKey.stderr).toContain('401');
    expect(badKey.stderr).toContain(serverError.message);
    expect(badAdmin.code).toBe(4);
    expect(badAdmin.stderr).toContain('a valid admin token is required');
    expect(JSON.parse(badAdmin.stdout)).toMatchObject({ outcome: 'error', exitCode: 4 });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('404');
    expect(badUplink.code).toBe(4);
    expect(badUplink.stderr).toContain('the uplink refused us');
    expect(badUplink.stderr).not.toContain('wrong-token');
  });

  it('says which receiver is unknown (exit 4) and which server is unreachable (exit 5)', async () => {
    const host = new URL(server.url).host;
    const [unknownPointer, noServer, noUplink] = await Promise.all([
      tollgate(['pay', `$${host}/nobody`, '1.00'], env({ TOLLGATE_UPLINK: uplink })),
      tollgate(['invoice', 'list'], { TOLLGATE_URL: 'http://127.0.0.1:1', TOLLGATE_API_KEY: 'k' }),
      tollgate(
        ['pay', `$${host}/shop`, '1.00'],
        env({ TOLLGATE_UPLINK: 'btp+ws://alice:x@127.0.0.1:1/btp' }),
      ),
    ]);
    expect(unknownPointer.code).toBe(4);
    expect(unknownPointer.stderr).toContain(`no SPSP receiver at ${server.url}/nobody`);
    expect(noServer.code).toBe(5);
    expect(noServer.stderr).toContain('cannot reach the Tollgate server at http://127.0.0.1:1');
    expect(noUplink.code).toBe(5);
    expect(noUplink.stderr).toContain('BTP connect to btp+ws://alice:***@127.0.0.1:1/btp failed');
  });
});
