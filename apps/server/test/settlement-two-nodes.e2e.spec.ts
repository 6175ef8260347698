/**
 * Settlement end to end on one machine, as the issue asks: two Tollgate nodes peered over
 * BTP, each with its own settlement engine, one local anvil chain. A STREAM payment from a
 * child of node A to a merchant on node B makes A owe B past the threshold; A's settlement
 * job asks A's engine to pay; ETH moves on chain from A's wallet to B's; B's engine sees it
 * confirmed and tells B, which credits A's account; both balances return to settleTo, and
 * the wei on chain equal the ILP amounts converted between scales, to the wei.
 */
import request from 'supertest';
import { JsonRpcProvider } from 'ethers';
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
import { startAnvil, type Anvil } from '../../settlement-engine/src/chain/anvil';
import { loadConfig as loadEngineConfig } from '../../settlement-engine/src/config';
import { startEngine, type RunningEngine } from '../../settlement-engine/src/engine';
import type { RunningTollgate } from '../src/bootstrap';
import { SettlementApiServer } from '../src/settlement/settlement-api.server';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

const A_TO_B_TOKEN = 'node-a-on-node-b-token-0123456789';
const ALICE_TOKEN = 'alice-on-node-a-token-0123456789';
/** The peer link's asset: ETH in gwei (scale 9); the engines settle in wei (scale 18). */
const ASSET = { assetCode: 'ETH', assetScale: 9 };
const THRESHOLD = 1_000_000n; // 0.001 ETH
const WEI_PER_UNIT = 10n ** 9n;

