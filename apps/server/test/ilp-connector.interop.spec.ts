/**
 * Interop with the reference connector, ilp-connector 23.0.2, each scenario a whole Tollgate
 * server (fresh database) plus an in-process ilp-connector `test.refconn`:
 *
 * 1. ilp-connector as Tollgate's parent over BTP (Tollgate dials its ilp-plugin-btp
 *    listener): packets both ways, the default route to the parent, balances on both sides,
 *    rejects from the far side passed back intact.
 * 2. ilp-connector as a peer over BTP with no static routes: CCP makes each side reachable
 *    from the other; what Tollgate advertises (decoded with ilp-protocol-ccp); a static route
 *    advertised then withdrawn; a route the peer withdraws is dropped.
 * 3. ilp-connector as a peer over ILP-over-HTTP (its ilp-plugin-http account against our
 *    `POST /ilp` and our HTTP client against its plugin's server), CCP over HTTP.
 *
 * Asset everywhere: USD, scale 2; ilp-connector with the one-to-one backend and no spread,
 * so amounts cross unchanged.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BtpPlugin from 'ilp-plugin-btp';
import { CCP_UPDATE_DESTINATION, deserializeCcpRouteUpdateRequest } from 'ilp-protocol-ccp';
import type { CcpRouteUpdateRequest } from 'ilp-protocol-ccp';
import { BtpClient } from '@tollgate/btp';
import {
  deserializeIlpReply,
  deserializePrepare,
  IlpPacketType,
  isFulfill,
  isReject,
  serializeFulfill,
  serializePrepare,
  serializeReject,
  type IlpReply,
} from '@tollgate/ilp-core';
import type { RunningTollgate } from '../src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';
import {
  freePort,
  RefConnector,
  startRefConnector,
  tapIncoming,
} from '../../../test-support/ref-connector';

const CREDIT = '-1000000000';
const REF_BALANCE = { minimum: '-1000000000', maximum: '1000000000' };
const USD = { assetCode: 'USD', assetScale: 2 };
const ALICE_TOKEN = 'alice-interop-token-0123456789';

// ------------------------------------------------------------------ packets

/** Fulfillments by condition (hex): whoever receives a Prepare we made can fulfill it. */
const fulfillments = new Map<string, Uint8Array>();

function prepareTo(destination: string, amount: bigint, known = true): Uint8Array {
  const fulfillment = randomBytes(32);
  const condition = createHash('sha256').update(fulfillment).digest();
  if (known) fulfillments.set(condition.toString('hex'), fulfillment);
  return serializePrepare({
    amount,
    expiresAt: new Date(Date.now() + 10_000),
    executionCondition: condition,
    destination,
    data: new TextEncoder().encode('interop'),
  });
}

/** An end receiver: fulfills what it knows, saying who got how much for which address. */
function receiver(name: string, address: string) {
  return async (bytes: Uint8Array): Promise<Uint8Array> => {
    const prepare = deserializePrepare(bytes);
    const fulfillment = fulfillments.get(Buffer.from(prepare.executionCondition).toString('hex'));
    if (!fulfillment) {
      return serializeReject({
        code: 'F99',
        triggeredBy: address,
        message: `${name} does not know this condition`,
        data: new TextEncoder().encode(`${name}-reject`),
      });
    }
    const note = `${name} got ${prepare.amount} for ${prepare.destination}`;
    return serializeFulfill({ fulfillment, data: new TextEncoder().encode(note) });
  };
}

function text(reply: IlpReply): string {
  return new TextDecoder().decode(reply.data);
}

