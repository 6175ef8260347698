/**
 * The connector's side of settlement (RFC 38) through the real server, with an in-test
 * engine built on @tollgate/settlement's engine handler: accounts are set up on the engine,
 * a balance over the threshold is settled down to settleTo through the queue, an engine that
 * is down is retried with the same Idempotency-Key and pays once, a refusal puts the amount
 * back, and the engine-facing API credits incoming settlements once per key, across scales
 * (leftovers kept) and across a restart.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createEngineApiHandler,
  MemoryIdempotencyStore,
  Quantity,
  SettlementError,
} from '@tollgate/settlement';
import type { RunningTollgate } from '../src/bootstrap';
import { ConnectorService } from '../src/connector/connector.service';
import { SettlementApiServer } from '../src/settlement/settlement-api.server';
import { SettlementAdminService } from '../src/settlement/settlement-admin.service';
import { SettlementRepository } from '../src/settlement/settlement.repository';
import { SettlementService } from '../src/settlement/settlement.service';
import { verifyWebhookSignature } from '../src/webhooks/webhook-signature';
import { WebhookReceiver } from './webhook-receiver';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

/** An RFC 38 engine that records what it is asked and can be told to fail. */
class TestEngine {
  readonly accounts = new Set<string>();
  readonly settleCalls: { id: string; q: Quantity; key: string; at: number }[] = [];
  /** Distinct keys it accepted: what it actually "paid". */
  readonly paid = new Map<string, { id: string; q: Quantity }>();
  failNext: { status: 'down' | 'refuse'; times: number } | undefined;
  private server!: Server;

