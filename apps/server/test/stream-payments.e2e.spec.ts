/**
 * STREAM and SPSP through the whole node: senders connected as BTP children pay merchant
 * and invoice payment pointers; the node records what each connection delivered, durably,
 * against the merchant and the invoice.
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
import { reference } from '../../../libs/stream/test/reference';
import type { RunningTollgate } from '../src/bootstrap';
import { StreamReceiverService } from '../src/receiving/stream-receiver.service';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const BtpPlugin = require('ilp-plugin-btp');

const ALICE_TOKEN = 'alice-stream-token-0123456789';

describe('STREAM payments to merchants and invoices', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let admin: Record<string, string>;
  let coffeeKey: string;
  let bakeryKey: string;
  let btp: BtpClient;
  const api = () => request(server.url);

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    admin = { Authorization: `Bearer ${(server.adminToken as { token: string }).token}` };
    coffeeKey = (
      await api()
        .post('/api/admin/merchants')
        .set(admin)
        .send({ name: 'Coffee', slug: 'coffee', assetCode: 'USD', assetScale: 2 })
        .expect(201)
    ).body.apiKey;
    bakeryKey = (
      await api()
        .post('/api/admin/merchants')
        .set(admin)
        .send({ name: 'Bakery', slug: 'bakery', assetCode: 'EUR', assetScale: 6 })
        .expect(201)
    ).body.apiKey;
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
    await api().put('/api/admin/rates').set(admin).send({ USD: '1', EUR: '1.25' }).expect(200);
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
    await db?.drop();
  });

  /** Our STREAM client, as alice, for the given SPSP endpoint. */
  async function connect(endpoint: string): Promise<StreamConnection> {
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
    return connection;
  }

  async function invoice(key: string, amount: string, extra: Record<string, unknown> = {}) {
    return (
      await api()
        .post('/api/invoices')
        .set('Authorization', `Bearer ${key}`)
        .send({ amount, ...extra })
        .expect(201)
    ).body;
  }

  async function getInvoice(key: string, id: string) {
    return (
      await api().get(`/api/invoices/${id}`).set('Authorization', `Bearer ${key}`).expect(200)
    ).body;
  }

  async function balance(id: string): Promise<bigint> {
    return BigInt(
      (await api().get(`/api/admin/accounts/${id}`).set(admin).expect(200)).body.balance,
    );
  }

  it('serves SPSP for a merchant and an invoice, and 404 for unknown ones', async () => {
    const merchant = await querySpsp(`${server.url}/coffee`, { allowInsecure: true });
    expect(merchant.destinationAccount).toMatch(/^test\.tollgate\.coffee\.[A-Za-z0-9_-]+$/);
    expect(merchant.sharedSecret).toHaveLength(32);
    const other = await querySpsp(`${server.url}/coffee`, { allowInsecure: true });
    expect(other.destinationAccount).not.toBe(merchant.destinationAccount);
    await expect(querySpsp(`${server.url}/nobody`, { allowInsecure: true })).rejects.toMatchObject({
      code: 'not_found',
    });
    const inv = await invoice(coffeeKey, '100');
    await querySpsp(inv.spspUrl, { allowInsecure: true });
    await expect(
      querySpsp(`${server.url}/bakery/invoices/${inv.id}`, { allowInsecure: true }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const res = await api().get('/coffee').set('Accept', 'text/html').expect(406);
    expect(res.headers['content-type']).toContain('application/spsp4+json');
  });

  it('the reference ilp-protocol-stream client pays a merchant pointer over BTP, and exactly that is recorded', async () => {
    const plugin = new BtpPlugin({
      server: `btp+ws://alice:${ALICE_TOKEN}@${new URL(server.url).host}/btp`,
    });
    const before = await balance('coffee');
    const spsp = await querySpsp(`${server.url}/coffee`, { allowInsecure: true });
    const connection = await reference.createConnection({
      plugin,
      destinationAccount: spsp.destinationAccount,
      sharedSecret: Buffer.from(spsp.sharedSecret),
    });
    const stream = connection.createStream();
    await stream.sendTotal(1234);
    const delivered = BigInt(connection.totalDelivered);
    await connection.end();
    await plugin.disconnect();
    expect(delivered).toBe(1234n);
    expect((await balance('coffee')) - before).toBe(delivered);
    // ...and it is durable, attributed to that one connection.
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT ref, sum(delta)::text AS s FROM balance_journal WHERE account_id = 'coffee' AND ref LIKE 'm.%' GROUP BY ref`,
    );
    await client.end();
    expect(rows).toHaveLength(1);
    expect(BigInt(rows[0].s)).toBe(delivered);
    // The reference client re-authenticated as alice; give our own BTP client its link back.
    await btp.close();
    btp = new BtpClient({
      url: `${server.url.replace('http', 'ws')}/btp`,
      username: 'alice',
      token: ALICE_TOKEN,
    });
    await btp.connect();
  });

  it('the reference ilp-protocol-stream client pays an invoice in two parts, and it turns paid once', async () => {
    const inv = await invoice(coffeeKey, '900');
    const payPart = async (amount: number) => {
      const plugin = new BtpPlugin({
        server: `btp+ws://alice:${ALICE_TOKEN}@${new URL(server.url).host}/btp`,
      });
      const spsp = await querySpsp(inv.spspUrl, { allowInsecure: true });
      const connection = await reference.createConnection({
        plugin,
        destinationAccount: spsp.destinationAccount,
        sharedSecret: Buffer.from(spsp.sharedSecret),
      });
      await connection.createStream().sendTotal(amount);
      const delivered = BigInt(connection.totalDelivered);
      await connection.end();
      await plugin.disconnect();
      return delivered;
    };
    expect(await payPart(400)).toBe(400n);
    expect(await getInvoice(coffeeKey, inv.id)).toMatchObject({ status: 'open', received: '400' });
    expect(await payPart(500)).toBe(500n);
    await expect.poll(async () => (await getInvoice(coffeeKey, inv.id)).status).toBe('paid');
    const paid = await getInvoice(coffeeKey, inv.id);
    expect(paid.received).toBe('900');
    expect(paid.payments).toHaveLength(2);
    // The reference client re-authenticated as alice; give our own BTP client its link back.
    await btp.close();
    btp = new BtpClient({
      url: `${server.url.replace('http', 'ws')}/btp`,
      username: 'alice',
      token: ALICE_TOKEN,
    });
    await btp.connect();
  });

  it('pays an invoice in two parts, turning it paid exactly once', async () => {
    const inv = await invoice(coffeeKey, '500');
    const first = await connect(inv.spspUrl);
    const part = await first.pay({ destinationAmount: 200n, timeoutMs: 20_000 });
    expect(part.delivered).toBe(200n);
    await first.end();
    expect(await getInvoice(coffeeKey, inv.id)).toMatchObject({ status: 'open', received: '200' });

    const second = await connect(inv.spspUrl);
    const rest = await second.pay({ destinationAmount: 300n, timeoutMs: 20_000 });
    expect(rest.delivered).toBe(300n);
    await second.end();
    await expect.poll(async () => (await getInvoice(coffeeKey, inv.id)).status).toBe('paid');
    const paid = await getInvoice(coffeeKey, inv.id);
    expect(paid.received).toBe('500');
    expect(paid.payments).toHaveLength(2);
    expect(paid.paidAt).not.toBeNull();
    // A paid invoice is no longer a receiver.
    await expect(querySpsp(inv.spspUrl, { allowInsecure: true })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('streams checkout progress as Server-Sent Events until the invoice is paid', async () => {
    const inv = await invoice(coffeeKey, '400', { metadata: { secret: 'not for customers' } });
    const view = await api().get(`/api/checkout/${inv.id}`).expect(200);
    expect(view.body).toMatchObject({
      id: inv.id,
      merchant: { name: 'Coffee', slug: 'coffee' },
      amount: '400',
      status: 'open',
    });
    expect(JSON.stringify(view.body)).not.toContain('not for customers');
    await api().get('/api/checkout/00000000-0000-4000-8000-000000000000').expect(404);

    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/checkout/${inv.id}/events`, {
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events: { status: string; received: string }[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data:'));
          if (data) events.push(JSON.parse(data.slice(5)));
        }
      }
    })();
    await expect.poll(() => events.length).toBeGreaterThan(0);
    const connection = await connect(inv.spspUrl);
    await connection.pay({ destinationAmount: 400n, timeoutMs: 20_000 });
    await connection.end();
    await reading; // the stream ends by itself once the invoice is paid
    expect(events[0]).toMatchObject({ status: 'open', received: '0' });
    expect(events[events.length - 1]).toMatchObject({ status: 'paid', received: '400' });
    controller.abort();
  });

  it('refuses overpayment: the sender stops at the amount due', async () => {
    const inv = await invoice(coffeeKey, '300');
    const before = await balance('coffee');
    const connection = await connect(inv.spspUrl);
    const result = await connection.pay({ sourceAmount: 800n, timeoutMs: 20_000 });
    await connection.end();
    expect(result.delivered).toBe(300n);
    expect(result.reason).not.toBe('complete');
    expect((await balance('coffee')) - before).toBe(300n);
    await expect.poll(async () => (await getInvoice(coffeeKey, inv.id)).status).toBe('paid');
    expect((await getInvoice(coffeeKey, inv.id)).received).toBe('300');
  });

  it('an acceptance whose packet never became durable blocks the invoice only while packets can be in flight', async () => {
    const receiver = server.app.get(StreamReceiverService);
    const inv = await invoice(coffeeKey, '500');
    const first = await connect(inv.spspUrl);
    expect((await first.pay({ destinationAmount: 200n, timeoutMs: 20_000 })).delivered).toBe(200n);
    await first.end();
    // A share accepted for a packet that then died (never fulfilled, never journaled):
    // the in-memory count says covered, the journal says 200.
    const tag = `i.${inv.id}.lost-packet`;
    const merchant = { id: (await getInvoice(coffeeKey, inv.id)).merchantId } as never;
    const accept = (
      receiver as unknown as {
        shouldAccept(m: never, t: string, a: bigint): Promise<boolean>;
      }
    ).shouldAccept.bind(receiver);
    expect(await accept(merchant, tag, 300n)).toBe(true);
    const blocked = await connect(inv.spspUrl);
    expect((await blocked.pay({ destinationAmount: 300n, timeoutMs: 5_000 })).delivered).toBe(0n);
    await blocked.end();
    // Past the in-flight window the journal is the truth again: the rest can be paid.
    const realNow = receiver.now;
    receiver.now = () => realNow() + 36_000;
    try {
      const rest = await connect(inv.spspUrl);
      expect((await rest.pay({ destinationAmount: 300n, timeoutMs: 20_000 })).delivered).toBe(300n);
      await rest.end();
    } finally {
      receiver.now = realNow;
    }
    await expect.poll(async () => (await getInvoice(coffeeKey, inv.id)).status).toBe('paid');
    expect((await getInvoice(coffeeKey, inv.id)).received).toBe('500');
  });

  it('accepts nothing for an expired invoice', async () => {
    const inv = await invoice(coffeeKey, '100', {
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    const connection = await connect(inv.spspUrl);
    await new Promise((r) => setTimeout(r, 2000));
    const result = await connection.pay({ sourceAmount: 100n, timeoutMs: 5_000 });
    await connection.end().catch(() => undefined);
    expect(result.delivered).toBe(0n);
    // Expired once the grace for money accepted in time is over.
    await expect
      .poll(async () => (await getInvoice(coffeeKey, inv.id)).status, { timeout: 5_000 })
      .toBe('expired');
    expect((await getInvoice(coffeeKey, inv.id)).received).toBe('0');
    await expect(querySpsp(inv.spspUrl, { allowInsecure: true })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('converts across currencies: USD scale 2 in, EUR scale 6 to the merchant, as the rate says', async () => {
    const before = await balance('bakery');
    const connection = await connect(`${server.url}/bakery`);
    const result = await connection.pay({ sourceAmount: 1000n, timeoutMs: 20_000 });
    await connection.end();
    // 10.00 USD at USD 1 / EUR 1.25 = 8.000000 EUR
    expect(result.sent).toBe(1000n);
    expect(result.delivered).toBe(8_000_000n);
    expect((await balance('bakery')) - before).toBe(8_000_000n);
    const inv = await invoice(bakeryKey, '4000000');
    const invConnection = await connect(inv.spspUrl);
    const paid = await invConnection.pay({ destinationAmount: 4_000_000n, timeoutMs: 20_000 });
    await invConnection.end();
    expect(paid.delivered).toBe(4_000_000n);
    expect(paid.sent).toBe(500n);
  });
});
