/**
 * The browser's payment engine in Node, against a real server: `ws` stands in for the
 * platform WebSocket, Web Crypto is Node's. Chunks, pause / resume and failure reasons.
 */
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocketLike } from '@tollgate/btp/browser';
import type { RunningTollgate } from '../../server/src/bootstrap';
import { createTestDatabase, TestDatabase } from '../../server/test/test-database';
import { startTestApp } from '../../server/test/test-app';
import type { DemoWallet } from '../lib/api/types';
import { PaymentSnapshot, StreamPayment } from '../lib/payment/stream-payment';

describe('StreamPayment', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let apiKey: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    const admin = `Bearer ${(server.adminToken as { token: string }).token}`;
    apiKey = (
      await request(server.url)
        .post('/api/admin/merchants')
        .set('Authorization', admin)
        .send({ name: 'Deli', slug: 'deli', assetCode: 'USD', assetScale: 2 })
        .expect(201)
    ).body.apiKey;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function invoice(amount: string): Promise<{ id: string; spspUrl: string }> {
    return (
      await request(server.url)
        .post('/api/invoices')
        .set('Authorization', `Bearer ${apiKey}`)
        .send({ amount })
        .expect(201)
    ).body;
  }

  async function wallet(): Promise<DemoWallet & { token: string }> {
    const res = await request(server.url).post('/api/demo/wallets').expect(201);
    return { ...res.body.wallet, token: res.body.token };
  }

  function payment(w: DemoWallet & { token: string }, spspUrl: string, remaining: bigint) {
    const seen: PaymentSnapshot[] = [];
    const p = new StreamPayment({
      btpUrl: `${server.url.replace('http', 'ws')}/btp`,
      spspUrl,
      wallet: w,
      remaining,
      chunks: 4,
      chunkGapMs: 20,
      onChange: (s) => seen.push(s),
      createWebSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
    });
    return { p, seen };
  }

  it('pays the invoice in chunks, reporting progress that only grows', async () => {
    const inv = await invoice('1000');
    const { p, seen } = payment(await wallet(), inv.spspUrl, 1000n);
    const end = await p.run();
    expect(end).toMatchObject({ phase: 'complete', delivered: 1000n, sent: 1000n });
    expect(end.rate && end.rate.num === end.rate.den).toBe(true); // USD to USD: 1
    const delivered = seen.map((s) => s.delivered);
    expect(delivered).toEqual([...delivered].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(delivered).size).toBeGreaterThanOrEqual(4); // at least one step per chunk
    // The server marks it paid once the covering packet's credit is durable: soon after.
    await expect
      .poll(async () => (await request(server.url).get(`/api/checkout/${inv.id}`)).body)
      .toMatchObject({ status: 'paid', received: '1000' });
  });

  it('pauses at a chunk boundary and resumes', async () => {
    const inv = await invoice('800');
    const { p, seen } = payment(await wallet(), inv.spspUrl, 800n);
    const running = p.run();
    p.pause();
    await expect.poll(() => p.state.phase).toBe('paused');
    expect(seen.some((s) => s.phase === 'pausing')).toBe(true);
    const atPause = p.state.delivered;
    expect(atPause).toBeLessThan(800n);
    await new Promise((r) => setTimeout(r, 200));
    expect(p.state.delivered).toBe(atPause);
    p.resume();
    expect(await running).toMatchObject({ phase: 'complete', delivered: 800n });
  });

  it('fails with the reason when the wallet runs dry, and when the invoice is gone', async () => {
    const inv = await invoice('2500'); // the wallet holds 2000
    const w = await wallet();
    const { p } = payment(w, inv.spspUrl, 2500n);
    const end = await p.run();
    expect(end).toMatchObject({
      phase: 'failed',
      failure: 'Your wallet does not have enough money left (ILP T04).',
    });
    // It got as far as the money went (STREAM may give up on the last few units), never further.
    expect(end.delivered).toBeGreaterThan(1900n);
    expect(end.delivered).toBeLessThanOrEqual(2000n);
    const after = await request(server.url)
      .get(`/api/demo/wallets/${w.id}`)
      .set('Authorization', `Bearer ${w.token}`)
      .expect(200);
    expect(after.body.balance).toBe(String(2000n - end.sent));
    const gone = payment(await wallet(), `${server.url}/deli/invoices/${crypto.randomUUID()}`, 5n);
    expect(await gone.p.run()).toMatchObject({
      phase: 'failed',
      failure: 'This invoice no longer takes payments (it is paid or expired).',
    });
  }, 30_000);

  it('says so when the wallet token is wrong', async () => {
    const inv = await invoice('100');
    const w = await wallet();
    const { p } = payment({ ...w, token: 'wallet_wrong' }, inv.spspUrl, 100n);
    const end = await p.run();
    expect(end.phase).toBe('failed');
    expect(end.failure).toMatch(/refused the wallet's credentials/);
  });
});
