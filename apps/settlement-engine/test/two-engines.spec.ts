/**
 * Two engines on one anvil, each behind an in-test connector that relays their messages
 * and records the credits they report: the handshake, exact amounts on chain, exactly-once
 * credits, idempotent settles, and restarts or outages at the worst moments.
 */
import { randomBytes } from 'node:crypto';
import type { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettlementEngineClient, type Quantity } from '@tollgate/settlement';
import { createTestDatabase, type TestDatabase } from '../../server/test/test-database';
import { startAnvil, type Anvil } from '../src/chain/anvil';
import type { EngineConfig } from '../src/config';
import { startEngine, type RunningEngine } from '../src/engine';
import type { OutgoingFaults } from '../src/settlement/outgoing-settlements';
import { creditIdempotencyKey } from '../src/settlement/credit-reporter';
import { rpc, testConfig, TestConnector, waitFor } from './harness';

// Node A's account for its peer B is "node-b"; node B's account for A is "node-a".
const A_PEER = 'node-b';
const B_PEER = 'node-a';

let anvil: Anvil;
let chain: JsonRpcProvider;
let dbA: TestDatabase;
let dbB: TestDatabase;
let connA: TestConnector;
let connB: TestConnector;
let configA: EngineConfig;
let configB: EngineConfig;
let engineA: RunningEngine | undefined;
let engineB: RunningEngine | undefined;
const faultsA: OutgoingFaults = {};

const key = (): string => randomBytes(12).toString('hex');
const settleA = (q: Quantity, k: string) =>
  new SettlementEngineClient(engineA!.url).settle(A_PEER, q, k);
const mine = (blocks = 1) => chain.send('anvil_mine', [`0x${blocks.toString(16)}`]);

async function startA(): Promise<RunningEngine> {
  engineA = await startEngine(configA, { faults: faultsA });
  return engineA;
}
async function startB(): Promise<RunningEngine> {
  engineB = await startEngine(configB);
  return engineB;
}

/** Waits until A's settlement `k` is mined and returns its transaction hash. */
async function minedTx(k: string): Promise<string> {
  const row = await waitFor(async () => {
    const r = await engineA!.store.getOutgoing(k);
    return r?.state === 'mined' ? r : undefined;
  }, `settlement ${k} to be mined`);
  return row.txHash!;
}

beforeAll(async () => {
  [anvil, dbA, dbB, connA, connB] = await Promise.all([
    startAnvil(),
    createTestDatabase(),
    createTestDatabase(),
    TestConnector.start(),
    TestConnector.start(),
  ]);
  chain = rpc(anvil.url);
  const common = { ETH_RPC_URL: anvil.url };
  configA = testConfig(
    {
      ...common,
      ETH_DEV_ACCOUNT: '1',
      ENGINE_DATABASE_URL: dbA.url,
      CONNECTOR_URL: connA.url,
    },
    dbA.embedded,
  );
  // B waits for 2 confirmations: a transfer is reported only after one more block.
  configB = testConfig(
    {
      ...common,
      ETH_DEV_ACCOUNT: '2',
      ETH_CONFIRMATIONS: '2',
      ENGINE_DATABASE_URL: dbB.url,
      CONNECTOR_URL: connB.url,
    },
    dbB.embedded,
  );
  await Promise.all([startA(), startB()]);
  // The connectors relay over "peer.settle" to the other node's engine, wherever it runs now.
  connA.relay(A_PEER, () => engineB && { engineUrl: engineB.url, peerAccountId: B_PEER });
  connB.relay(B_PEER, () => engineA && { engineUrl: engineA.url, peerAccountId: A_PEER });
});

afterAll(async () => {
  await Promise.all([engineA?.stop(), engineB?.stop()]);
  chain?.destroy();
  await Promise.all([connA?.down(), connB?.down(), anvil?.stop()]);
  await Promise.all([dbA?.drop(), dbB?.drop()]);
});

