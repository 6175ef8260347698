/**
 * The Web Monetization polyfill's payer in Node, against a real server (`ws` stands in for
 * the platform WebSocket, Web Crypto is Node's, an EventTarget stands in for the link): it
 * never pays more than one step ahead of the visible clock, sends nothing while paused,
 * reconnects after its socket drops, stops at a per-view price, and gives up with the
 * reason when the wallet is empty. The browser test (article.spec.ts) covers the page.
 */
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocketLike } from '@tollgate/btp/browser';
import type { RunningTollgate } from '../../server/src/bootstrap';
import { createTestDatabase, TestDatabase } from '../../server/test/test-database';
import { startTestApp } from '../../server/test/test-app';
import { LinkPayer, type PayerSnapshot } from '../lib/monetization/link-payer';
import type { MonetizationEventLike } from '../lib/monetization/monetization-event';

class FakeLink extends EventTarget {
  constructor(readonly href: string) {
    super();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LinkPayer', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let apiKey: string;
  let articles = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    const admin = `Bearer ${(server.adminToken as { token: string }).token}`;
    apiKey = (
      await request(server.url)
        .post('/api/admin/merchants')
        .set('Authorization', admin)
        .send({ name: 'Gazette', slug: 'gazette', assetCode: 'USD', assetScale: 2 })
        .expect(201)
    ).body.apiKey;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  /** A new article at this price and a reading session on it. */
  async function session(per: 'second' | 'view', amount: string) {
    const slug = `article-${++articles}`;
    await request(server.url)
      .post('/api/content')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ slug, title: slug, paragraphs: ['Paid.'], pricing: { per, amount } })
      .expect(201);
    const res = await request(server.url).post(`/api/public/content/${slug}/sessions`).expect(201);
    return res.body as { sessionId: string; token: string; monetizationHref: string };
  }

  async function serverPaid(s: { sessionId: string; token: string }): Promise<bigint> {
    const res = await request(server.url)
      .post(`/api/public/sessions/${s.sessionId}/heartbeat`)
      .set('Authorization', `Bearer ${s.token}`)
      .send({ visible: false })
      .expect(200);
    return BigInt(res.body.paidAmount as string);
  }

  async function payer(href: string, ratePerSecond: bigint, stepMs: number) {
    const res = await request(server.url).post('/api/demo/wallets').expect(201);
    const wallet = res.body.wallet as { id: string; ilpAddress: string };
    const link = new FakeLink(href);
    const events: MonetizationEventLike[] = [];
    const seen: string[] = [];
    link.addEventListener('monetization', (e) => events.push(e as MonetizationEventLike));
    link.addEventListener('load', () => seen.push('load'));
    link.addEventListener('error', () => seen.push('error'));
    const sockets: WebSocket[] = [];
    const snapshots: PayerSnapshot[] = [];
    const p = new LinkPayer({
      link: link as unknown as HTMLLinkElement,
      wallet: {
        btpUrl: `${server.url.replace('http', 'ws')}/btp`,
        accountId: wallet.id,
        token: res.body.token as string,
        ilpAddress: wallet.ilpAddress,
        assetCode: 'USD',
        assetScale: 2,
      },
      ratePerSecond,
      stepMs,
      onChange: (s) => snapshots.push(s),
      createWebSocket: (url) => {
        const socket = new WebSocket(url);
        sockets.push(socket);
        return socket as unknown as WebSocketLike;
      },
    });
    return { p, events, seen, sockets, snapshots };
  }

  /** What the payer may have asked for after `visibleMs`: the steps begun, paid at their start. */
  const allowance = (rate: bigint, stepMs: number, visibleMs: number) =>
    (rate * BigInt(Math.floor(visibleMs / stepMs) + 1) * BigInt(stepMs)) / 1000n;

  it('pays each step at its start, never more than one step ahead, with receipts', async () => {
    const s = await session('second', '5');
    const { p, events, seen, snapshots } = await payer(s.monetizationHref, 5n, 200);
    p.resume();
    await expect.poll(() => events.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await sleep(1_500);
    p.pause();
    await sleep(200); // the step in flight lands
    const end = p.state;
    expect(seen).toEqual(['load']);
    expect(end.phase).toBe('paused');
    // Every state the page saw: delivered within what the visible clock allowed.
    for (const snap of snapshots) {
      expect(snap.delivered).toBeLessThanOrEqual(allowance(5n, 200, snap.visibleMs));
    }
    // And it kept up: at most one step (1 unit) behind the clock when it paused.
    expect(end.delivered).toBeGreaterThanOrEqual(allowance(5n, 200, end.visibleMs) - 1n);
    expect(end.visibleMs).toBeGreaterThan(1_400);
    for (const e of events) {
      expect(e).toMatchObject({ assetCode: 'USD', assetScale: 2 });
      expect(Buffer.from(e.receipt!, 'base64')).toHaveLength(58);
      expect(e.paymentPointer).toMatch(/^\$127\.0\.0\.1:\d+\/gazette\/sessions\//);
    }
    const total = events.reduce((sum, e) => sum + BigInt(e.amount), 0n);
    expect(total).toBe(end.delivered);
    expect(await serverPaid(s)).toBe(end.delivered);

    // Paused: nothing moves, on the payer or on the server.
    await sleep(800);
    expect(p.state.delivered).toBe(end.delivered);
    expect(await serverPaid(s)).toBe(end.delivered);
    p.resume();
    await expect.poll(() => p.state.delivered).toBeGreaterThan(end.delivered);
    p.stop();
    expect(p.state.phase).toBe('stopped');
  });

  it('reconnects when its socket drops, and carries on paying', async () => {
    const s = await session('second', '10');
    const { p, events, seen, sockets } = await payer(s.monetizationHref, 10n, 250);
    p.resume();
    await expect.poll(() => events.length, { timeout: 10_000 }).toBeGreaterThan(0);
    sockets[0].terminate();
    const before = p.state.delivered;
    await expect
      .poll(() => p.state.delivered, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(before + 20n);
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual(['load', 'load']);
    expect(p.state.phase).toBe('streaming');
    p.stop();
    await sleep(200);
    expect(await serverPaid(s)).toBe(p.state.delivered);
  });

  it('stops at a per-view price: the receiver takes no more', async () => {
    const s = await session('view', '30');
    const { p, seen } = await payer(s.monetizationHref, 30n, 200);
    p.resume();
    await expect.poll(() => p.state.phase, { timeout: 10_000 }).toBe('complete');
    expect(p.state.delivered).toBe(30n);
    expect(seen).toEqual(['load']);
    expect(await serverPaid(s)).toBe(30n);
  });

  it('gives up with the reason when the wallet is empty', async () => {
    const s = await session('second', '1');
    // 10 USD a second, in half-second steps, from a 20 USD wallet: four steps, then T04.
    const { p, seen } = await payer(s.monetizationHref, 1_000n, 500);
    p.resume();
    await expect.poll(() => p.state.phase, { timeout: 20_000 }).toBe('failed');
    expect(p.state.failure).toBe('Your wallet does not have enough money left (ILP T04).');
    expect(p.state.delivered).toBe(2_000n);
    expect(seen).toEqual(['load', 'error']);
    expect(await serverPaid(s)).toBe(2_000n);
  }, 30_000);
});