/** Retries `attempt` (a whole new packet each time) until `done` holds or time runs out. */
async function eventually<T>(
  attempt: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 6_000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

// ------------------------------------------------------------------ Tollgate side

/** A Tollgate server on a fresh database, with its admin API at hand. */
class Node {
  db!: TestDatabase;
  server!: RunningTollgate;
  private token!: string;

  async start(): Promise<void> {
    this.db = await createTestDatabase();
    this.server = await startTestApp({ databaseUrl: this.db.url });
    this.token = (this.server.adminToken as { token: string }).token;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.db?.drop();
  }

  async admin(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.server.url}/api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async createAccount(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await this.admin('POST', '/accounts', body);
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(201);
    return json;
  }

  async account(
    id: string,
  ): Promise<{ balance: string; connected: boolean } & Record<string, unknown>> {
    const res = await this.admin('GET', `/accounts/${id}`);
    expect(res.status).toBe(200);
    return res.json();
  }

  async balances(...ids: string[]): Promise<Record<string, bigint>> {
    const out: Record<string, bigint> = {};
    for (const id of ids) out[id] = BigInt((await this.account(id)).balance);
    return out;
  }

  async waitConnected(id: string, timeoutMs = 8_000): Promise<void> {
    const account = await eventually(
      () => this.account(id),
      (a) => a.connected === true,
      timeoutMs,
    );
    expect(account.connected, `account ${id} connected`).toBe(true);
  }

  /** A child `alice` on our BTP server, fulfilling on our own BtpClient. */
  async connectAlice(): Promise<BtpClient> {
    await this.createAccount({
      id: 'alice',
      ...USD,
      relation: 'child',
      link: 'btp',
      incomingToken: ALICE_TOKEN,
      minBalance: CREDIT,
    });
    const alice = new BtpClient({
      url: `${this.server.url.replace('http', 'btp+ws')}/btp`,
      username: 'alice',
      token: ALICE_TOKEN,
      reconnect: false,
    });
    alice.setIlpHandler(receiver('alice', 'test.tollgate.alice'));
    await alice.connect();
    return alice;
  }
}

/** `carol`, a child of the reference connector, on an ilp-plugin-btp client. */
async function connectCarol(port: number, secret: string): Promise<BtpPlugin> {
  const carol = new BtpPlugin({ server: `btp+ws://carol:${secret}@127.0.0.1:${port}` });
  const handle = receiver('carol', 'test.refconn.carol');
  carol.registerDataHandler(async (data: Buffer) => Buffer.from(await handle(data)));
  await carol.connect();
  return carol;
}

async function aliceSends(alice: BtpClient, bytes: Uint8Array): Promise<IlpReply> {
  return deserializeIlpReply(await alice.sendIlp(bytes, 15_000));
}

async function carolSends(carol: BtpPlugin, bytes: Uint8Array): Promise<IlpReply> {
  return deserializeIlpReply(new Uint8Array(await carol.sendData(Buffer.from(bytes))));
}

function expectFulfilledBy(reply: IlpReply, note: string): void {
  if (isReject(reply)) {
    throw new Error(
      `expected a Fulfill, got ${reply.code} from ${reply.triggeredBy}: ${reply.message}`,
    );
  }
  expect(reply.type).toBe(IlpPacketType.Fulfill);
  expect(text(reply)).toBe(note);
}

function childAccount(port: number, secret: string) {
  return {
    relation: 'child',
    ...USD,
    plugin: 'ilp-plugin-btp',
    options: { listener: { port, secret } },
    balance: REF_BALANCE,
  };
}

// ================================================================== 1. parent

describe('ilp-connector as Tollgate’s parent (BTP, Tollgate dials)', () => {
  const node = new Node();
  let ref: RefConnector;
  let alice: BtpClient;
  let carol: BtpPlugin;
  let probe: BtpPlugin | undefined;
  const upSecret = `up-secret-${randomBytes(8).toString('hex')}`;
  const carolSecret = `carol-secret-${randomBytes(8).toString('hex')}`;

  beforeAll(async () => {
    await node.start();
    const [upPort, carolPort] = [await freePort(), await freePort()];
    ref = await startRefConnector({
      ilpAddress: 'test.refconn',
      accounts: {
        tollgate: childAccount(upPort, upSecret),
        carol: childAccount(carolPort, carolSecret),
      },
      // Tollgate keeps its own address (test.tollgate), not test.refconn.tollgate, and
      // ilp-connector takes no routes from a child: a static route reaches it.
      routes: [{ targetPrefix: 'test.tollgate', peerId: 'tollgate' }],
    });
    alice = await node.connectAlice();
    await node.createAccount({
      id: 'up',
      ...USD,
      relation: 'parent',
      link: 'btp',
      outgoingUrl: `ws://127.0.0.1:${upPort}`,
      outgoingToken: upSecret,
      minBalance: CREDIT,
    });
    carol = await connectCarol(carolPort, carolSecret);
    await node.waitConnected('up');
  });

  afterAll(async () => {
    await alice?.close();
    await carol?.disconnect();
    await probe?.disconnect();
    await node.stop();
    await ref?.stop();
  });

  it('is connected to the parent and keeps its own address', async () => {
    const up = await node.account('up');
    expect(up).toMatchObject({ relation: 'parent', connected: true, balance: '0' });
    expect(ref.app.getPlugin('tollgate').isConnected()).toBe(true);
    expect((await node.account('alice')).ilpAddress).toBe('test.tollgate.alice');
  });

  it('delivers a payment from the parent side to its child', async () => {
    const reply = await carolSends(carol, prepareTo('test.tollgate.alice.inv-1', 250n));
    expectFulfilledBy(reply, 'alice got 250 for test.tollgate.alice.inv-1');
    expect(await node.balances('up', 'alice')).toEqual({ up: -250n, alice: 250n });
    // ilp-connector's view (positive = the account owes it)
    expect(ref.balances()).toMatchObject({ carol: '250', tollgate: '-250' });
  });

  it('sends its child’s payment up through the parent (default route)', async () => {
    const reply = await aliceSends(alice, prepareTo('test.refconn.carol.order-7', 100n));
    expectFulfilledBy(reply, 'carol got 100 for test.refconn.carol.order-7');
    expect(await node.balances('up', 'alice')).toEqual({ up: -150n, alice: 150n });
    expect(ref.balances()).toMatchObject({ carol: '150', tollgate: '-150' });
  });

  it('passes the far side’s rejects back intact and moves no money', async () => {
    const unknown = await aliceSends(alice, prepareTo('test.refconn.carol.x', 5n, false));
    expect(isReject(unknown) && unknown).toMatchObject({
      code: 'F99',
      triggeredBy: 'test.refconn.carol',
      message: 'carol does not know this condition',
    });
    expect(text(unknown)).toBe('carol-reject');

    // beyond Tollgate's default route, and no route at the parent either. (Under the parent's
    // own address, e.g. test.refconn.nobody, ilp-connector answers F00 "unknown account id".)
    const nowhere = await aliceSends(alice, prepareTo('test.nowhere.at.all', 5n));
    expect(isReject(nowhere) && nowhere.code).toBe('F02');
    expect(isReject(nowhere) && nowhere.triggeredBy).toBe('test.refconn');

    const toUnknownChild = await carolSends(carol, prepareTo('test.tollgate.nobody', 5n));
    expect(isReject(toUnknownChild) && toUnknownChild.code).toBe('F02');
    expect(isReject(toUnknownChild) && toUnknownChild.triggeredBy).toBe('test.tollgate');

    expect(await node.balances('up', 'alice')).toEqual({ up: -150n, alice: 150n });
    expect(ref.balances()).toMatchObject({ carol: '150', tollgate: '-150' });
  });

  it('carries a burst of packets both ways without mixing up the answers', async () => {
    const up = [1n, 2n, 3n, 4n, 5n].map((n) =>
      aliceSends(alice, prepareTo(`test.refconn.carol.burst-${n}`, n)),
    );
    const down = [10n, 20n, 30n].map((n) =>
      carolSends(carol, prepareTo(`test.tollgate.alice.burst-${n}`, n)),
    );
    const replies = await Promise.all([...up, ...down]);
    expect(replies.map(text)).toEqual([
      ...[1, 2, 3, 4, 5].map((n) => `carol got ${n} for test.refconn.carol.burst-${n}`),
      ...[10, 20, 30].map((n) => `alice got ${n} for test.tollgate.alice.burst-${n}`),
    ]);
    // alice: 150 − 15 + 60; up: −150 + 15 − 60
    expect(await node.balances('up', 'alice')).toEqual({ up: -195n, alice: 195n });
    expect(ref.balances()).toMatchObject({ carol: '195', tollgate: '-195' });
  });

  it('dials a btp+ws://user:token@host outgoingUrl (credentials in the URL, as DESIGN.md allows)', async () => {
    const port = await freePort();
    const secret = `probe-secret-${randomBytes(8).toString('hex')}`;
    probe = new BtpPlugin({ listener: { port, secret } });
    const connected = probe.connect(); // resolves once a client has authenticated
    connected.catch(() => undefined); // rejects at disconnect if nobody ever came
    const res = await node.admin('POST', '/accounts', {
      id: 'probe',
      ...USD,
      relation: 'peer',
      link: 'btp',
      outgoingUrl: `btp+ws://probe:${secret}@127.0.0.1:${port}`,
      sendRoutes: false,
      receiveRoutes: false,
    });
    expect(res.status, await res.text()).toBe(201);
    await Promise.race([
      connected,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('Tollgate never authenticated to the listener')), 5_000),
      ),
    ]);
    await node.waitConnected('probe');
  });
});

