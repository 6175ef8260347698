/**
 * The embedded connector end to end through the real server: the admin API (accounts, routes,
 * rates), an ilp-plugin-btp child that learns its address over ILDCP and pays through us, a
 * second child fulfilling on our own BTP client, ILP-over-HTTP, bad input on both links, and
 * balances that reach Postgres.
 */
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BtpClient } from '@tollgate/btp';
import {
  deserializeIlpReply,
  IlpPacketType,
  isFulfill,
  isReject,
  serializeFulfill,
  serializePrepare,
  serializeReject,
  deserializePrepare,
} from '@tollgate/ilp-core';
import type { RunningTollgate } from '../src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const BtpPlugin = require('ilp-plugin-btp');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ILDCP = require('ilp-protocol-ildcp');

const ALICE_TOKEN = 'alice-token-0123456789abcdef';
const BOB_TOKEN = 'bob-token-0123456789abcdef01';

function sha256(b: Uint8Array): Uint8Array {
  return createHash('sha256').update(b).digest();
}

describe('embedded connector through the server', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let admin: string;
  let alice: {
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    sendData(b: Buffer): Promise<Buffer>;
  };
  let bob: BtpClient;
  const fulfillments = new Map<string, Uint8Array>();

  const api = () => request(server.url);
  const auth = () => ({ Authorization: `Bearer ${admin}` });

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    admin = (server.adminToken as { token: string }).token;

    await api()
      .post('/api/admin/accounts')
      .set(auth())
      .send({
        id: 'alice',
        assetCode: 'USD',
        assetScale: 2,
        relation: 'child',
        link: 'btp',
        incomingToken: ALICE_TOKEN,
        minBalance: '-1000',
        maxPacketAmount: '500',
      })
      .expect(201);
    await api()
      .post('/api/admin/accounts')
      .set(auth())
      .send({
        id: 'bob',
        assetCode: 'EUR',
        assetScale: 6,
        relation: 'child',
        link: 'btp',
        incomingToken: BOB_TOKEN,
      })
      .expect(201);
    await api().put('/api/admin/rates').set(auth()).send({ USD: '1', EUR: '1.25' }).expect(200);

    // Bob fulfills every Prepare whose condition it knows, on our own BTP client.
    bob = new BtpClient({
      url: `${server.url.replace('http', 'btp+ws')}/btp`,
      username: 'bob',
      token: BOB_TOKEN,
    });
    bob.setIlpHandler(async (bytes) => {
      const prepare = deserializePrepare(bytes);
      const key = Buffer.from(prepare.executionCondition).toString('hex');
      const fulfillment = fulfillments.get(key);
      if (!fulfillment) {
        return serializeReject({
          code: 'F05',
          triggeredBy: 'test.tollgate.bob',
          message: 'unknown condition',
          data: new Uint8Array(),
        });
      }
      return serializeFulfill({
        fulfillment,
        data: new TextEncoder().encode(`got ${prepare.amount}`),
      });
    });
    await bob.connect();

    alice = new BtpPlugin({
      server: `btp+ws://:${ALICE_TOKEN}@${server.url.replace('http://', '')}/btp`,
    });
    await alice.connect();
  }, 60_000);

  afterAll(async () => {
    await alice?.disconnect();
    await bob?.close();
    await server?.stop();
    await db?.drop();
  });

  function prepareTo(destination: string, amount: bigint, known = true): Uint8Array {
    const fulfillment = randomBytes(32);
    const condition = sha256(fulfillment);
    if (known) fulfillments.set(Buffer.from(condition).toString('hex'), fulfillment);
    return serializePrepare({
      amount,
      expiresAt: new Date(Date.now() + 10_000),
      executionCondition: condition,
      destination,
      data: new Uint8Array(),
    });
  }

  async function balance(id: string): Promise<bigint> {
    const res = await api().get(`/api/admin/accounts/${id}`).set(auth()).expect(200);
    return BigInt(res.body.balance);
  }

  async function durableBalance(id: string): Promise<bigint> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT balance::text AS b FROM accounts WHERE id = $1', [
        id,
      ]);
      return BigInt(rows[0].b);
    } finally {
      await client.end();
    }
  }

  it('gives a child its address and asset over ILDCP (reference ilp-protocol-ildcp client)', async () => {
    const info = await ILDCP.fetch((data: Buffer) => alice.sendData(data));
    expect(info).toEqual({ clientAddress: 'test.tollgate.alice', assetScale: 2, assetCode: 'USD' });
  });

  it('forwards a Prepare from one child to another across currencies, rounding down', async () => {
    const reply = deserializeIlpReply(
      await alice.sendData(Buffer.from(prepareTo('test.tollgate.bob.x', 333n))),
    );
    expect(reply.type).toBe(IlpPacketType.Fulfill);
    // 333 cents USD = 3.33 USD = 2.664 EUR = 2_664_000 micro-EUR at USD 1 / EUR 1.25
    expect(new TextDecoder().decode((reply as { data: Uint8Array }).data)).toBe('got 2664000');
    expect(await balance('alice')).toBe(-333n);
    expect(await balance('bob')).toBe(2_664_000n);
    expect(await durableBalance('alice')).toBe(-333n);
    expect(await durableBalance('bob')).toBe(2_664_000n);
  });

  it('rejects above the max packet amount with F08 and its data', async () => {
    const reply = deserializeIlpReply(
      await alice.sendData(Buffer.from(prepareTo('test.tollgate.bob', 501n))),
    );
    expect(isReject(reply) && reply.code).toBe('F08');
    expect(isReject(reply) && reply.triggeredBy).toBe('test.tollgate');
    expect(Buffer.from((reply as { data: Uint8Array }).data).toString('hex')).toBe(
      '00000000000001f500000000000001f4',
    );
  });

  it('refuses credit past minBalance with T04 and credits nothing', async () => {
    // alice is at -333 with a limit of -1000: 500 + 500 would pass it.
    const first = deserializeIlpReply(
      await alice.sendData(Buffer.from(prepareTo('test.tollgate.bob', 500n))),
    );
    const second = deserializeIlpReply(
      await alice.sendData(Buffer.from(prepareTo('test.tollgate.bob', 500n))),
    );
    expect(isFulfill(first)).toBe(true);
    expect(isReject(second) && second.code).toBe('T04');
    expect(await balance('alice')).toBe(-833n);
  });

  it('turns a wrong fulfillment into F05 and credits nothing', async () => {
    const before = [await balance('alice'), await balance('bob')];
    const bytes = prepareTo('test.tollgate.bob', 10n, false);
    fulfillments.set(
      Buffer.from(deserializePrepare(bytes).executionCondition).toString('hex'),
      randomBytes(32),
    );
    const reply = deserializeIlpReply(await alice.sendData(Buffer.from(bytes)));
    expect(isReject(reply) && reply.code).toBe('F05');
    expect([await balance('alice'), await balance('bob')]).toEqual(before);
  });

  it('answers F02 for an unknown destination', async () => {
    const reply = deserializeIlpReply(
      await alice.sendData(Buffer.from(prepareTo('test.nowhere.at.all', 1n))),
    );
    expect(isReject(reply) && reply.code).toBe('F02');
  });

  it('carries packets over ILP-over-HTTP with the account token', async () => {
    const bytes = prepareTo('test.tollgate.bob.http', 10n);
    const res = await fetch(`${server.url}/ilp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        authorization: `Bearer ${ALICE_TOKEN}`,
      },
      body: Buffer.from(bytes),
    });
    expect(res.status).toBe(200);
    const reply = deserializeIlpReply(new Uint8Array(await res.arrayBuffer()));
    expect(reply.type).toBe(IlpPacketType.Fulfill);
  });

  it('refuses ILP-over-HTTP with a wrong token, and garbage with 400, leaving balances intact', async () => {
    const before = await balance('alice');
    const wrong = await fetch(`${server.url}/ilp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        authorization: 'Bearer not-a-token-of-anyone',
      },
      body: Buffer.from(prepareTo('test.tollgate.bob', 1n)),
    });
    expect(wrong.status).toBe(401);
    const garbage = await fetch(`${server.url}/ilp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        authorization: `Bearer ${ALICE_TOKEN}`,
      },
      body: randomBytes(200),
    });
    expect(garbage.status).toBe(400);
    expect(await balance('alice')).toBe(before);
  });

  it('answers a truncated or garbage ILP packet inside BTP with F01, keeping the link', async () => {
    const before = await balance('alice');
    const whole = prepareTo('test.tollgate.bob', 5n);
    for (const bad of [whole.subarray(0, 40), randomBytes(100), Buffer.from([12])]) {
      const reply = deserializeIlpReply(await alice.sendData(Buffer.from(bad)));
      expect(isReject(reply) && reply.code).toBe('F01');
    }
    const reply = deserializeIlpReply(await alice.sendData(Buffer.from(whole)));
    expect(reply.type).toBe(IlpPacketType.Fulfill);
    expect(await balance('alice')).toBe(before - 5n);
  });

  it('refuses an oversized ILP-over-HTTP body with 413', async () => {
    const res = await fetch(`${server.url}/ilp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        authorization: `Bearer ${ALICE_TOKEN}`,
      },
      body: randomBytes(40_000),
    });
    expect(res.status).toBe(413);
  });

  it('refuses to delete an account that is not square', async () => {
    const res = await api().delete('/api/admin/accounts/alice').set(auth()).expect(409);
    expect(res.body.message).toContain('settle it to zero first');
    await api().get('/api/admin/accounts/alice').set(auth()).expect(200);
  });

  it('refuses a BTP connection with a wrong token and survives garbage frames', async () => {
    const refused = new BtpPlugin({
      server: `btp+ws://:wrong-token-0000000000@${server.url.replace('http://', '')}/btp`,
    });
    await expect(
      Promise.race([
        refused.connect(),
        new Promise((_, r) => setTimeout(() => r(new Error('timeout')), 5000)),
      ]),
    ).rejects.toThrow();
    await refused.disconnect().catch(() => undefined);

    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/btp`);
    await new Promise((r) => ws.once('open', r));
    ws.send(randomBytes(64));
    await new Promise((r) => ws.once('close', r));

    // The good links still work.
    const reply = deserializeIlpReply(
      await alice.sendData(Buffer.from(prepareTo('test.tollgate.bob', 1n))),
    );
    expect(reply.type).toBe(IlpPacketType.Fulfill);
  });
});

describe('admin API for the connector', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let admin: string;
  const api = () => request(server.url);

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    admin = (server.adminToken as { token: string }).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const base = {
    id: 'peer1',
    assetCode: 'USD',
    assetScale: 2,
    relation: 'peer',
    link: 'btp',
    incomingToken: 'peer1-token-0123456789',
  };

  it('needs the admin token', async () => {
    await api().post('/api/admin/accounts').send(base).expect(401);
    await api().get('/api/admin/accounts/peer1').expect(401);
    await api().put('/api/admin/rates').send({ USD: '1' }).expect(401);
  });

  it('creates an account (201), never echoes a secret, and shows it with its balance', async () => {
    const res = await api()
      .post('/api/admin/accounts')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        ...base,
        maxPacketAmount: '18446744073709551615',
        minBalance: '-5000',
        settleThreshold: '1000',
        settleTo: '0',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      id: 'peer1',
      maxPacketAmount: '18446744073709551615',
      minBalance: '-5000',
      balance: '0',
      hasIncomingToken: true,
    });
    expect(JSON.stringify(res.body)).not.toContain(base.incomingToken);
    const got = await api()
      .get('/api/admin/accounts/peer1')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(got.body.balance).toBe('0');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT incoming_token_hash FROM accounts WHERE id = $1', [
      'peer1',
    ]);
    await client.end();
    expect(rows[0].incoming_token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    [{ maxPacketAmount: 10 }, 'maxPacketAmount'],
    [{ maxPacketAmount: '1.5' }, 'maxPacketAmount'],
    [{ maxPacketAmount: '18446744073709551616' }, 'maxPacketAmount'],
    [{ minBalance: '-1e3' }, 'minBalance'],
    [{ assetScale: 256 }, 'assetScale'],
    [{ relation: 'friend' }, 'relation'],
    [{ id: 'has.dot' }, 'id'],
    [{ incomingToken: 'short' }, 'incomingToken'],
    [{ surprise: true }, 'surprise'],
    [{ rateLimit: { packetsPerSecond: 0 } }, 'rateLimit.packetsPerSecond'],
    [{ settleTo: '10', settleThreshold: '5' }, 'settleTo'],
    [{ link: 'http', outgoingUrl: 'ws://x' }, 'outgoingUrl'],
    [{ outgoingUrl: 'btp+ws://u:secret@127.0.0.1:1/btp', outgoingToken: 'secret2' }, 'outgoingUrl'],
  ])('answers 400 naming the field for %j', async (patch, field) => {
    const res = await api()
      .post('/api/admin/accounts')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...base, id: 'bad', ...patch })
      .expect(400);
    expect(res.body.statusCode).toBe(400);
    expect(res.body.message).toContain(field);
  });

  it('refuses a duplicate id or token with 409', async () => {
    await api()
      .post('/api/admin/accounts')
      .set('Authorization', `Bearer ${admin}`)
      .send(base)
      .expect(409);
    await api()
      .post('/api/admin/accounts')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...base, id: 'peer2' })
      .expect(409);
  });

  it('answers 404 for an unknown account', async () => {
    await api()
      .get('/api/admin/accounts/nobody')
      .set('Authorization', `Bearer ${admin}`)
      .expect(404);
  });

  it('shows the live routing table', async () => {
    const res = await api()
      .get('/api/admin/routing')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(res.body).toContainEqual({
      prefix: 'test.tollgate',
      nextHop: null,
      source: 'local',
      path: [],
    });
    await api().get('/api/admin/routing').expect(401);
  });

  it('adds, lists and deletes static routes', async () => {
    await api()
      .post('/api/admin/routes')
      .set('Authorization', `Bearer ${admin}`)
      .send({ prefix: 'test.elsewhere', accountId: 'peer1' })
      .expect(201);
    await api()
      .post('/api/admin/routes')
      .set('Authorization', `Bearer ${admin}`)
      .send({ prefix: 'test.x', accountId: 'nobody' })
      .expect(400);
    await api()
      .post('/api/admin/routes')
      .set('Authorization', `Bearer ${admin}`)
      .send({ prefix: 'not an address', accountId: 'peer1' })
      .expect(400);
    const list = await api()
      .get('/api/admin/routes')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(list.body).toEqual([{ prefix: 'test.elsewhere', accountId: 'peer1' }]);
    const table = await api()
      .get('/api/admin/routing')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(table.body).toContainEqual({
      prefix: 'test.elsewhere',
      nextHop: 'peer1',
      source: 'static',
      path: [],
    });
    await api()
      .delete('/api/admin/routes/test.elsewhere')
      .set('Authorization', `Bearer ${admin}`)
      .expect(204);
    await api()
      .delete('/api/admin/routes/test.elsewhere')
      .set('Authorization', `Bearer ${admin}`)
      .expect(404);
  });

  it('replaces the rate table, and refuses numbers, negatives and junk naming the asset', async () => {
    const ok = await api()
      .put('/api/admin/rates')
      .set('Authorization', `Bearer ${admin}`)
      .send({ USD: '1', EUR: '1.08' })
      .expect(200);
    expect(ok.body).toEqual({ USD: '1', EUR: '1.08' });
    for (const bad of [{ EUR: 1.08 }, { EUR: '-1' }, { EUR: '0' }, { 'E R': '1' }]) {
      const res = await api()
        .put('/api/admin/rates')
        .set('Authorization', `Bearer ${admin}`)
        .send(bad)
        .expect(400);
      expect(res.body.message).toMatch(/EUR|E R/);
    }
    const got = await api()
      .get('/api/admin/rates')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(got.body).toEqual({ USD: '1', EUR: '1.08' });
  });

  it('keeps accounts, routes and rates across a restart', async () => {
    await api()
      .post('/api/admin/routes')
      .set('Authorization', `Bearer ${admin}`)
      .send({ prefix: 'test.kept', accountId: 'peer1' })
      .expect(201);
    await server.stop();
    server = await startTestApp({ databaseUrl: db.url });
    const h = { Authorization: `Bearer ${admin}` };
    await api().get('/api/admin/accounts/peer1').set(h).expect(200);
    expect((await api().get('/api/admin/routes').set(h)).body).toEqual([
      { prefix: 'test.kept', accountId: 'peer1' },
    ]);
    expect((await api().get('/api/admin/rates').set(h)).body).toEqual({ USD: '1', EUR: '1.08' });
  });

  it('deletes a square account, and refuses one that is not', async () => {
    await api()
      .delete('/api/admin/accounts/peer1')
      .set('Authorization', `Bearer ${admin}`)
      .expect(204);
    await api()
      .get('/api/admin/accounts/peer1')
      .set('Authorization', `Bearer ${admin}`)
      .expect(404);
  });
});
