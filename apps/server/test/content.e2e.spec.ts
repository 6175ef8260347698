/**
 * Paid content end to end: merchants' articles over REST, readers' sessions paid with our
 * STREAM client over BTP (this node's pointers) or straight to a second wallet that issues
 * RFC 39 receipts (external pointers), and the paywall rule driven by an injected clock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BtpClient } from '@tollgate/btp';
import {
  deserializeIlpReply,
  deserializePrepare,
  serializeIlpPacket,
  serializePrepare,
  toBase64,
  type IlpPrepare,
  type IlpReply,
} from '@tollgate/ilp-core';
import { handleSpspRequest, querySpsp } from '@tollgate/spsp';
import { createReceipt, StreamConnection, StreamServer } from '@tollgate/stream';
import { nodeStreamCrypto } from '@tollgate/stream/node';
import type { RunningTollgate } from '../src/bootstrap';
import { SessionClock } from '../src/content/session-clock';
import { createTestDatabase, TestDatabase } from './test-database';
import { LogSink, startTestApp } from './test-app';

const READER_TOKEN = 'reader-stream-token-0123456789';
const PARAGRAPHS = ['Paid one.', 'Paid two.', 'Paid three.'];

interface Session {
  sessionId: string;
  token: string;
  spspUrl: string;
  paymentPointer: string;
  monetizationHref: string;
}

/** A wallet hosted elsewhere: its own STREAM server and SPSP endpoint, issuing receipts. */
class ExternalWallet {
  readonly server = new StreamServer({
    serverSecret: new Uint8Array(32).fill(7),
    serverAddress: 'test.elsewhere.alice',
    assetCode: 'USD',
    assetScale: 2,
    crypto: nodeStreamCrypto,
  });
  private http!: Server;
  url!: string;
  /** False: behaves like a wallet that ignores receipt headers. */
  issuesReceipts = true;

