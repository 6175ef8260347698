/**
 * Demo wallets through the whole node: created funded, read and topped up with their token
 * only, bounded, spent over BTP like any child account, and absent with DEMO_WALLETS=false.
 */
import request from 'supertest';
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
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

describe('demo wallets', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let admin: Record<string, string>;
  const api = () => request(server.url);

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    admin = { Authorization: `Bearer ${(server.adminToken as { token: string }).token}` };
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function createWallet() {
    const res = await api().post('/api/demo/wallets').expect(201);
    return res.body as { wallet: { id: string; balance: string }; token: string };
  }

  it('creates a funded wallet whose token is shown once and stored only as a hash', async () => {
    const { wallet, token } = await createWallet();
    expect(wallet).toMatchObject({
      id: expect.stringMatching(/^demo-[A-Za-z0-9_-]+$/),
      ilpAddress: `test.tollgate.${wallet.id}`,
      assetCode: 'USD',
      assetScale: 2,
      balance: '2000',
      topUpAmount: '2000',
      maxBalance: '10000',
      history: [{ kind: 'top-up', amount: '2000', at: expect.any(String) }],
    });
    expect(token).toMatch(/^wallet_/);
    const account = await api().get(`/api/admin/accounts/${wallet.id}`).set(admin).expect(200);
    expect(account.body).toMatchObject({ relation: 'child', minBalance: '0', balance: '2000' });
    expect(JSON.stringify(account.body)).not.toContain(token);
    const again = await api()
      .get(`/api/demo/wallets/${wallet.id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(again.body).not.toHaveProperty('token');
  });

  it('answers only to the wallet token, and never for accounts that are not demo wallets', async () => {
    const { wallet, token } = await createWallet();
    const other = await createWallet();
    await api().get(`/api/demo/wallets/${wallet.id}`).expect(401);
    await api()
      .get(`/api/demo/wallets/${wallet.id}`)
      .set('Authorization', `Bearer ${other.token}`)
      .expect(401)
      .expect((res) => expect(res.body.code).toBe('bad_wallet_token'));
    await api()
      .post(`/api/demo/wallets/${wallet.id}/top-up`)
      .set('Authorization', `Bearer ${other.token}`)
      .expect(401);
    await api()
      .get('/api/demo/wallets/demo-nope')
      .set('Authorization', `Bearer ${token}`)
      .expect(404)
      .expect((res) => expect(res.body.code).toBe('unknown_wallet'));
    await api()
      .post('/api/admin/accounts')
      .set(admin)
      .send({
        id: 'carol',
        assetCode: 'USD',
        assetScale: 2,
        relation: 'child',
        link: 'btp',
        incomingToken: 'carol-token-0123456789abcdef',
      })
      .expect(201);
    await api()
      .get('/api/demo/wallets/carol')
      .set('Authorization', 'Bearer carol-token-0123456789abcdef')
      .expect(404);
  });

  it('tops up by at most one top-up, never past the cap', async () => {
    const { wallet, token } = await createWallet();
    const auth = { Authorization: `Bearer ${token}` };
    await api()
      .post(`/api/demo/wallets/${wallet.id}/top-up`)
      .set(auth)
      .send({ amount: '2001' })
      .expect(400)
      .expect((res) => expect(res.body.code).toBe('top_up_too_large'));
    await api()
      .post(`/api/demo/wallets/${wallet.id}/top-up`)
      .set(auth)
      .send({ amount: '1.5' })
      .expect(400)
      .expect((res) => expect(res.body.message).toMatch(/amount/));
    // Concurrent top-ups: together they may not pass the 10000 cap.
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        api().post(`/api/demo/wallets/${wallet.id}/top-up`).set(auth).send({}),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(4);
    expect(results.filter((r) => r.status === 409)).toHaveLength(2);
    const now = await api().get(`/api/demo/wallets/${wallet.id}`).set(auth).expect(200);
    expect(now.body.balance).toBe('10000');
  });

  it('pays an invoice over BTP with its token; the balance and the history show it', async () => {
    const merchant = await api()
      .post('/api/admin/merchants')
      .set(admin)
      .send({ name: 'Tea', slug: 'tea', assetCode: 'USD', assetScale: 2 })
      .expect(201);
    const invoice = await api()
      .post('/api/invoices')
      .set('Authorization', `Bearer ${merchant.body.apiKey}`)
      .send({ amount: '750' })
      .expect(201);
    const { wallet, token } = await createWallet();
    const btp = new BtpClient({
      url: `${server.url.replace('http', 'ws')}/btp`,
      username: wallet.id,
      token,
      reconnect: false,
    });
    await btp.connect();
    const spsp = await querySpsp(invoice.body.spspUrl, { allowInsecure: true });
    const connection = await StreamConnection.create({
      crypto: nodeStreamCrypto,
      sharedSecret: spsp.sharedSecret,
      destinationAddress: spsp.destinationAccount,
      sourceAddress: `test.tollgate.${wallet.id}`,
      assetCode: 'USD',
      assetScale: 2,
      sendPrepare: async (p) => deserializeIlpReply(await btp.sendIlp(serializePrepare(p), 30_000)),
    });
    btp.setIlpHandler(async (bytes) =>
      serializeIlpPacket(await connection.handlePrepare(deserializePrepare(bytes))),
    );
    const result = await connection.pay({ destinationAmount: 750n, timeoutMs: 20_000 });
    await connection.end();
    await btp.close();
    expect(result.delivered).toBe(750n);
    const after = await api()
      .get(`/api/demo/wallets/${wallet.id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(after.body.balance).toBe(String(2000n - result.sent));
    expect(after.body.history[0]).toMatchObject({ kind: 'payment', amount: `-${result.sent}` });
    expect(after.body.history[1]).toMatchObject({ kind: 'top-up', amount: '2000' });
  });

  it('lets browsers on other origins call checkout and wallet routes (no credentials)', async () => {
    const preflight = await api()
      .options('/api/demo/wallets')
      .set('Origin', 'http://localhost:3000')
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const created = await api()
      .post('/api/demo/wallets')
      .set('Origin', 'http://x.test')
      .expect(201);
    expect(created.headers['access-control-allow-origin']).toBe('*');
    const admins = await api().get('/api/admin/node').set(admin).set('Origin', 'http://x.test');
    expect(admins.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('limits how many wallets one address creates', async () => {
    // Five made above; the limit is ten per ten minutes.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api().post('/api/demo/wallets')).status);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(5);
    expect(statuses.at(-1)).toBe(429);
  });

  it('says on what terms it offers demo wallets, to any origin', async () => {
    const res = await request(server.url)
      .get('/api/demo')
      .set('Origin', 'http://web.example')
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body).toEqual({
      enabled: true,
      assetCode: 'USD',
      assetScale: 2,
      topUpAmount: '2000',
      maxBalance: '10000',
    });
  });

  it('is not there with DEMO_WALLETS=false', async () => {
    const off = await startTestApp({ databaseUrl: db.url, demoWallets: false });
    try {
      await request(off.url).post('/api/demo/wallets').expect(404);
      await request(off.url).get('/api/demo').expect(404);
    } finally {
      await off.stop();
    }
  });
});