describe('two engines on one chain', () => {
  it('exchange proven addresses, retrying until the peer knows the account', async () => {
    // A asks first, while B has no such account yet: B answers 404 and A retries later.
    await new SettlementEngineClient(engineA!.url).createAccount(A_PEER);
    await new SettlementEngineClient(engineB!.url).createAccount(B_PEER);
    await waitFor(
      async () => (await engineA!.store.getAccount(A_PEER))?.peerAddress === engineB!.address,
      'A to learn B',
    );
    await waitFor(
      async () => (await engineB!.store.getAccount(B_PEER))?.peerAddress === engineA!.address,
      'B to learn A',
    );
  });

  it('settles A→B with exactly the converted wei, credited once after the confirmations', async () => {
    const before = await chain.getBalance(engineB!.address);
    const k = key();
    await settleA({ amount: 1_234_567n, scale: 9 }, k);
    const tx = await minedTx(k);
    const wei = 1_234_567n * 10n ** 9n;
    expect((await chain.getBalance(engineB!.address)) - before).toBe(wei);
    // One confirmation only: B must not report yet.
    const creditKey = creditIdempotencyKey(31337n, tx);
    await mine(1);
    const credits = await waitFor(
      () => connB.creditsFor(creditKey).length > 0 && connB.creditsFor(creditKey),
      'credit',
    );
    expect(credits).toEqual([{ accountId: B_PEER, q: { amount: wei, scale: 18 }, key: creditKey }]);
  });

  it('does not report before the configured confirmations', async () => {
    const k = key();
    await settleA({ amount: 7n, scale: 0 }, k);
    const tx = await minedTx(k);
    const creditKey = creditIdempotencyKey(31337n, tx);
    // Give B several polls at one confirmation: still nothing.
    await waitFor(
      async () =>
        (await engineB!.store.getChainState())!.lastScannedBlock >=
        (await chain.getBlockNumber()) - 1,
      'B to scan',
    );
    expect(connB.creditsFor(creditKey)).toEqual([]);
    await mine(1);
    await waitFor(() => connB.creditsFor(creditKey).length === 1, 'credit after one more block');
    expect(connB.creditsFor(creditKey)[0].q).toEqual({ amount: 7n * 10n ** 18n, scale: 18 });
  });

  it('sends once per Idempotency-Key and refuses the key with another body', async () => {
    const k = key();
    const q = { amount: 42n, scale: 6 };
    await settleA(q, k);
    await settleA(q, k);
    await minedTx(k);
    const nonce = await chain.getTransactionCount(engineA!.address);
    const balance = await chain.getBalance(engineB!.address);
    await settleA(q, k);
    await expect(settleA({ amount: 43n, scale: 6 }, k)).rejects.toMatchObject({ status: 409 });
    // Nothing new was recorded, so nothing can be sent.
    const { rows } = await engineA!.store.pool.query(
      'SELECT count(*)::int AS n FROM outgoing_settlements WHERE idempotency_key = $1',
      [k],
    );
    expect(rows[0].n).toBe(1);
    expect(await engineA!.store.nextOutgoing()).toBeUndefined();
    expect(await chain.getTransactionCount(engineA!.address)).toBe(nonce);
    expect(await chain.getBalance(engineB!.address)).toBe(balance);
  });

  it('keeps leftovers below one wei and sends them with the next settlement', async () => {
    const before = await chain.getBalance(engineB!.address);
    const k1 = key();
    await settleA({ amount: 5n, scale: 20 }, k1); // 0.05 wei
    expect((await engineA!.store.getOutgoing(k1))?.state).toBe('empty');
    expect((await engineA!.store.getAccount(A_PEER))?.leftover).toEqual({ amount: 5n, scale: 20 });
    const k2 = key();
    await settleA({ amount: 1_095n, scale: 20 }, k2); // 10.95 wei + 0.05 carried = 11 wei
    await minedTx(k2);
    expect((await chain.getBalance(engineB!.address)) - before).toBe(11n);
    expect((await engineA!.store.getAccount(A_PEER))?.leftover.amount).toBe(0n);
  });

  it('credits exactly once when B restarts between the transfer and its report', async () => {
    connB.failCredits = true;
    const k = key();
    await settleA({ amount: 3n, scale: 3 }, k);
    const tx = await minedTx(k);
    await mine(1);
    // B has seen the transfer and failed to report it.
    await waitFor(async () => {
      const { rows } = await engineB!.store.pool.query(
        'SELECT attempts FROM incoming_transfers WHERE tx_hash = $1',
        [tx],
      );
      return rows[0]?.attempts > 0;
    }, 'B to try reporting');
    await engineB!.stop();
    connB.failCredits = false;
    // The answer to B's first successful report is lost: B must retry with the same key.
    connB.loseNextAnswer = true;
    await startB();
    const creditKey = creditIdempotencyKey(31337n, tx);
    await waitFor(async () => {
      const { rows } = await engineB!.store.pool.query(
        'SELECT state FROM incoming_transfers WHERE tx_hash = $1',
        [tx],
      );
      return rows[0]?.state === 'reported';
    }, 'B to mark the transfer reported');
    expect(connB.loseNextAnswer).toBe(false);
    expect(connB.creditsFor(creditKey)).toEqual([
      { accountId: B_PEER, q: { amount: 3n * 10n ** 15n, scale: 18 }, key: creditKey },
    ]);
  });

  it('catches up on blocks mined while B was down', async () => {
    await engineB!.stop();
    const k = key();
    await settleA({ amount: 11n, scale: 9 }, k);
    const tx = await minedTx(k);
    await mine(3);
    await startB();
    const creditKey = creditIdempotencyKey(31337n, tx);
    await waitFor(() => connB.creditsFor(creditKey).length === 1, 'credit after B is back');
    expect(connB.creditsFor(creditKey)[0].q).toEqual({ amount: 11n * 10n ** 9n, scale: 18 });
  });

  it('retries the report while the connector is down until it comes back', async () => {
    await connB.down();
    const k = key();
    await settleA({ amount: 9n, scale: 9 }, k);
    const tx = await minedTx(k);
    await mine(1);
    await waitFor(async () => {
      const { rows } = await engineB!.store.pool.query(
        'SELECT attempts FROM incoming_transfers WHERE tx_hash = $1',
        [tx],
      );
      return rows[0]?.attempts >= 2;
    }, 'B to retry');
    await connB.up();
    const creditKey = creditIdempotencyKey(31337n, tx);
    await waitFor(
      () => connB.creditsFor(creditKey).length === 1,
      'credit after the connector is back',
    );
    expect(connB.creditsFor(creditKey)[0].q).toEqual({ amount: 9n * 10n ** 9n, scale: 18 });
  });

  it.each(['afterSign', 'afterBroadcast'] as const)(
    'pays exactly once when A stops %s and restarts',
    async (moment) => {
      let crashed = false;
      faultsA[moment] = () => {
        crashed = true;
        throw new Error(`simulated crash ${moment}`);
      };
      const before = await chain.getBalance(engineB!.address);
      const nonceBefore = await chain.getTransactionCount(engineA!.address);
      const k = key();
      await settleA({ amount: 2n, scale: 6 }, k);
      await waitFor(() => crashed, 'the simulated crash');
      delete faultsA[moment];
      await engineA!.stop();
      const row = await engineA!.store.getOutgoing(k).catch(() => undefined);
      expect(row).toBeUndefined(); // the pool is closed: the engine is really down
      await startA();
      const tx = await minedTx(k);
      expect((await chain.getBalance(engineB!.address)) - before).toBe(2n * 10n ** 12n);
      expect(await chain.getTransactionCount(engineA!.address)).toBe(nonceBefore + 1);
      await mine(1);
      const creditKey = creditIdempotencyKey(31337n, tx);
      await waitFor(() => connB.creditsFor(creditKey).length === 1, 'credit');
    },
  );
});