  async start(): Promise<void> {
    this.http = createServer((req, res) => {
      void handleSpspRequest({ headers: req.headers }, async (receipts) => {
        const credentials = await this.server.generateAddressAndSecret(
          receipts && this.issuesReceipts
            ? { receiptNonce: receipts.nonce, receiptSecret: receipts.secret }
            : {},
        );
        return {
          destinationAccount: credentials.destinationAddress,
          sharedSecret: credentials.sharedSecret,
          receiptsEnabled: credentials.receiptsEnabled,
        };
      }).then((answer) =>
        res.writeHead(answer.status, answer.headers).end(JSON.stringify(answer.body)),
      );
    });
    await new Promise<void>((r) => this.http.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}/alice`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.http.close(() => r()));
  }
}

describe('paid content', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let admin: Record<string, string>;
  let newsKey: string;
  let otherKey: string;
  let btp: BtpClient;
  let now = 1_800_000_000_000;
  const wallet = new ExternalWallet();
  const api = () => request(server.url);

  beforeAll(async () => {
    db = await createTestDatabase();
    await wallet.start();
    server = await startTestApp({
      databaseUrl: db.url,
      allowInsecurePointers: true,
      defaultMerchant: 'news',
    });
    vi.spyOn(server.app.get(SessionClock), 'now').mockImplementation(() => now);
    admin = { Authorization: `Bearer ${(server.adminToken as { token: string }).token}` };
    const merchant = async (slug: string) =>
      (
        await api()
          .post('/api/admin/merchants')
          .set(admin)
          .send({ name: slug, slug, assetCode: 'USD', assetScale: 2 })
          .expect(201)
      ).body.apiKey as string;
    newsKey = await merchant('news');
    otherKey = await merchant('other');
    await api()
      .post('/api/admin/accounts')
      .set(admin)
      .send({
        id: 'reader',
        assetCode: 'USD',
        assetScale: 2,
        relation: 'child',
        link: 'btp',
        incomingToken: READER_TOKEN,
        minBalance: '-100000000',
      })
      .expect(201);
    btp = new BtpClient({
      url: `${server.url.replace('http', 'ws')}/btp`,
      username: 'reader',
      token: READER_TOKEN,
    });
    await btp.connect();
  }, 60_000);

  afterAll(async () => {
    await btp?.close();
    await server?.stop();
    await wallet.stop();
    await db?.drop();
  });

  async function article(key: string, body: Record<string, unknown>) {
    return (await api().post('/api/content').set('Authorization', `Bearer ${key}`).send(body))
      .body as { id: string; slug: string };
  }

  async function startSession(merchant: string, slug: string): Promise<Session> {
    return (await api().post(`/api/public/content/${merchant}/${slug}/sessions`).expect(201))
      .body as Session;
  }

  /** The content route: a visible beat at the clock's current time. */
  async function read(session: Session) {
    return (
      await api()
        .get(`/api/public/sessions/${session.sessionId}/content`)
        .set('Authorization', `Bearer ${session.token}`)
        .expect(200)
    ).body;
  }

  /** Reads from now to `now + seconds`, one visible beat every `step` seconds. */
  async function readFor(session: Session, seconds: number, step = 5) {
    let state = await read(session);
    for (let done = 0; done < seconds;) {
      const advance = Math.min(step, seconds - done);
      now += advance * 1000;
      done += advance;
      state = await read(session);
    }
    return state;
  }

  function postReceipt(session: Session, receipt: Uint8Array | string) {
    return api()
      .post(`/api/public/sessions/${session.sessionId}/receipts`)
      .set('Authorization', `Bearer ${session.token}`)
      .send({ receipt: typeof receipt === 'string' ? receipt : toBase64(receipt) });
  }

  /**
   * Pays `amount` to an SPSP endpoint with our STREAM client: over BTP through this node,
   * or straight to the external wallet. Returns what arrived and every receipt it got.
   */
  async function pay(endpoint: string, amount: bigint, via: 'node' | 'wallet' = 'node') {
    const spsp = await querySpsp(endpoint, { allowInsecure: true });
    const send =
      via === 'node'
        ? async (p: IlpPrepare): Promise<IlpReply> =>
            deserializeIlpReply(await btp.sendIlp(serializePrepare(p), 30_000))
        : (p: IlpPrepare) => wallet.server.handlePrepare(p);
    const connection = await StreamConnection.create({
      crypto: nodeStreamCrypto,
      sharedSecret: spsp.sharedSecret,
      destinationAddress: spsp.destinationAccount,
      sourceAddress: 'test.tollgate.reader',
      assetCode: 'USD',
      assetScale: 2,
      sendPrepare: send,
    });
    if (via === 'node') {
      btp.setIlpHandler(async (bytes) =>
        serializeIlpPacket(await connection.handlePrepare(deserializePrepare(bytes))),
      );
    }
    const stream = connection.createStream();
    const receipts: Uint8Array[] = [];
    stream.on('receipt', (r: Uint8Array) => receipts.push(r));
    const result = await connection.pay({
      streamId: stream.id,
      destinationAmount: amount,
      timeoutMs: 20_000,
    });
    await connection.end().catch(() => undefined);
    return { delivered: result.delivered, receipts, receiptsEnabled: spsp.receiptsEnabled };
  }

  describe('articles over the merchant API', () => {
    it('creates, lists, reads, edits and deletes articles, each merchant only its own', async () => {
      const auth = { Authorization: `Bearer ${newsKey}` };
      const created = await api()
        .post('/api/content')
        .set(auth)
        .send({
          slug: 'crud',
          title: 'CRUD',
          teaser: ['Free.'],
          paragraphs: PARAGRAPHS,
          pricing: { per: 'second', amount: '10' },
        })
        .expect(201);
      expect(created.body).toMatchObject({
        slug: 'crud',
        teaser: ['Free.'],
        paragraphs: PARAGRAPHS,
        pricing: { per: 'second', amount: '10', assetCode: 'USD', assetScale: 2 },
        externalPointer: null,
      });
      const id = created.body.id as string;
      const again = await api()
        .post('/api/content')
        .set(auth)
        .send({ slug: 'crud', title: 'x', paragraphs: [], pricing: { per: 'view', amount: '1' } })
        .expect(409);
      expect(again.body).toMatchObject({ code: 'content_slug_taken' });
      // The same slug is free for another merchant.
      await api()
        .post('/api/content')
        .set('Authorization', `Bearer ${otherKey}`)
        .send({ slug: 'crud', title: 'x', paragraphs: [], pricing: { per: 'view', amount: '1' } })
        .expect(201);
      const list = await api().get('/api/content').set(auth).expect(200);
      expect(list.body.data.map((i: { id: string }) => i.id)).toContain(id);
      const patched = await api()
        .patch(`/api/content/${id}`)
        .set(auth)
        .send({ title: 'Edited', pricing: { per: 'view', amount: '99' } })
        .expect(200);
      expect(patched.body).toMatchObject({
        title: 'Edited',
        slug: 'crud',
        pricing: { per: 'view', amount: '99' },
      });
      await api().get(`/api/content/${id}`).set('Authorization', `Bearer ${otherKey}`).expect(404);
      await api()
        .delete(`/api/content/${id}`)
        .set('Authorization', `Bearer ${otherKey}`)
        .expect(404);
      await api().get(`/api/content/${id}`).expect(401);
      await api().delete(`/api/content/${id}`).set(auth).expect(204);
      await api().get(`/api/content/${id}`).set(auth).expect(404);
    });

    const good = {
      slug: 'good',
      title: 'Good',
      paragraphs: ['p'],
      pricing: { per: 'second', amount: '1' },
    };
    it.each([
      [{ ...good, slug: 'Bad Slug' }, 'slug'],
      [{ ...good, title: '' }, 'title'],
      [{ ...good, paragraphs: 'text' }, 'paragraphs'],
      [{ ...good, paragraphs: [1] }, 'paragraphs'],
      [{ ...good, teaser: [{}] }, 'teaser'],
      [{ ...good, pricing: undefined }, 'pricing'],
      [{ ...good, pricing: { per: 'minute', amount: '1' } }, 'pricing.per'],
      [{ ...good, pricing: { per: 'second', amount: 1 } }, 'pricing.amount'],
      [{ ...good, pricing: { per: 'second', amount: '0' } }, 'pricing.amount'],
      [{ ...good, pricing: { per: 'second', amount: '1.5' } }, 'pricing.amount'],
      [{ ...good, externalPointer: 'not a pointer' }, 'externalPointer'],
      [{ ...good, colour: 'red' }, 'colour'],
    ])('answers 400 naming the field for %j', async (body, field) => {
      const res = await api()
        .post('/api/content')
        .set('Authorization', `Bearer ${newsKey}`)
        .send(body)
        .expect(400);
      expect(res.body.message).toContain(field);
    });

    it('refuses a PATCH that would null a required field', async () => {
      const item = await article(newsKey, { ...good, slug: 'patch-null' });
      const res = await api()
        .patch(`/api/content/${item.id}`)
        .set('Authorization', `Bearer ${newsKey}`)
        .send({ title: null })
        .expect(400);
      expect(res.body.message).toContain('title');
    });
  });

  describe('public routes', () => {
    it('shows the teaser and price, never the paid text, with open CORS', async () => {
      await article(newsKey, {
        slug: 'public',
        title: 'Public',
        teaser: ['Teaser.'],
        paragraphs: PARAGRAPHS,
        pricing: { per: 'second', amount: '10' },
      });
      const res = await api()
        .get('/api/public/content/news/public')
        .set('Origin', 'https://reader.example')
        .expect(200);
      expect(res.body).toMatchObject({
        merchant: { name: 'news', slug: 'news' },
        slug: 'public',
        title: 'Public',
        teaser: ['Teaser.'],
        pricing: { per: 'second', amount: '10', assetCode: 'USD', assetScale: 2 },
        paidParagraphs: 3,
        externalWallet: false,
      });
      expect(JSON.stringify(res.body)).not.toContain('Paid');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const preflight = await api()
        .options('/api/public/sessions/00000000-0000-4000-8000-000000000000/content')
        .set('Origin', 'https://reader.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization')
        .expect(204);
      expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
      // Without the merchant: the node's default one (DEFAULT_MERCHANT here).
      const byDefault = await api().get('/api/public/content/public').expect(200);
      expect(byDefault.body).toEqual(res.body);
      const session = await api().post('/api/public/content/public/sessions').expect(201);
      expect(session.body.spspUrl).toContain(`/news/sessions/${session.body.sessionId}`);
      await api().get('/api/public/content/news/nothing').expect(404);
      await api().get('/api/public/content/nobody/public').expect(404);
      await api().post('/api/public/content/other/public/sessions').expect(404);
    });

    it('gives each session its own pointer, SPSP endpoint and receipts, with CORS', async () => {
      const session = await startSession('news', 'public');
      const host = new URL(server.url).host;
      expect(session.paymentPointer).toBe(`$${host}/news/sessions/${session.sessionId}`);
      expect(session.spspUrl).toBe(`${server.url}/news/sessions/${session.sessionId}`);
      expect(session.monetizationHref).toBe(session.spspUrl);
      const res = await api()
        .get(`/news/sessions/${session.sessionId}`)
        .set('Accept', 'application/spsp4+json')
        .expect(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.body.destination_account).toMatch(/^test\.tollgate\.news\./);
      expect(res.body.receipts_enabled).toBe(true);
      await api().options(`/news/sessions/${session.sessionId}`).expect(204);
      // A verifier upstream may bring its own receipt secret: used, never logged.
      const verifierSecret = toBase64(new Uint8Array(32).fill(5));
      const proxied = await api()
        .get(`/news/sessions/${session.sessionId}`)
        .set('Accept', 'application/spsp4+json')
        .set('Receipt-Nonce', toBase64(new Uint8Array(16).fill(6)))
        .set('Receipt-Secret', verifierSecret)
        .expect(200);
      expect(proxied.body.receipts_enabled).toBe(true);
      await read(session);
      const logs = (server as RunningTollgate & { logs: LogSink }).logs.lines.join('');
      expect(logs).toContain(session.sessionId);
      expect(logs).not.toContain(verifierSecret);
      expect(logs).not.toContain(session.token);
      await api()
        .get(`/other/sessions/${session.sessionId}`)
        .set('Accept', 'application/spsp4+json')
        .expect(404);
      // The merchant's own pointer is still served by the catch-all route.
      await querySpsp(`${server.url}/news`, { allowInsecure: true });
    });

    it('needs the session token', async () => {
      const session = await startSession('news', 'public');
      const other = await startSession('news', 'public');
      const path = `/api/public/sessions/${session.sessionId}/content`;
      expect((await api().get(path).expect(401)).body.code).toBe('session_token_required');
      for (const token of ['wrong', other.token]) {
        const res = await api().get(path).set('Authorization', `Bearer ${token}`).expect(401);
        expect(res.body.code).toBe('invalid_session_token');
      }
      await api()
        .get('/api/public/sessions/00000000-0000-4000-8000-000000000000/content')
        .set('Authorization', `Bearer ${session.token}`)
        .expect(404);
      await api()
        .get('/api/public/sessions/nope/content')
        .set('Authorization', `Bearer ${session.token}`)
        .expect(400);
      const badBeat = await api()
        .post(`/api/public/sessions/${session.sessionId}/heartbeat`)
        .set('Authorization', `Bearer ${session.token}`)
        .send({ visible: 'yes' })
        .expect(400);
      expect(badBeat.body.message).toContain('visible');
      const badReceipt = await api()
        .post(`/api/public/sessions/${session.sessionId}/receipts`)
        .set('Authorization', `Bearer ${session.token}`)
        .send({})
        .expect(400);
      expect(badReceipt.body.message).toContain('receipt');
    });
  });

  describe('per second, paid to this node', () => {
    beforeAll(async () => {
      await article(newsKey, {
        slug: 'by-the-second',
        title: 'By the second',
        teaser: ['Free.'],
        paragraphs: PARAGRAPHS,
        pricing: { per: 'second', amount: '10' },
      });
    });

    it('unlocks exactly what the streamed money buys, then locks; more money, more time', async () => {
      const session = await startSession('news', 'by-the-second');
      const before = await read(session);
      expect(before).toMatchObject({
        paidAmount: '0',
        secondsBought: '0',
        unlocked: false,
        unlockedParagraphs: [],
        lockedCount: 3,
        active: true,
      });
      // Twenty seconds of an unpaid page charge nothing.
      expect((await readFor(session, 20)).usedSeconds).toBe(0);

      const paid = await pay(session.spspUrl, 100n); // 10 seconds at 10 per second
      expect(paid.delivered).toBe(100n);
      let state = await read(session);
      expect(state).toMatchObject({
        paidAmount: '100',
        secondsBought: '10',
        remainingSeconds: '10',
        usedSeconds: 0,
        unlocked: true,
        unlockedParagraphs: PARAGRAPHS,
        lockedCount: 0,
      });
      state = await readFor(session, 10);
      expect(state).toMatchObject({ usedSeconds: 10, remainingSeconds: '0', unlocked: true });
      // The grace (3 s) is the last of it: still open a millisecond before its end...
      now += 2_999;
      expect(await read(session)).toMatchObject({ usedSeconds: 12.999, unlocked: true });
      // ...and locked at it.
      now += 1;
      state = await read(session);
      expect(state).toMatchObject({
        usedSeconds: 13,
        unlocked: false,
        unlockedParagraphs: [],
        lockedCount: 3,
      });
      // Time spent on a locked page is not charged.
      expect((await readFor(session, 30)).usedSeconds).toBe(13);

      // Five more seconds' worth: open again, for what was not read yet.
      expect((await pay(session.spspUrl, 50n)).delivered).toBe(50n);
      state = await read(session);
      expect(state).toMatchObject({ paidAmount: '150', secondsBought: '15', unlocked: true });
      state = await readFor(session, 4);
      expect(state).toMatchObject({ usedSeconds: 17, unlocked: true });
      now += 1_000;
      expect((await read(session)).unlocked).toBe(false);

      // The journal holds it under the session's refs, durably.
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query(
        `SELECT coalesce(sum(delta), 0)::text AS s, count(DISTINCT ref)::int AS n
           FROM balance_journal WHERE ref LIKE $1`,
        [`s.${session.sessionId}.%`],
      );
      await client.end();
      expect(rows[0]).toEqual({ s: '150', n: 2 });
    });

    it('stops counting while the page is hidden, and keeps unread time for a resumed session', async () => {
      const session = await startSession('news', 'by-the-second');
      await pay(session.spspUrl, 300n); // 30 seconds
      await readFor(session, 5);
      const hidden = await api()
        .post(`/api/public/sessions/${session.sessionId}/heartbeat`)
        .set('Authorization', `Bearer ${session.token}`)
        .send({ visible: false })
        .expect(200);
      expect(hidden.body).toMatchObject({ usedSeconds: 5, active: false, unlocked: true });
      now += 3_600_000; // an hour away
      const back = await read(session); // the same token, an hour later
      expect(back).toMatchObject({
        usedSeconds: 5,
        remainingSeconds: '25',
        unlocked: true,
        active: true,
      });
      // A reader who vanishes without a word is charged at most one beat gap (15 s).
      now += 600_000;
      expect((await read(session)).usedSeconds).toBe(20);
    });

    it('charges an interval once however many beats arrive together, and counts a receipt once', async () => {
      const session = await startSession('news', 'by-the-second');
      const paid = await pay(session.spspUrl, 600n);
      await read(session);
      now += 5_000;
      const beats = await Promise.all(
        Array.from({ length: 6 }, () =>
          api()
            .get(`/api/public/sessions/${session.sessionId}/content`)
            .set('Authorization', `Bearer ${session.token}`),
        ),
      );
      expect(beats.map((b) => b.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect((await read(session)).usedSeconds).toBe(5);
      const last = paid.receipts[paid.receipts.length - 1];
      const posts = await Promise.all(Array.from({ length: 4 }, () => postReceipt(session, last)));
      expect(posts.map((p) => p.status).sort()).toEqual([200, 409, 409, 409]);
      expect((await read(session)).receiptsAmount).toBe('600');
    });

    it('credits nothing to a session for money sent to another session', async () => {
      const mine = await startSession('news', 'by-the-second');
      const theirs = await startSession('news', 'by-the-second');
      expect((await pay(theirs.spspUrl, 200n)).delivered).toBe(200n);
      expect(await read(mine)).toMatchObject({ paidAmount: '0', unlocked: false });
      expect(await read(theirs)).toMatchObject({ paidAmount: '200', unlocked: true });
    });

    it('verifies the receipts this node issues; forged, replayed, foreign ones count nothing', async () => {
      const session = await startSession('news', 'by-the-second');
      const other = await startSession('news', 'by-the-second');
      const paid = await pay(session.spspUrl, 70n);
      expect(paid.receiptsEnabled).toBe(true);
      expect(paid.receipts.length).toBeGreaterThan(0);
      const last = paid.receipts[paid.receipts.length - 1];

      const counted = await postReceipt(session, last).expect(200);
      expect(counted.body).toMatchObject({
        increase: '70',
        receiptsAmount: '70',
        paidAmount: '70',
      });
      // Replayed: the same total again, or an older one.
      const replay = await postReceipt(session, last).expect(409);
      expect(replay.body.code).toBe('receipt_replayed');
      if (paid.receipts.length > 1) {
        expect((await postReceipt(session, paid.receipts[0]).expect(409)).body.code).toBe(
          'receipt_replayed',
        );
      }
      // Another session's: a genuine receipt, but not for this session.
      const elsewhere = await postReceipt(other, last).expect(409);
      expect(elsewhere.body.code).toBe('receipt_other_session');
      expect((await read(other)).receiptsAmount).toBe('0');
      // Forged: a higher total with a made-up HMAC.
      const forged = last.slice();
      forged[25] += 1;
      expect((await postReceipt(session, forged).expect(400)).body.code).toBe(
        'receipt_invalid_hmac',
      );
      // Another nonce: one this node never issued.
      const foreign = await createReceipt(nodeStreamCrypto, {
        nonce: new Uint8Array(16).fill(9),
        streamId: 1,
        totalReceived: 1000n,
        secret: new Uint8Array(32).fill(9),
      });
      expect((await postReceipt(session, foreign).expect(400)).body.code).toBe(
        'receipt_unknown_nonce',
      );
      for (const junk of ['not base64!', toBase64(new Uint8Array(57))]) {
        const res = await postReceipt(session, junk).expect(400);
        expect(res.body.code).toBe('receipt_malformed');
      }
      // None of it moved the money.
      expect(await read(session)).toMatchObject({ paidAmount: '70', receiptsAmount: '70' });
    });
  });

  describe('per view', () => {
    it('unlocks once the price is paid, and takes no more than the price', async () => {
      await article(newsKey, {
        slug: 'one-view',
        title: 'One view',
        paragraphs: PARAGRAPHS,
        pricing: { per: 'view', amount: '500' },
      });
      const session = await startSession('news', 'one-view');
      expect((await pay(session.spspUrl, 300n)).delivered).toBe(300n);
      expect(await read(session)).toMatchObject({
        paidAmount: '300',
        secondsBought: null,
        remainingSeconds: null,
        unlocked: false,
        lockedCount: 3,
      });
      expect((await pay(session.spspUrl, 200n)).delivered).toBe(200n);
      now += 86_400_000; // a view does not run out
      expect(await read(session)).toMatchObject({
        paidAmount: '500',
        unlocked: true,
        unlockedParagraphs: PARAGRAPHS,
      });
      // Paid in full: the receiver refuses more (a streaming wallet stops here).
      expect((await pay(session.spspUrl, 100n)).delivered).toBe(0n);
      expect((await read(session)).paidAmount).toBe('500');
    });
  });

  describe('paid to an external wallet, verified by receipts', () => {
    beforeAll(async () => {
      await article(newsKey, {
        slug: 'elsewhere',
        title: 'Elsewhere',
        paragraphs: PARAGRAPHS,
        pricing: { per: 'second', amount: '10' },
        externalPointer: wallet.url,
      });
    });

    it('proxies SPSP to the wallet with a receipt nonce and counts only verified receipts', async () => {
      const session = await startSession('news', 'elsewhere');
      expect(
        (await api().get('/api/public/content/news/elsewhere').expect(200)).body.externalWallet,
      ).toBe(true);
      const paid = await pay(session.spspUrl, 100n, 'wallet');
      expect(paid.delivered).toBe(100n);
      expect(paid.receiptsEnabled).toBe(true);
      // This node saw none of it: nothing is unlocked before the receipts arrive.
      expect(await read(session)).toMatchObject({ paidAmount: '0', unlocked: false });
      const ok = await postReceipt(session, paid.receipts[paid.receipts.length - 1]).expect(200);
      expect(ok.body).toMatchObject({
        increase: '100',
        paidAmount: '100',
        secondsBought: '10',
        unlocked: true,
      });
      expect(
        (await postReceipt(session, paid.receipts[paid.receipts.length - 1]).expect(409)).body.code,
      ).toBe('receipt_replayed');
      // A second connection (a fresh nonce) adds to the first.
      const more = await pay(session.spspUrl, 50n, 'wallet');
      expect(
        (await postReceipt(session, more.receipts[more.receipts.length - 1]).expect(200)).body,
      ).toMatchObject({ increase: '50', paidAmount: '150', secondsBought: '15' });
      expect((await readFor(session, 16)).unlocked).toBe(true);
      now += 2_000;
      expect((await read(session)).unlocked).toBe(false);
    });

    it("counts no receipt of another session's nonce or of a nonce the wallet got elsewhere", async () => {
      const session = await startSession('news', 'elsewhere');
      const other = await startSession('news', 'elsewhere');
      const theirs = await pay(other.spspUrl, 40n, 'wallet');
      expect(
        (await postReceipt(session, theirs.receipts[theirs.receipts.length - 1]).expect(409)).body
          .code,
      ).toBe('receipt_other_session');
      // Paying the wallet directly, with some other verifier's nonce: nothing here knows it.
      const direct = await pay(wallet.url, 40n, 'wallet');
      expect(direct.receipts).toHaveLength(0);
      const nonce = new Uint8Array(16).fill(3);
      const secret = new Uint8Array(32).fill(4);
      const spsp = await querySpsp(wallet.url, {
        allowInsecure: true,
        receiptNonce: toBase64(nonce),
        receiptSecret: toBase64(secret),
      });
      expect(spsp.receiptsEnabled).toBe(true);
      const stray = await createReceipt(nodeStreamCrypto, {
        nonce,
        streamId: 1,
        totalReceived: 40n,
        secret,
      });
      expect((await postReceipt(session, stray).expect(400)).body.code).toBe(
        'receipt_unknown_nonce',
      );
      expect(await read(session)).toMatchObject({ paidAmount: '0', unlocked: false });
    });

    it('answers 409 when the wallet does not issue receipts', async () => {
      const session = await startSession('news', 'elsewhere');
      wallet.issuesReceipts = false;
      try {
        const res = await api()
          .get(`/news/sessions/${session.sessionId}`)
          .set('Accept', 'application/spsp4+json')
          .expect(409);
        expect(res.body.id).toBe('ReceiptsNotSupportedError');
      } finally {
        wallet.issuesReceipts = true;
      }
    });
  });

  it('lists the content routes in the OpenAPI document', async () => {
    const doc = await api().get('/api/docs/json').expect(200);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/api/content',
      '/api/content/{id}',
      '/api/public/content/{merchant}/{slug}',
      '/api/public/content/{merchant}/{slug}/sessions',
      '/api/public/content/{slug}',
      '/api/public/content/{slug}/sessions',
      '/api/public/sessions/{id}/content',
      '/api/public/sessions/{id}/heartbeat',
      '/api/public/sessions/{id}/receipts',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