  async start(): Promise<string> {
    const handler = createEngineApiHandler(
      {
        createAccount: async (id) => void this.accounts.add(id),
        deleteAccount: async (id) => void this.accounts.delete(id),
        settle: async (id, q, key) => {
          this.settleCalls.push({ id, q, key, at: Date.now() });
          if (this.failNext && this.failNext.times > 0) {
            this.failNext.times -= 1;
            throw new SettlementError(
              this.failNext.status === 'down' ? 'internal_error' : 'invalid_quantity',
              this.failNext.status === 'down' ? 'ledger unavailable' : 'refused for good',
            );
          }
          if (!this.accounts.has(id)) throw new SettlementError('account_not_found');
          this.paid.set(key, { id, q });
        },
        receiveMessage: async (_id, data) => data,
      },
      new MemoryIdempotencyStore(),
    );
    this.server = createServer(handler);
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('settlement, connector side', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let engine: TestEngine;
  let engineUrl: string;
  let admin: string;
  let hooks: WebhookReceiver;
  let hookSecret: string;

  const api = () => request(server.url);
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const settlementApi = () => request(server.app.get(SettlementApiServer).url);
  const connector = () => server.app.get(ConnectorService).connector;

  /** Makes the node owe `id` this much more, as fulfilled packets to it would. */
  const owe = (id: string, amount: bigint) =>
    connector().adjustBalance(id, amount, 'test: packets fulfilled by the peer', 'adjustment');

  async function createPeer(id: string, extra: Record<string, unknown> = {}) {
    await api()
      .post('/api/admin/accounts')
      .set(auth())
      .send({
        id,
        assetCode: 'ETH',
        assetScale: 9,
        relation: 'peer',
        link: 'btp',
        incomingToken: `${id}-incoming-token-0123456789`,
        settlementEngineUrl: engineUrl,
        ...extra,
      })
      .expect(201);
  }

  beforeAll(async () => {
    engine = new TestEngine();
    engineUrl = await engine.start();
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    admin = (server.adminToken as { token: string }).token;
    hooks = new WebhookReceiver();
    const hooksUrl = await hooks.start();
    hookSecret = (
      await api()
        .post('/api/admin/webhooks')
        .set(auth())
        .send({ url: `${hooksUrl}/node`, events: ['settlement.completed'] })
        .expect(201)
    ).body.secret;
  });

  afterAll(async () => {
    await server?.stop();
    await hooks?.stop();
    await engine?.stop();
    await db?.drop();
  });

  it('sets the account up on its engine when it is created', async () => {
    await createPeer('setup', { settleThreshold: '1000', settleTo: '0' });
    await waitFor(() => engine.accounts.has('setup'));
  });

  it('settles a balance over the threshold down to settleTo, once', async () => {
    await createPeer('carol', { settleThreshold: '1000', settleTo: '100' });
    await waitFor(() => engine.accounts.has('carol'));
    await owe('carol', 600n);
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.settleCalls.filter((c) => c.id === 'carol')).toHaveLength(0);
    await owe('carol', 650n); // 1250 > 1000

    const paid = await waitFor(() => [...engine.paid.values()].find((p) => p.id === 'carol'));
    expect(paid.q).toEqual({ amount: 1150n, scale: 9 });
    expect(connector().getBalance('carol').balance).toBe(100n);

    const list = await waitFor(async () => {
      const res = await api().get('/api/admin/settlements?accountId=carol').set(auth()).expect(200);
      return res.body.data[0]?.state === 'confirmed' ? res.body : undefined;
    });
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      accountId: 'carol',
      direction: 'outgoing',
      state: 'confirmed',
      amount: '1150',
      assetCode: 'ETH',
      assetScale: 9,
      engineAmount: '1150',
      engineScale: 9,
      attempts: 1,
    });
    const account = await api().get('/api/admin/accounts/carol').set(auth()).expect(200);
    expect(account.body.balance).toBe('100');
    // A signed settlement.completed webhook, once.
    const id = list.data[0].id as string;
    const forThis = () =>
      hooks
        .on('/node')
        .filter(
          (r) => r.body.data.settlement && (r.body.data.settlement as { id: string }).id === id,
        );
    await hooks.until(() => forThis().length > 0);
    const [event] = forThis();
    expect(event.body).toMatchObject({
      type: 'settlement.completed',
      data: { settlement: { id, accountId: 'carol', state: 'confirmed', amount: '1150' } },
    });
    expect(
      verifyWebhookSignature(
        hookSecret,
        event.rawBody,
        event.headers['tollgate-signature'] as string,
      ).ok,
    ).toBe(true);
    const metrics = await api().get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /tollgate_settlements_total\{direction="outgoing",state="confirmed"\} [1-9]/,
    );
  });

  it('retries while the engine is down, with the same key, and pays once', async () => {
    await createPeer('dave', { settleThreshold: '10', settleTo: '0' });
    await waitFor(() => engine.accounts.has('dave'));
    engine.failNext = { status: 'down', times: 2 };
    await owe('dave', 50n);

    const row = await waitFor(async () => {
      const res = await api().get('/api/admin/settlements?accountId=dave').set(auth());
      return res.body.data[0]?.state === 'confirmed' ? res.body.data[0] : undefined;
    });
    const calls = engine.settleCalls.filter((c) => c.id === 'dave');
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
    expect([...engine.paid.values()].filter((p) => p.id === 'dave')).toHaveLength(1);
    expect(row.attempts).toBe(3);
    expect(connector().getBalance('dave').balance).toBe(0n);
  });

  it('puts the amount back when the engine refuses it for good', async () => {
    await createPeer('erin', { settleThreshold: '10', settleTo: '0' });
    await waitFor(() => engine.accounts.has('erin'));
    engine.failNext = { status: 'refuse', times: 1 };
    await owe('erin', 40n);

    const row = await waitFor(async () => {
      const res = await api().get('/api/admin/settlements?accountId=erin&state=failed').set(auth());
      return res.body.data[0];
    });
    expect(row).toMatchObject({ state: 'failed', amount: '40', attempts: 1 });
    expect(row.lastError).toContain('refused for good');
    await waitFor(() => connector().getBalance('erin').balance === 40n);
    expect([...engine.paid.values()].filter((p) => p.id === 'erin')).toHaveLength(0);
  });

  it('settles again once the pause after a refusal is over', async () => {
    const service = server.app.get(SettlementService);
    const pause = service.refusalPauseMs;
    service.refusalPauseMs = 300;
    try {
      await createPeer('ivy', { settleThreshold: '10', settleTo: '0' });
      await waitFor(() => engine.accounts.has('ivy'));
      engine.failNext = { status: 'refuse', times: 2 };
      await owe('ivy', 40n);
      await waitFor(async () => {
        const res = await api()
          .get('/api/admin/settlements?accountId=ivy&state=failed')
          .set(auth());
        return res.body.data[0];
      });
      // No packet comes after the refusal: the node itself must look again.
      const paid = await waitFor(() => [...engine.paid.values()].find((p) => p.id === 'ivy'));
      expect(paid.q).toEqual({ amount: 40n, scale: 9 });
      await waitFor(() => connector().getBalance('ivy').balance === 0n);
      // Refusals in a row wait longer each time: 300 ms, then 600 ms.
      const calls = engine.settleCalls.filter((c) => c.id === 'ivy');
      expect(calls).toHaveLength(3);
      expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(290);
      expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(590);
    } finally {
      service.refusalPauseMs = pause;
    }
  });

  it('an admin retry asks the engine now, not when the back-off would have', async () => {
    await createPeer('kate', { settleThreshold: '10', settleTo: '0' });
    await waitFor(() => engine.accounts.has('kate'));
    engine.failNext = { status: 'down', times: 3 };
    await owe('kate', 30n);
    const calls = () => engine.settleCalls.filter((c) => c.id === 'kate').length;
    await waitFor(() => calls() === 3);
    // The engine is back; the next automatic attempt is 2 to 4 s away.
    const row = (await api().get('/api/admin/settlements?accountId=kate').set(auth())).body.data[0];
    await api().post(`/api/admin/settlements/${row.id}/retry`).set(auth()).expect(202);
    await waitFor(() => [...engine.paid.values()].some((p) => p.id === 'kate'), 1_500);
    await waitFor(async () => {
      const one = await api().get(`/api/admin/settlements/${row.id}`).set(auth());
      return one.body.state === 'confirmed';
    });
    expect([...engine.paid.values()].filter((p) => p.id === 'kate')).toHaveLength(1);
  });

  it('settles on demand from the admin API, and refuses more than is owed', async () => {
    await createPeer('frank');
    await waitFor(() => engine.accounts.has('frank'));
    await owe('frank', 500n);
    await api()
      .post('/api/admin/accounts/frank/settlements')
      .set(auth())
      .send({ amount: '501' })
      .expect(400)
      .expect((res) => expect(res.body.code).toBe('invalid_amount'));
    await api()
      .post('/api/admin/accounts/frank/settlements')
      .set(auth())
      .send({ amount: '-5' })
      .expect(400)
      .expect((res) => expect(res.body.message).toContain('amount'));
    const res = await api()
      .post('/api/admin/accounts/frank/settlements')
      .set(auth())
      .send({ amount: '200' })
      .expect(201);
    expect(res.body).toMatchObject({ accountId: 'frank', amount: '200' });
    await waitFor(async () => {
      const one = await api().get(`/api/admin/settlements/${res.body.id}`).set(auth()).expect(200);
      return one.body.state === 'confirmed';
    });
    expect(connector().getBalance('frank').balance).toBe(300n);
    await api().get('/api/admin/settlements/not-a-uuid').set(auth()).expect(400);
    await api()
      .get('/api/admin/settlements/00000000-0000-4000-8000-000000000000')
      .set(auth())
      .expect(404);
    await api().get('/api/admin/settlements').expect(401);
  });

  it('two admin settlements at once never pay more than is owed', async () => {
    await createPeer('gabe');
    await waitFor(() => engine.accounts.has('gabe'));
    await owe('gabe', 500n);
    // A double submit: each request alone is within what is owed, together they are not.
    const admin = server.app.get(SettlementAdminService);
    const answers = await Promise.allSettled([1, 2, 3, 4].map(() => admin.settleNow('gabe', 500n)));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const answer of answers) {
      if (answer.status === 'rejected') {
        expect(answer.reason).toMatchObject({ code: 'invalid_amount' });
      }
    }
    // And over HTTP, once nothing is owed any more.
    await api()
      .post('/api/admin/accounts/gabe/settlements')
      .set(auth())
      .send({ amount: '500' })
      .expect(400);
    await waitFor(() => [...engine.paid.values()].some((p) => p.id === 'gabe'));
    const rows = await api().get('/api/admin/settlements?accountId=gabe').set(auth()).expect(200);
    expect(rows.body.data).toHaveLength(1);
    expect(connector().getBalance('gabe').balance).toBe(0n);
  });

  it('a settlement trigger that fails rejects to its caller only, and the next one still runs', async () => {
    await createPeer('hugo', { settleThreshold: '1000', settleTo: '0' });
    await waitFor(() => engine.accounts.has('hugo'));
    const service = server.app.get(SettlementService);
    const repository = server.app.get(SettlementRepository);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const spy = vi
      .spyOn(repository, 'findAccount')
      .mockRejectedValueOnce(new Error('database briefly away'));
    try {
      await expect(service.trigger('hugo')).rejects.toThrow('database briefly away');
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      spy.mockRestore();
      process.off('unhandledRejection', onUnhandled);
    }
    await owe('hugo', 1500n);
    const paid = await waitFor(() => [...engine.paid.values()].find((p) => p.id === 'hugo'));
    expect(paid.q.amount).toBe(1500n);
  });

  describe('incoming settlements (the engine-facing API)', () => {
    const credit = (id: string, key: string, body: unknown) =>
      settlementApi()
        .post(`/accounts/${id}/settlements`)
        .set('Idempotency-Key', key)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));

    it('credits once per key, converting scales and keeping the leftover', async () => {
      await createPeer('gina');
      // 905 @ 11 → 9 @ 9, leftover 5 @ 11 (FACTS §11.6)
      await credit('gina', 'key-gina-1-0123456789abcdef', { amount: '905', scale: 11 }).expect(201);
      expect(connector().getBalance('gina').balance).toBe(9n);
      // the same key again (a retry): the same answer, no second credit
      await credit('gina', 'key-gina-1-0123456789abcdef', { amount: '905', scale: 11 }).expect(201);
      expect(connector().getBalance('gina').balance).toBe(9n);
      // the same key with another body: 409
      await credit('gina', 'key-gina-1-0123456789abcdef', { amount: '906', scale: 11 }).expect(409);
      // 95 @ 11 + leftover 5 @ 11 = 100 @ 11 = 1 @ 9
      await credit('gina', 'key-gina-2-0123456789abcdef', { amount: '95', scale: 11 }).expect(201);
      expect(connector().getBalance('gina').balance).toBe(10n);
      // wei (scale 18) into scale 9, with a leftover that later adds up
      await credit('gina', 'key-gina-3-0123456789abcdef', {
        amount: '1000000000500000000',
        scale: 18,
      }).expect(201);
      expect(connector().getBalance('gina').balance).toBe(10n + 1_000_000_000n);
      await credit('gina', 'key-gina-4-0123456789abcdef', {
        amount: '500000000',
        scale: 18,
      }).expect(201);
      expect(connector().getBalance('gina').balance).toBe(11n + 1_000_000_000n);

      const rows = await api()
        .get('/api/admin/settlements?accountId=gina&direction=incoming')
        .set(auth());
      expect(rows.body.data.map((r: { amount: string }) => r.amount)).toEqual([
        '1',
        '1000000000',
        '1',
        '9',
      ]);
      const account = await api().get('/api/admin/accounts/gina').set(auth()).expect(200);
      expect(account.body.balance).toBe(String(11n + 1_000_000_000n));
    });

    it('refuses bad input with a clear error and credits nothing', async () => {
      await createPeer('hank');
      const bad: [unknown, number][] = [
        [{ amount: '-1', scale: 9 }, 400],
        [{ amount: '1.5', scale: 9 }, 400],
        [{ amount: 10, scale: 9 }, 400],
        [{ amount: '10', scale: 256 }, 400],
        [{ amount: '10', scale: -1 }, 400],
        [{ amount: '10' }, 400],
        ['not an object', 400],
        // more than 64 bits once in the account's scale
        [{ amount: `1${'0'.repeat(40)}`, scale: 0 }, 400],
      ];
      for (const [i, [body, status]] of bad.entries()) {
        const res = await credit('hank', `key-hank-${i}-0123456789abcdef`, body);
        expect(res.status, JSON.stringify(body)).toBe(status);
      }
      await credit('nobody', 'key-nobody-0123456789abcdef', { amount: '10', scale: 9 }).expect(404);
      await settlementApi()
        .post('/accounts/hank/settlements')
        .set('Content-Type', 'application/json')
        .send('{"amount":"10","scale":9}')
        .expect(400);
      expect(connector().getBalance('hank').balance).toBe(0n);
    });

    it('a message for a peer that is not connected is a 502, not a crash', async () => {
      await createPeer('ivan');
      await settlementApi()
        .post('/accounts/ivan/messages')
        .set('Content-Type', 'application/octet-stream')
        .send(Buffer.from('hello'))
        .expect(502);
    });
  });
});

