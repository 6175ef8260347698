/**
 * The RFC 38 conformance suite against the real engine (real anvil, real Postgres), plus
 * the engine's own refusals: messages that are not what a peer engine sends change nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../server/test/test-database';
import { describeEngineConformance } from '../../../libs/settlement/test/engine-conformance';
import { SettlementEngineClient, SettlementHttpError } from '@tollgate/settlement';
import { startAnvil, type Anvil } from '../src/chain/anvil';
import { startEngine, type RunningEngine } from '../src/engine';
import {
  decodePeerMessage,
  encodePeerMessage,
  verifyAddressProof,
} from '../src/peering/peer-messages';
import { testConfig, TestConnector } from './harness';

let anvil: Anvil;
let db: TestDatabase;
let connector: TestConnector;
let engine: RunningEngine;

beforeAll(async () => {
  [anvil, db, connector] = await Promise.all([
    startAnvil(),
    createTestDatabase(),
    TestConnector.start(),
  ]);
  engine = await startEngine(
    testConfig(
      {
        ETH_RPC_URL: anvil.url,
        ETH_DEV_ACCOUNT: '3',
        ENGINE_DATABASE_URL: db.url,
        CONNECTOR_URL: connector.url,
      },
      db.embedded,
    ),
  );
});

afterAll(async () => {
  await engine?.stop();
  await Promise.all([connector?.down(), anvil?.stop()]);
  await db?.drop();
});

describeEngineConformance('Ethereum settlement engine', async () => ({
  url: engine.url,
  async validMessage() {
    const challenge = randomBytes(32).toString('hex');
    return {
      body: encodePeerMessage({ v: 1, type: 'address_request', chainId: '31337', challenge }),
      checkReply(reply: Uint8Array) {
        expect(verifyAddressProof(decodePeerMessage(reply), '31337', challenge)).toBe(
          engine.address,
        );
      },
    };
  },
  // The engine belongs to the file; it is stopped in afterAll.
  close: async () => undefined,
}));

describe('Ethereum engine refusals', () => {
  const client = () => new SettlementEngineClient(engine.url);

  async function refused(body: unknown): Promise<SettlementHttpError> {
    const id = `acct-${randomBytes(4).toString('hex')}`;
    await client().createAccount(id);
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    try {
      await client().sendMessage(id, bytes);
    } catch (error) {
      expect((await engine.store.getAccount(id))?.peerAddress).toBeNull();
      return error as SettlementHttpError;
    }
    throw new Error('message was accepted');
  }

  it('refuses an unsolicited address proof and stores nothing', async () => {
    const error = await refused({
      v: 1,
      type: 'address_proof',
      chainId: '31337',
      address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      signature: `0x${'11'.repeat(65)}`,
    });
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_message');
  });

  it('refuses a peer on another chain', async () => {
    const error = await refused({
      v: 1,
      type: 'address_request',
      chainId: '1',
      challenge: 'ab'.repeat(32),
    });
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/chain 1/);
  });

  it('refuses malformed requests: extra fields, short challenge, other version', async () => {
    const base = { v: 1, type: 'address_request', chainId: '31337', challenge: 'ab'.repeat(32) };
    for (const body of [
      { ...base, extra: true },
      { ...base, challenge: 'ab' },
      { ...base, v: 2 },
      { ...base, chainId: 31337 },
    ]) {
      expect((await refused(body)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('refuses an amount no Ethereum transfer can carry', async () => {
    const id = `acct-${randomBytes(4).toString('hex')}`;
    await client().createAccount(id);
    await expect(
      client().settle(id, { amount: 10n ** 70n, scale: 0 }, randomBytes(8).toString('hex')),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_quantity' });
  });
});
