/**
 * Interop with the reference `ilp-plugin-btp` 1.5.0 (ws 6, btp-packet): its client against
 * our BtpServer, and our BtpClient against its server (listener) mode, ILP both ways.
 */
import {
  deserializePrepare,
  IlpError,
  IlpPacketType,
  serializeFulfill,
  serializePrepare,
  serializeReject,
} from '@tollgate/ilp-core';
import Plugin from 'ilp-plugin-btp';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, TestServer } from '../test/harness';
import { BtpClient } from './btp-client';
import { BtpConnection } from './btp-connection';
import { BtpProtocolError } from './codec/btp-error-codes';
import { freePort } from '../../../test-support/free-port';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function prepare(n: number): Uint8Array {
  return serializePrepare({
    amount: BigInt(n) * 1000n + 1n,
    expiresAt: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, n % 1000)),
    executionCondition: new Uint8Array(32).fill(n & 0xff),
    destination: `test.tollgate.interop.n${n}`,
    data: new TextEncoder().encode(`payload ${n}`),
  });
}

/** Answers a Prepare with a Fulfill whose data names the Prepare's destination. */
async function fulfillHandler(packet: Uint8Array): Promise<Uint8Array> {
  const p = deserializePrepare(packet);
  return serializeFulfill({
    fulfillment: new Uint8Array(32).fill(7),
    data: new TextEncoder().encode(`fulfilled ${p.destination} ${p.amount}`),
  });
}

function expectFulfillFor(reply: Uint8Array, n: number): void {
  expect(reply[0]).toBe(IlpPacketType.Fulfill);
  expect(Buffer.from(reply).toString('latin1')).toContain(
    `fulfilled test.tollgate.interop.n${n} ${n * 1000 + 1}`,
  );
}

describe('ilp-plugin-btp client → our BtpServer', () => {
  async function setup(): Promise<{
    s: TestServer;
    plugin: Plugin;
    connection: BtpConnection;
    accountId: string;
  }> {
    const s = await startServer();
    cleanup.push(() => s.close());
    s.server.on('connection', (_id, connection) => connection.setIlpHandler(fulfillHandler));
    const plugin = new Plugin({ server: s.url('alice'), responseTimeout: 5000 });
    cleanup.push(() => plugin.disconnect());
    const next = s.nextConnection();
    await plugin.connect();
    const [accountId, connection] = await next;
    return { s, plugin, connection, accountId };
  }

  it('authenticates with auth_username/auth_token from its btp+ws URL', async () => {
    const { accountId } = await setup();
    expect(accountId).toBe('alice');
  });

  it('gets our answers to its Prepares (many concurrently)', async () => {
    const { plugin } = await setup();
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, n) => plugin.sendData(Buffer.from(prepare(n)))),
    );
    replies.forEach((reply, n) => expectFulfillFor(reply, n));
  });

  it('answers the Prepares we send it', async () => {
    const { plugin, connection } = await setup();
    plugin.registerDataHandler(async (data: Buffer) => Buffer.from(await fulfillHandler(data)));
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, n) => connection.sendIlp(prepare(n), 5000)),
    );
    replies.forEach((reply, n) => expectFulfillFor(reply, n));
  });

  it('turns its data-handler failure (BTP F00 "Error") into an F02 IlpError', async () => {
    const { plugin, connection } = await setup();
    plugin.registerDataHandler(async () => {
      throw new Error('boom');
    });
    const error = await connection.sendIlp(prepare(1), 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IlpError);
    expect((error as IlpError).code).toBe('F02');
    expect((error as IlpError).message).toContain('F00 Error: {"message":"boom"}');
  });

  it('makes its connect() fail when we refuse the token', async () => {
    const s = await startServer();
    cleanup.push(() => s.close());
    const plugin = new Plugin({ server: s.url('alice', 'wrong'), reconnectInterval: 60_000 });
    cleanup.push(() => plugin.disconnect());
    await expect(plugin.connect()).rejects.toThrow(/connection aborted/);
    expect(s.connections).toHaveLength(0);
  });
});

describe('our BtpClient → ilp-plugin-btp server (listener mode)', () => {
  async function setup(secret = 'listener-secret') {
    const port = await freePort();
    const plugin = new Plugin({
      listener: { port, secret: 'listener-secret', wsOpts: { port, host: '127.0.0.1' } },
      responseTimeout: 5000,
    });
    cleanup.push(() => plugin.disconnect());
    const pluginConnected = plugin.connect(); // resolves once a client has authenticated
    const client = new BtpClient({
      url: `btp+ws://tollgate:${secret}@127.0.0.1:${port}`,
      reconnect: false,
      pingIntervalMs: 0,
      connectTimeoutMs: 3000,
    });
    cleanup.push(() => client.close());
    return { plugin, pluginConnected, client };
  }

  it('authenticates and exchanges ILP packets both ways', async () => {
    const { plugin, pluginConnected, client } = await setup();
    await client.connect();
    await pluginConnected;
    plugin.registerDataHandler(async (data: Buffer) => Buffer.from(await fulfillHandler(data)));
    client.setIlpHandler(fulfillHandler);
    const ours = await Promise.all(
      Array.from({ length: 200 }, (_, n) => client.sendIlp(prepare(n), 5000)),
    );
    ours.forEach((reply, n) => expectFulfillFor(reply, n));
    const theirs = await Promise.all(
      Array.from({ length: 200 }, (_, n) => plugin.sendData(Buffer.from(prepare(n)))),
    );
    theirs.forEach((reply, n) => expectFulfillFor(new Uint8Array(reply), n));
  });

  it('reports its refusal (F00 NotAcceptedError "invalid auth_token") from connect()', async () => {
    const { pluginConnected, client } = await setup('wrong-secret');
    pluginConnected.catch(() => undefined);
    const error = (await client.connect().catch((e: unknown) => e)) as BtpProtocolError;
    expect(error).toBeInstanceOf(BtpProtocolError);
    expect(error.code).toBe('F00');
    expect(error.btpName).toBe('NotAcceptedError');
    expect(error.message).toMatch(/refused authentication: invalid auth_token/);
  });

  it('passes a Reject through as an ordinary answer, not an error', async () => {
    const { plugin, pluginConnected, client } = await setup();
    await client.connect();
    await pluginConnected;
    const reject = serializeReject({
      code: 'F99',
      triggeredBy: 'test.plugin',
      message: 'no',
      data: new Uint8Array(),
    });
    plugin.registerDataHandler(async () => Buffer.from(reject));
    await expect(client.sendIlp(prepare(3), 5000)).resolves.toEqual(new Uint8Array(reject));
  });

  it('notices when the plugin goes away', async () => {
    const { plugin, pluginConnected, client } = await setup();
    await client.connect();
    await pluginConnected;
    const disconnected = new Promise((resolve) => client.once('disconnect', resolve));
    await plugin.disconnect();
    expect(await disconnected).toMatchObject({ willReconnect: false });
    expect(client.isConnected).toBe(false);
  });
});