// ================================================================== 2. peer, CCP

describe('ilp-connector as a peer (BTP), routes over CCP only', () => {
  const node = new Node();
  let ref: RefConnector;
  let alice: BtpClient;
  let carol: BtpPlugin;
  const peerSecret = `peer-secret-${randomBytes(8).toString('hex')}`;
  const carolSecret = `carol-secret-${randomBytes(8).toString('hex')}`;
  /** Every route update Tollgate sent the reference connector, decoded by ilp-protocol-ccp. */
  const updates: CcpRouteUpdateRequest[] = [];

  beforeAll(async () => {
    await node.start();
    const [peerPort, carolPort] = [await freePort(), await freePort()];
    const peerPlugin = tapIncoming(
      new BtpPlugin({ listener: { port: peerPort, secret: peerSecret } }),
      (data) => {
        if (deserializePrepare(data).destination === CCP_UPDATE_DESTINATION) {
          updates.push(deserializeCcpRouteUpdateRequest(data));
        }
      },
    );
    ref = await startRefConnector({
      ilpAddress: 'test.refconn',
      // its changes reach us within a second instead of at the 30 s default
      routeBroadcastInterval: 1_000,
      accounts: {
        tollgate: { relation: 'peer', ...USD, plugin: peerPlugin, balance: REF_BALANCE },
        carol: childAccount(carolPort, carolSecret),
      },
      // not under test.refconn, so ilp-connector advertises it on its own (see the last test)
      routes: [{ targetPrefix: 'test.carolnet', peerId: 'carol' }],
    });
    alice = await node.connectAlice();
    await node.createAccount({
      id: 'refconn',
      ...USD,
      relation: 'peer',
      link: 'btp',
      outgoingUrl: `ws://127.0.0.1:${peerPort}`,
      outgoingToken: peerSecret,
      minBalance: CREDIT,
    });
    carol = await connectCarol(carolPort, carolSecret);
    await node.waitConnected('refconn');
  });

  afterAll(async () => {
    await alice?.close();
    await carol?.disconnect();
    await node.stop();
    await ref?.stop();
  });

  it('learns the peer’s address over CCP: its child pays carol', async () => {
    const reply = await eventually(
      () => aliceSends(alice, prepareTo('test.refconn.carol.ccp-1', 70n)),
      isFulfill,
    );
    expectFulfilledBy(reply, 'carol got 70 for test.refconn.carol.ccp-1');
    expect(await node.balances('refconn', 'alice')).toEqual({ refconn: 70n, alice: -70n });
    expect(ref.balances()).toMatchObject({ tollgate: '70', carol: '-70' });
  });

  it('is learned by the peer over CCP: carol pays its child', async () => {
    const route = await eventually(
      async () => ref.routes()['test.tollgate'],
      (r) => r !== undefined,
    );
    expect(route).toMatchObject({ nextHop: 'tollgate', path: 'test.tollgate' });
    const reply = await carolSends(carol, prepareTo('test.tollgate.alice.ccp-2', 30n));
    expectFulfilledBy(reply, 'alice got 30 for test.tollgate.alice.ccp-2');
    expect(await node.balances('refconn', 'alice')).toEqual({ refconn: 40n, alice: -40n });
    expect(ref.balances()).toMatchObject({ tollgate: '40', carol: '-40' });
  });

  it('advertises only its own routes: its address, never the peer’s routes back to it', () => {
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) {
      expect(update.speaker).toBe('test.tollgate');
      expect(update.holdDownTime).toBeGreaterThan(0);
      for (const route of update.newRoutes) {
        expect(route.path[0]).toBe('test.tollgate');
        expect(route.path).not.toContain('test.refconn');
      }
    }
    const advertised = new Set(updates.flatMap((u) => u.newRoutes.map((r) => r.prefix)));
    expect(advertised).toContain('test.tollgate');
    expect(advertised).not.toContain('test.refconn');
    expect(advertised).not.toContain('test.carolnet');
    const own = updates.flatMap((u) => u.newRoutes).find((r) => r.prefix === 'test.tollgate');
    expect(own?.path).toEqual(['test.tollgate']);
    expect(own?.auth.length).toBe(32);
  });

  it('advertises a static route and withdraws it when it is deleted', async () => {
    let res = await node.admin('POST', '/routes', { prefix: 'test.shop', accountId: 'alice' });
    expect(res.status).toBe(201);
    const learned = await eventually(
      async () => ref.routes()['test.shop'],
      (r) => r !== undefined,
      4_000,
    );
    expect(learned).toMatchObject({ nextHop: 'tollgate', path: 'test.tollgate' });
    const paid = await carolSends(carol, prepareTo('test.shop.order-1', 12n));
    expectFulfilledBy(paid, 'alice got 12 for test.shop.order-1');

    res = await node.admin('DELETE', '/routes/test.shop');
    expect(res.status).toBe(204);
    const gone = await eventually(
      async () => ref.routes()['test.shop'],
      (r) => r === undefined,
      4_000,
    );
    expect(gone).toBeUndefined();
    expect(updates.some((u) => u.withdrawnRoutes.includes('test.shop'))).toBe(true);
    const refused = await carolSends(carol, prepareTo('test.shop.order-2', 12n));
    expect(isReject(refused) && refused.code).toBe('F02');
    expect(isReject(refused) && refused.triggeredBy).toBe('test.refconn');
    expect(await node.balances('refconn', 'alice')).toEqual({ refconn: 28n, alice: -28n });
  });

  it('drops a route the peer withdraws', async () => {
    // test.carolnet → carol is a configured route on the reference side, learned over CCP.
    const before = await eventually(
      () => aliceSends(alice, prepareTo('test.carolnet.a', 3n)),
      isFulfill,
    );
    expectFulfilledBy(before, 'carol got 3 for test.carolnet.a');

    await ref.app.removePlugin('carol'); // its configured route goes with it: a withdrawal
    const after = await eventually(
      () => aliceSends(alice, prepareTo('test.carolnet.b', 3n)),
      (r) => isReject(r) && r.triggeredBy === 'test.tollgate',
      5_000,
    );
    expect(isReject(after) && after).toMatchObject({ code: 'F02', triggeredBy: 'test.tollgate' });
    // and the peer's own address is still reachable
    const still = await aliceSends(alice, prepareTo('test.refconn.x', 1n));
    expect(isReject(still) && still.triggeredBy).toBe('test.refconn');
  });
});

