/**
 * The merchant's money after real STREAM payments: payments, dashboard totals and revenue
 * buckets (exact, from the journal), `invoice.paid` and `payment.received` webhooks (each
 * once), the node owner's view of peers, and isolation between merchants.
 */
import request from 'supertest';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import type { RunningTollgate } from '../src/bootstrap';
import { verifyWebhookSignature } from '../src/webhooks/webhook-signature';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';
import { WebhookReceiver } from './webhook-receiver';

const ALICE_TOKEN = 'alice-dashboard-token-0123456789';

describe('payments, dashboard and payment webhooks', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let receiver: WebhookReceiver;
  let admin: Record<string, string>;
  let coffee: Record<string, string>;
  let bakery: Record<string, string>;
  let secret: string;
  let btp: BtpClient;
  const api = () => request(server.url);
  const paid: bigint[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({
      databaseUrl: db.url,
      embeddedDatabase: db.embedded,
      defaultMerchant: 'coffee',
      sweepIntervalMs: 100,
      paymentQuietMs: 300,
      webhookRetryBaseMs: 50,
    });
    receiver = new WebhookReceiver();
    const hooks = await receiver.start();
    admin = { Authorization: `Bearer ${(server.adminToken as { token: string }).token}` };
    const merchant = async (slug: string, assetCode: string) => ({
      Authorization: `Bearer ${
        (
          await api()
            .post('/api/admin/merchants')
            .set(admin)
            .send({ name: slug, slug, assetCode, assetScale: 2 })
            .expect(201)
        ).body.apiKey
      }`,
    });
    coffee = await merchant('coffee', 'USD');
    bakery = await merchant('bakery', 'USD');
    secret = (
      await api()
        .post('/api/webhooks')
        .set(coffee)
        .send({ url: `${hooks}/coffee` })
        .expect(201)
    ).body.secret;
    await api()
      .post('/api/webhooks')
      .set(bakery)
      .send({ url: `${hooks}/bakery` })
      .expect(201);
    await api()
      .post('/api/admin/accounts')
      .set(admin)
      .send({
        id: 'alice',
        assetCode: 'USD',
        assetScale: 2,
        relation: 'child',
        link: 'btp',
        incomingToken: ALICE_TOKEN,
        minBalance: '-100000000',
      })
      .expect(201);
    btp = new BtpClient({
      url: `${server.url.replace('http', 'ws')}/btp`,
      username: 'alice',
      token: ALICE_TOKEN,
    });
    await btp.connect();
  }, 60_000);

  afterAll(async () => {
    await btp?.close();
    await server?.stop();
    await receiver?.stop();
    await db?.drop();
  });

  async function pay(endpoint: string, amount: bigint): Promise<bigint> {
    const spsp = await querySpsp(endpoint, { allowInsecure: true });
    const connection = await StreamConnection.create({
      crypto: nodeStreamCrypto,
      sharedSecret: spsp.sharedSecret,
      destinationAddress: spsp.destinationAccount,
      sourceAddress: 'test.tollgate.alice',
      assetCode: 'USD',
      assetScale: 2,
      sendPrepare: async (p) => deserializeIlpReply(await btp.sendIlp(serializePrepare(p), 30_000)),
    });
    btp.setIlpHandler(async (bytes) =>
      serializeIlpPacket(await connection.handlePrepare(deserializePrepare(bytes))),
    );
    const result = await connection.pay({ destinationAmount: amount, timeoutMs: 20_000 });
    await connection.end();
    expect(result.delivered).toBe(amount);
    return result.delivered;
  }

  it('records real STREAM payments, exactly, with webhooks for each', async () => {
    const startedAt = new Date();
    paid.push(await pay(`${server.url}/coffee`, 1234n));
    paid.push(await pay(`${server.url}/coffee`, 5678n));
    const inv = (await api().post('/api/invoices').set(coffee).send({ amount: '900' }).expect(201))
      .body;
    paid.push(await pay(inv.spspUrl, 400n));
    paid.push(await pay(inv.spspUrl, 500n));
    await pay(`${server.url}/bakery`, 77n);

    // invoice.paid once, and one payment.received per connection, once each.
    await receiver.until(
      () =>
        receiver.on('/coffee', 'invoice.paid').length === 1 &&
        receiver.on('/coffee', 'payment.received').length === 4,
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.on('/coffee', 'invoice.paid')).toHaveLength(1);
    const [invoicePaid] = receiver.on('/coffee', 'invoice.paid');
    expect(invoicePaid.body.data).toMatchObject({
      invoice: { id: inv.id, status: 'paid', amount: '900', received: '900', assetCode: 'USD' },
    });
    expect(
      verifyWebhookSignature(
        secret,
        invoicePaid.rawBody,
        invoicePaid.headers['tollgate-signature'] as string,
      ).ok,
    ).toBe(true);
    const metrics = (await api().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      /tollgate_webhook_attempts_total\{type="invoice.paid",outcome="delivered"\} 1/,
    );
    const received = receiver.on('/coffee', 'payment.received');
    expect(received).toHaveLength(4);
    expect(received.map((r) => (r.body.data.payment as { amount: string }).amount).sort()).toEqual([
      '1234',
      '400',
      '500',
      '5678',
    ]);
    expect(
      received.filter(
        (r) => (r.body.data.payment as { invoiceId: string | null }).invoiceId === inv.id,
      ),
    ).toHaveLength(2);
    expect(receiver.on('/bakery', 'payment.received')).toHaveLength(1);
    expect(receiver.on('/bakery', 'payment.received')[0].body.data.payment).toMatchObject({
      kind: 'pointer',
      amount: '77',
      totalReceived: '77',
      invoiceId: null,
    });

    // GET /api/payments: each connection, newest first, filters and cursor.
    const all = await api().get('/api/payments').set(coffee).expect(200);
    expect(all.body.data.map((p: { amount: string }) => p.amount)).toEqual([
      '500',
      '400',
      '5678',
      '1234',
    ]);
    expect(all.body.data.map((p: { kind: string }) => p.kind)).toEqual([
      'invoice',
      'invoice',
      'pointer',
      'pointer',
    ]);
    for (const p of all.body.data) {
      expect(p).toMatchObject({ assetCode: 'USD', assetScale: 2 });
      expect(new Date(p.firstAt).getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1000);
    }
    const forInvoice = await api().get(`/api/payments?invoiceId=${inv.id}`).set(coffee).expect(200);
    expect(forInvoice.body.data.map((p: { amount: string }) => p.amount)).toEqual(['500', '400']);
    const invoiceView = (await api().get(`/api/invoices/${inv.id}`).set(coffee).expect(200)).body;
    expect(new Set(invoiceView.payments.map((p: { id: string }) => p.id))).toEqual(
      new Set(forInvoice.body.data.map((p: { id: string }) => p.id)),
    );
    const page1 = await api().get('/api/payments?limit=3').set(coffee).expect(200);
    expect(page1.body.data).toHaveLength(3);
    const page2 = await api()
      .get(`/api/payments?limit=3&cursor=${page1.body.nextCursor}`)
      .set(coffee)
      .expect(200);
    expect(page2.body.data.map((p: { amount: string }) => p.amount)).toEqual(['1234']);
    expect(page2.body.nextCursor).toBeNull();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      (await api().get(`/api/payments?from=${future}`).set(coffee).expect(200)).body.data,
    ).toEqual([]);
    const bad = await api().get('/api/payments?invoiceId=nope').set(coffee).expect(400);
    expect(bad.body.message).toContain('invoiceId');
    await api().get('/api/payments?from=yesterday').set(coffee).expect(400);
    // Invoice filters.
    const paidInvoices = await api().get('/api/invoices?status=paid').set(coffee).expect(200);
    expect(paidInvoices.body.data.map((i: { id: string }) => i.id)).toEqual([inv.id]);
    expect(
      (await api().get('/api/invoices?status=open').set(coffee).expect(200)).body.data,
    ).toEqual([]);
    expect(
      (await api().get(`/api/invoices?from=${future}`).set(coffee).expect(200)).body.data,
    ).toEqual([]);
    const badStatus = await api().get('/api/invoices?status=lost').set(coffee).expect(400);
    expect(badStatus.body.message).toContain('status');
  });

  it('sums the dashboard exactly from the journal, with every bucket present', async () => {
    const total = paid.reduce((a, b) => a + b, 0n);
    const summary = (await api().get('/api/dashboard/summary').set(coffee).expect(200)).body;
    expect(summary).toMatchObject({
      assetCode: 'USD',
      assetScale: 2,
      received: { total: total.toString(), payments: 4 },
      today: { received: total.toString(), payments: 4 },
      invoices: {
        paid: { count: 1, amount: '900' },
        open: { count: 0, amount: '0' },
        expired: { count: 0, amount: '0' },
      },
    });
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - 10 * 60_000);
    const series = (
      await api()
        .get(
          `/api/dashboard/revenue?bucket=minute&from=${from.toISOString()}&to=${to.toISOString()}`,
        )
        .set(coffee)
        .expect(200)
    ).body;
    expect(series.total).toBe(total.toString());
    expect(series.buckets.length).toBeGreaterThanOrEqual(10);
    expect(series.buckets.length).toBeLessThanOrEqual(11);
    const starts = series.buckets.map((b: { start: string }) => new Date(b.start).getTime());
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBe(60_000);
    expect(starts.every((s: number) => s % 60_000 === 0)).toBe(true);
    expect(
      series.buckets.reduce((sum: bigint, b: { amount: string }) => sum + BigInt(b.amount), 0n),
    ).toBe(total);
    expect(
      series.buckets.filter((b: { amount: string }) => b.amount === '0').length,
    ).toBeGreaterThan(5);
    const day = (await api().get('/api/dashboard/revenue?bucket=day').set(coffee).expect(200)).body;
    expect(day.buckets).toHaveLength(60);
    expect(day.buckets[59].amount).toBe(total.toString());
    expect(new Date(day.buckets[59].start).toISOString()).toMatch(/T00:00:00\.000Z$/);

    // Sums past 2^53 stay exact: two journal credits the size no JS number holds.
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`INSERT INTO journal_batches (id) VALUES ('big-test')`);
    await client.query(
      `INSERT INTO balance_journal (batch_id, account_id, delta, kind, ref)
       VALUES ('big-test', 'coffee', 9007199254740993, 'packet', 'm.big1'),
              ('big-test', 'coffee', 9007199254740995, 'packet', 'm.big2')`,
    );
    await client.end();
    const big = total + 9007199254740993n + 9007199254740995n;
    expect(
      (await api().get('/api/dashboard/summary').set(coffee).expect(200)).body.received.total,
    ).toBe(big.toString());
    const hour = (await api().get('/api/dashboard/revenue?bucket=hour').set(coffee).expect(200))
      .body;
    expect(hour.total).toBe(big.toString());
    expect(hour.buckets[hour.buckets.length - 1].amount).toBe(big.toString());
  });

  it('refuses bad revenue queries, naming the field', async () => {
    const res = await api().get('/api/dashboard/revenue?bucket=week').set(coffee).expect(400);
    expect(res.body.message).toContain('bucket');
    const range = await api()
      .get('/api/dashboard/revenue?bucket=minute&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')
      .set(coffee)
      .expect(400);
    expect(range.body.message).toContain('from');
    await api()
      .get('/api/dashboard/revenue?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')
      .set(coffee)
      .expect(400);
  });

  it("keeps each merchant to its own payments and dashboard; peers for the node's owner only", async () => {
    const theirs = (await api().get('/api/payments').set(bakery).expect(200)).body.data;
    expect(theirs.map((p: { amount: string }) => p.amount)).toEqual(['77']);
    const summary = (await api().get('/api/dashboard/summary').set(bakery).expect(200)).body;
    expect(summary.received).toEqual({ total: '77', payments: 1 });
    expect(summary.invoices.paid.count).toBe(0);
    const coffeeInvoice = (await api().get('/api/invoices?status=paid').set(coffee)).body.data[0];
    expect(
      (await api().get(`/api/payments?invoiceId=${coffeeInvoice.id}`).set(bakery).expect(200)).body
        .data,
    ).toEqual([]);
    await api().get('/api/dashboard/summary').expect(401);
    await api().get('/api/payments').expect(401);

    const forbidden = await api().get('/api/dashboard/peers').set(bakery).expect(403);
    expect(forbidden.body.code).toBe('not_node_owner');
    const peers = (await api().get('/api/dashboard/peers').set(coffee).expect(200)).body;
    expect(peers.map((p: { id: string }) => p.id)).toEqual(['alice']);
    const spent = paid.reduce((a, b) => a + b, 0n) + 77n;
    expect(peers[0]).toMatchObject({
      relation: 'child',
      assetCode: 'USD',
      balance: (-spent).toString(),
      connected: true,
    });
  });

  it('announces money a connection delivers after it was announced as another payment', async () => {
    // A connection that pauses longer than PAYMENT_QUIET_MS and then pays again: simulated
    // with journal credits under one connection ref, as the connector writes them.
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const credit = async (batch: string, amount: string) => {
      await client.query(`INSERT INTO journal_batches (id) VALUES ($1)`, [batch]);
      await client.query(
        `INSERT INTO balance_journal (batch_id, account_id, delta, kind, ref)
         VALUES ($1, 'bakery', $2, 'packet', 'm.resumed')`,
        [batch, amount],
      );
    };
    const resumed = () =>
      receiver
        .on('/bakery', 'payment.received')
        .map((r) => r.body.data.payment as { id: string; amount: string; totalReceived: string })
        .filter((p) => p.id === 'resumed');
    try {
      await credit('resume-1', '300');
      await receiver.until(() => resumed().length === 1);
      await credit('resume-2', '45');
      await receiver.until(() => resumed().length === 2);
    } finally {
      await client.end();
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(resumed()).toEqual([
      expect.objectContaining({ amount: '300', totalReceived: '300' }),
      expect.objectContaining({ amount: '45', totalReceived: '345' }),
    ]);
    const listed = (await api().get('/api/payments').set(bakery).expect(200)).body.data;
    expect(listed.find((p: { id: string }) => p.id === 'resumed')).toMatchObject({ amount: '345' });
  });
});