async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two nodes settling on one anvil chain', () => {
  const dbs: TestDatabase[] = [];
  let anvil: Anvil;
  let nodeA: RunningTollgate;
  let nodeB: RunningTollgate;
  let engineA: RunningEngine;
  let engineB: RunningEngine;
  let alice: BtpClient;
  let chain: JsonRpcProvider;
  let shopKey: string;

  const adminOf = (node: RunningTollgate) => ({
    Authorization: `Bearer ${(node.adminToken as { token: string }).token}`,
  });
  const balance = async (node: RunningTollgate, id: string) =>
    BigInt(
      (await request(node.url).get(`/api/admin/accounts/${id}`).set(adminOf(node)).expect(200)).body
        .balance,
    );
  const settlements = async (node: RunningTollgate, accountId: string) =>
    (
      await request(node.url)
        .get(`/api/admin/settlements?accountId=${accountId}`)
        .set(adminOf(node))
        .expect(200)
    ).body.data as { state: string; amount: string; engineAmount: string; engineScale: number }[];

  async function engineFor(node: RunningTollgate, devAccount: number): Promise<RunningEngine> {
    const db = await createTestDatabase();
    dbs.push(db);
    return startEngine(
      loadEngineConfig({
        ENGINE_PORT: '0',
        CONNECTOR_URL: node.app.get(SettlementApiServer).url,
        ETH_RPC_URL: anvil.url,
        ETH_DEV_ACCOUNT: String(devAccount),
        ETH_CONFIRMATIONS: '1',
        ETH_POLL_INTERVAL_MS: '50',
        ENGINE_RETRY_BASE_MS: '50',
        ENGINE_RETRY_MAX_MS: '500',
        ENGINE_DATABASE_URL: db.url,
        ENGINE_DATABASE_POOL_SIZE: db.embedded ? '1' : '4',
        LOG_LEVEL: 'silent',
      }),
    );
  }

  beforeAll(async () => {
    anvil = await startAnvil();
    chain = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const [dbA, dbB] = [await createTestDatabase(), await createTestDatabase()];
    dbs.push(dbA, dbB);
    nodeA = await startTestApp({ databaseUrl: dbA.url, ilpAddress: 'test.a', ...ASSET });
    nodeB = await startTestApp({ databaseUrl: dbB.url, ilpAddress: 'test.b', ...ASSET });
    engineA = await engineFor(nodeA, 1);
    engineB = await engineFor(nodeB, 2);

    // B knows A as a peer that may owe it up to 1 ETH.
    await request(nodeB.url)
      .post('/api/admin/accounts')
      .set(adminOf(nodeB))
      .send({
        id: 'a',
        ...ASSET,
        relation: 'peer',
        link: 'btp',
        incomingToken: A_TO_B_TOKEN,
        minBalance: '-1000000000',
        settlementEngineUrl: engineB.url,
      })
      .expect(201);
    // A dials B and settles what it owes B past the threshold, down to zero.
    await request(nodeA.url)
      .post('/api/admin/accounts')
      .set(adminOf(nodeA))
      .send({
        id: 'b',
        ...ASSET,
        relation: 'peer',
        link: 'btp',
        outgoingUrl: `btp+${nodeB.url.replace('http', 'ws')}/btp`,
        outgoingToken: A_TO_B_TOKEN,
        settleThreshold: String(THRESHOLD),
        settleTo: '0',
        settlementEngineUrl: engineA.url,
      })
      .expect(201);
    await request(nodeA.url)
      .post('/api/admin/routes')
      .set(adminOf(nodeA))
      .send({ prefix: 'test.b', accountId: 'b' })
      .expect(201);
    await request(nodeA.url)
      .post('/api/admin/accounts')
      .set(adminOf(nodeA))
      .send({
        id: 'alice',
        ...ASSET,
        relation: 'child',
        link: 'btp',
        incomingToken: ALICE_TOKEN,
        minBalance: '-1000000000',
      })
      .expect(201);
    shopKey = (
      await request(nodeB.url)
        .post('/api/admin/merchants')
        .set(adminOf(nodeB))
        .send({ name: 'Shop', slug: 'shop', ...ASSET })
        .expect(201)
    ).body.apiKey;

    alice = new BtpClient({
      url: `${nodeA.url.replace('http', 'ws')}/btp`,
      username: 'alice',
      token: ALICE_TOKEN,
    });
    await alice.connect();

    // The engines exchange and check their addresses through the nodes (peer.settle).
    await waitFor(
      async () => (await engineA.store.getAccount('b'))?.peerAddress,
      "A's engine to learn B's address",
    );
    await waitFor(
      async () => (await engineB.store.getAccount('a'))?.peerAddress,
      "B's engine to learn A's address",
    );
  }, 120_000);

  afterAll(async () => {
    await alice?.close();
    await engineA?.stop();
    await engineB?.stop();
    await nodeA?.stop();
    await nodeB?.stop();
    await anvil?.stop();
    for (const db of dbs) await db.drop();
  });

  /** Pays `amount` to an SPSP endpoint on B with our STREAM client, as a child of A. */
  async function pay(link: BtpClient, source: string, spspUrl: string, amount: bigint) {
    const spsp = await querySpsp(spspUrl, { allowInsecure: true });
    const connection = await StreamConnection.create({
      crypto: nodeStreamCrypto,
      sharedSecret: spsp.sharedSecret,
      destinationAddress: spsp.destinationAccount,
      sourceAddress: source,
      ...ASSET,
      sendPrepare: async (p) =>
        deserializeIlpReply(await link.sendIlp(serializePrepare(p), 30_000)),
    });
    link.setIlpHandler(async (bytes) =>
      serializeIlpPacket(await connection.handlePrepare(deserializePrepare(bytes))),
    );
    const result = await connection.pay({ destinationAmount: amount, timeoutMs: 60_000 });
    await connection.end();
    return result.delivered;
  }

  it('the engines hold each other’s wallet addresses', async () => {
    expect((await engineA.store.getAccount('b'))?.peerAddress?.toLowerCase()).toBe(
      engineB.address.toLowerCase(),
    );
    expect((await engineB.store.getAccount('a'))?.peerAddress?.toLowerCase()).toBe(
      engineA.address.toLowerCase(),
    );
  });

  it('a STREAM payment past the threshold settles on chain, to the wei', async () => {
    const invoice = (
      await request(nodeB.url)
        .post('/api/invoices')
        .set('Authorization', `Bearer ${shopKey}`)
        .send({ amount: '1500001', description: 'a settled purchase' })
        .expect(201)
    ).body;
    const walletB = await chain.getBalance(engineB.address);

    expect(await pay(alice, 'test.a.alice', invoice.spspUrl, 1_500_001n)).toBe(1_500_001n);

    // A owed B what crossed the link; it settled all of it (settleTo 0) ...
    const outgoing = await waitFor(async () => {
      const rows = await settlements(nodeA, 'b');
      return rows.length > 0 && rows.every((r) => r.state === 'confirmed') ? rows : undefined;
    }, "A's settlement to be confirmed by its engine");
    const settled = outgoing.reduce((sum, r) => sum + BigInt(r.amount), 0n);
    expect(settled).toBe(1_500_001n);
    await waitFor(async () => (await balance(nodeA, 'b')) === 0n, "A's balance with B back at 0");

    // ... B's engine saw the ETH arrive and B credited A's account ...
    const incoming = await waitFor(async () => {
      const rows = await settlements(nodeB, 'a');
      const sum = rows.reduce((s, r) => s + BigInt(r.amount), 0n);
      return sum === settled ? rows : undefined;
    }, 'B to be credited');
    for (const row of incoming) {
      expect(row.state).toBe('confirmed');
      expect(row.engineScale).toBe(18);
      expect(BigInt(row.engineAmount)).toBe(BigInt(row.amount) * WEI_PER_UNIT);
    }
    expect(await balance(nodeB, 'a')).toBe(0n);

    // ... and the chain moved exactly that many wei from A's wallet to B's.
    expect((await chain.getBalance(engineB.address)) - walletB).toBe(settled * WEI_PER_UNIT);

    const paid = await request(nodeB.url)
      .get(`/api/invoices/${invoice.id}`)
      .set('Authorization', `Bearer ${shopKey}`)
      .expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', received: '1500001' });
  }, 120_000);

  it('settles again and again while many small packets stream, and never pays twice', async () => {
    await request(nodeA.url)
      .post('/api/admin/accounts')
      .set(adminOf(nodeA))
      .send({
        id: 'bob',
        ...ASSET,
        relation: 'child',
        link: 'btp',
        incomingToken: 'bob-on-node-a-token-0123456789',
        minBalance: '-1000000000',
        maxPacketAmount: '150000',
      })
      .expect(201);
    const bob = new BtpClient({
      url: `${nodeA.url.replace('http', 'ws')}/btp`,
      username: 'bob',
      token: 'bob-on-node-a-token-0123456789',
    });
    await bob.connect();
    try {
      const before = (await settlements(nodeA, 'b')).length;
      const walletB = await chain.getBalance(engineB.address);
      const delivered = await pay(bob, 'test.a.bob', `${nodeB.url}/shop`, 3_300_000n);
      expect(delivered).toBe(3_300_000n);
      // What is still owed is under the threshold; settle it now from the admin API.
      await waitFor(async () => {
        const rows = await settlements(nodeA, 'b');
        return rows.every((r) => r.state === 'confirmed') ? rows : undefined;
      }, 'the running settlements');
      const owed = await balance(nodeA, 'b');
      expect(owed).toBeLessThanOrEqual(THRESHOLD);
      if (owed > 0n) {
        await request(nodeA.url)
          .post('/api/admin/accounts/b/settlements')
          .set(adminOf(nodeA))
          .send({ amount: String(owed) })
          .expect(201);
      }
      const rows = await waitFor(async () => {
        const all = await settlements(nodeA, 'b');
        return all.every((r) => r.state === 'confirmed') && (await balance(nodeA, 'b')) === 0n
          ? all
          : undefined;
      }, 'A to have settled everything');
      const fresh = rows.slice(0, rows.length - before);
      expect(fresh.length).toBeGreaterThanOrEqual(2); // crossed the threshold more than once
      const settled = fresh.reduce((sum, r) => sum + BigInt(r.amount), 0n);
      expect(settled).toBe(3_300_000n);
      await waitFor(async () => (await balance(nodeB, 'a')) === 0n, 'B to be credited in full');
      expect((await chain.getBalance(engineB.address)) - walletB).toBe(settled * WEI_PER_UNIT);
    } finally {
      await bob.close();
    }
  }, 120_000);
});