describe('settlement across a restart', () => {
  it('credits a settlement the engine repeats after the node restarted exactly once', async () => {
    const db = await createTestDatabase();
    const engine = new TestEngine();
    const engineUrl = await engine.start();
    let server = await startTestApp({ databaseUrl: db.url });
    const admin = (server.adminToken as { token: string }).token;
    try {
      await request(server.url)
        .post('/api/admin/accounts')
        .set('Authorization', `Bearer ${admin}`)
        .send({
          id: 'peer',
          assetCode: 'ETH',
          assetScale: 9,
          relation: 'peer',
          link: 'btp',
          incomingToken: 'peer-incoming-token-0123456789',
          settlementEngineUrl: engineUrl,
        })
        .expect(201);
      const body = JSON.stringify({ amount: '7000000000', scale: 18 });
      const send = () =>
        request(server.app.get(SettlementApiServer).url)
          .post('/accounts/peer/settlements')
          .set('Idempotency-Key', 'restart-key-0123456789abcdef')
          .set('Content-Type', 'application/json')
          .send(body);
      await send().expect(201);
      await server.stop();
      server = await startTestApp({ databaseUrl: db.url, adminToken: admin });
      await send().expect(201);
      expect(server.app.get(ConnectorService).connector.getBalance('peer').balance).toBe(7n);
    } finally {
      await server.stop();
      await engine.stop();
      await db.drop();
    }
  });
});