// ================================================================== 3. peer, ILP over HTTP

describe('ilp-connector as a peer over ILP-over-HTTP (ilp-plugin-http)', () => {
  const node = new Node();
  let ref: RefConnector;
  let alice: BtpClient;
  let carol: BtpPlugin;
  const toTollgate = `tollgate-http-token-${randomBytes(8).toString('hex')}`;
  const toRef = `ref-http-token-${randomBytes(8).toString('hex')}`;
  const carolSecret = `carol-secret-${randomBytes(8).toString('hex')}`;

  beforeAll(async () => {
    await node.start();
    const [httpPort, carolPort] = [await freePort(), await freePort()];
    ref = await startRefConnector({
      ilpAddress: 'test.refconn',
      accounts: {
        tollgate: {
          relation: 'peer',
          ...USD,
          plugin: 'ilp-plugin-http',
          options: {
            incoming: { port: httpPort, staticToken: toRef },
            // ILP-Peer-Name must be our account id: Tollgate checks it against the token
            outgoing: { url: `${node.server.url}/ilp`, staticToken: toTollgate, name: 'refhttp' },
          },
          balance: REF_BALANCE,
          // Its route control would reach us before our account exists (401) and be retried
          // only after 30 s: it takes test.tollgate from a static route instead.
          receiveRoutes: false,
        },
        carol: childAccount(carolPort, carolSecret),
      },
      routes: [{ targetPrefix: 'test.tollgate', peerId: 'tollgate' }],
    });
    alice = await node.connectAlice();
    await node.createAccount({
      id: 'refhttp',
      ...USD,
      relation: 'peer',
      link: 'http',
      incomingToken: toTollgate,
      outgoingUrl: `http://127.0.0.1:${httpPort}/`,
      outgoingToken: toRef,
      minBalance: CREDIT,
    });
    carol = await connectCarol(carolPort, carolSecret);
  });

  afterAll(async () => {
    await alice?.close();
    await carol?.disconnect();
    await node.stop();
    await ref?.stop();
  });

  it('learns the peer’s address over CCP on HTTP and pays carol', async () => {
    const reply = await eventually(
      () => aliceSends(alice, prepareTo('test.refconn.carol.http-1', 44n)),
      isFulfill,
    );
    expectFulfilledBy(reply, 'carol got 44 for test.refconn.carol.http-1');
    expect(await node.balances('refhttp', 'alice')).toEqual({ refhttp: 44n, alice: -44n });
    expect(ref.balances()).toMatchObject({ tollgate: '44', carol: '-44' });
  });

  it('takes packets the peer POSTs to /ilp and answers them', async () => {
    const reply = await carolSends(carol, prepareTo('test.tollgate.alice.http-2', 9n));
    expectFulfilledBy(reply, 'alice got 9 for test.tollgate.alice.http-2');
    const refused = await carolSends(carol, prepareTo('test.tollgate.alice.http-3', 9n, false));
    expect(isReject(refused) && refused).toMatchObject({
      code: 'F99',
      triggeredBy: 'test.tollgate.alice',
    });
    expect(await node.balances('refhttp', 'alice')).toEqual({ refhttp: 35n, alice: -35n });
    expect(ref.balances()).toMatchObject({ tollgate: '35', carol: '-35' });
  });
});
