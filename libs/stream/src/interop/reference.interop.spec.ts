/**
 * Interop with the reference implementation, ilp-protocol-stream 2.7.1 (patched for Node ≥ 18,
 * see test/reference.ts), over in-memory plugins exchanging serialized ILP packets:
 * its client pays and talks to our server, our client pays and talks to its server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectorPath, FAST_RETRIES, PathOptions } from '../../test/network';
import { MemoryPlugin, reference } from '../../test/reference';
import { StreamConnection } from '../connection/connection';
import { ConnectionStream } from '../connection/connection-stream';
import { NodeStreamCrypto } from '../crypto/node-crypto';
import { ReceiptVerifier } from '../receipt/receipt-verifier';
import { StreamServer } from '../server/stream-server';

const crypto = new NodeStreamCrypto();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
});

function pattern(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Reference client (USD scale 2) → connector → our server (EUR scale 6). */
async function referenceClientToOurServer(
  path: PathOptions = {},
  server: Partial<ConstructorParameters<typeof StreamServer>[0]> = {},
  lenient = false,
) {
  let recorded = 0n;
  const ours = new StreamServer({
    serverSecret: crypto.randomBytes(32),
    serverAddress: 'test.server',
    assetCode: 'EUR',
    assetScale: 6,
    crypto,
    sendPrepare: (prepare) => plugin.deliver(prepare),
    connectionOptions: { idleTimeoutMs: 0, ...FAST_RETRIES },
    onMoney: (e) => (recorded += e.amount),
    ...server,
  });
  const toServer = connectorPath((prepare) => ours.handlePrepare(prepare), path);
  const plugin = new MemoryPlugin(
    { clientAddress: 'test.refclient', assetCode: 'USD', assetScale: 2 },
    toServer,
    lenient,
  );
  return { ours, plugin, toServer, recorded: () => recorded };
}

describe('reference client → our server', () => {
  it('pays; our server records exactly what the reference says it delivered', async () => {
    const { ours, plugin, recorded, toServer } = await referenceClientToOurServer({
      rate: [3n, 2n],
      maxPacketAmount: 500n,
    });
    const { destinationAddress, sharedSecret } = await ours.generateAddressAndSecret({
      connectionTag: 'ref',
    });
    const connection = await reference.createConnection({
      plugin,
      destinationAccount: destinationAddress,
      sharedSecret: Buffer.from(sharedSecret),
      slippage: 0.01,
    });
    cleanups.push(() => connection.destroy());
    const stream = connection.createStream();
    await stream.sendTotal(10_000, { timeout: 10_000 });
    expect(stream.totalSent).toBe('10000');
    expect(connection.totalDelivered).toBe('15000');
    expect(recorded()).toBe(15_000n);
    expect(toServer.stats.deliveredInFulfills).toBe(15_000n);
    const [server] = ours.activeConnections;
    expect(server.connectionTag).toBe('ref');
    expect(server.remoteAssetCode).toBe('USD');
    expect(connection.destinationAssetCode).toBe('EUR');
    expect(connection.destinationAssetScale).toBe(6);
  });

  async function echoThroughOurServer(sizes: number[], lenient: boolean): Promise<void> {
    const { ours, plugin } = await referenceClientToOurServer(
      {},
      {
        onConnection: (connection) => {
          connection.on('stream', (stream: ConnectionStream) => {
            stream.on('data', (chunk) => stream.write(chunk)); // echo
          });
        },
      },
      lenient,
    );
    const { destinationAddress, sharedSecret } = await ours.generateAddressAndSecret();
    const connection = await reference.createConnection({
      plugin,
      destinationAccount: destinationAddress,
      sharedSecret: Buffer.from(sharedSecret),
    });
    cleanups.push(() => connection.destroy());
    const echoes = await Promise.all(
      sizes.map(async (size, i) => {
        const stream = connection.createStream();
        const parts: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => parts.push(chunk));
        stream.write(pattern(size, i + 1));
        const start = Date.now();
        while (Buffer.concat(parts).length < size && Date.now() - start < 10_000) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return Buffer.concat(parts);
      }),
    );
    echoes.forEach((echo, i) => expect(echo.equals(pattern(sizes[i], i + 1))).toBe(true));
    expect(ours.activeConnections).toHaveLength(1);
  }

  it('exchanges data both ways on several streams (packets within RFC 27 limits)', async () => {
    await echoThroughOurServer([5, 9_000, 12_000], false);
  });

  it('exchanges larger data both ways, many packets each way (lenient ILP codec, see MemoryPlugin)', async () => {
    await echoThroughOurServer([5, 40_000, 70_000], true);
  });

  it('gets RFC 39 receipts our verifier accepts', async () => {
    const verifier = await ReceiptVerifier.create({ crypto });
    const { nonce, secret } = await verifier.generateNonceAndSecret();
    const { ours, plugin } = await referenceClientToOurServer();
    const { destinationAddress, sharedSecret } = await ours.generateAddressAndSecret({
      receiptNonce: nonce,
      receiptSecret: secret,
    });
    const connection = await reference.createConnection({
      plugin,
      destinationAccount: destinationAddress,
      sharedSecret: Buffer.from(sharedSecret),
    });
    cleanups.push(() => connection.destroy());
    const stream = connection.createStream();
    await stream.sendTotal(2_500, { timeout: 10_000 });
    const receipt = stream.receipt as Buffer;
    const verified = await verifier.verify(new Uint8Array(receipt));
    expect(verified.totalReceived).toBe(2_500n);
    // the reference's own verifier agrees
    expect(reference.verifyReceipt(receipt, Buffer.from(secret)).totalReceived.toString()).toBe(
      '2500',
    );
  });

  it('closes: the reference ends, our server connection closes without error', async () => {
    const { ours, plugin } = await referenceClientToOurServer();
    const { destinationAddress, sharedSecret } = await ours.generateAddressAndSecret();
    const connection = await reference.createConnection({
      plugin,
      destinationAccount: destinationAddress,
      sharedSecret: Buffer.from(sharedSecret),
    });
    const stream = connection.createStream();
    await stream.sendTotal(10, { timeout: 10_000 });
    const [server] = ours.activeConnections;
    const closed = new Promise<Error | undefined>((resolve) => server.once('close', resolve));
    await connection.end();
    expect(await closed).toBeUndefined();
  });
});

/** Our client (USD scale 2) → connector → the reference server (EUR scale 6). */
async function ourClientToReferenceServer(path: PathOptions = {}) {
  const plugin: MemoryPlugin = new MemoryPlugin(
    { clientAddress: 'test.refserver', assetCode: 'EUR', assetScale: 6 },
    async (prepare) => client.handlePrepare(prepare),
  );
  const server = await reference.createServer({
    plugin,
    serverSecret: Buffer.from(crypto.randomBytes(32)),
  });
  cleanups.push(() => server.close());
  let received = 0n;
  const serverStreams: import('ilp-protocol-stream').DataAndMoneyStream[] = [];
  server.on('connection', (connection: import('ilp-protocol-stream').Connection) => {
    connection.on('stream', (stream: import('ilp-protocol-stream').DataAndMoneyStream) => {
      serverStreams.push(stream);
      stream.setReceiveMax('18446744073709551615');
      stream.on('money', (amount: string) => (received += BigInt(amount)));
      stream.on('data', (chunk: Buffer) => stream.write(chunk)); // echo
    });
  });
  const { destinationAccount, sharedSecret } = server.generateAddressAndSecret();
  const toServer = connectorPath((prepare) => plugin.deliver(prepare), path);
  const client = await StreamConnection.create({
    crypto,
    sharedSecret: new Uint8Array(sharedSecret),
    destinationAddress: destinationAccount,
    sourceAddress: 'test.client',
    assetCode: 'USD',
    assetScale: 2,
    sendPrepare: toServer,
    idleTimeoutMs: 0,
    ...FAST_RETRIES,
  });
  cleanups.push(() => client.destroy());
  return { client, server, received: () => received, serverStreams, toServer };
}

describe('our client → reference server', () => {
  it('pays; the reference server receives exactly what we report delivered', async () => {
    const { client, received, toServer } = await ourClientToReferenceServer({
      rate: [9_212n, 1n],
      maxPacketAmount: 700n,
    });
    const result = await client.pay({ sourceAmount: 10_000n });
    expect(result.reason).toBe('complete');
    expect(result.sent).toBe(10_000n);
    expect(result.delivered).toBe(92_120_000n);
    expect(received()).toBe(result.delivered);
    expect(toServer.stats.deliveredInFulfills).toBe(result.delivered);
    expect(client.remoteAssetCode).toBe('EUR');
    expect(client.remoteAssetScale).toBe(6);
  });

  it('delivers a fixed destination amount to the reference server', async () => {
    const { client, received } = await ourClientToReferenceServer({ rate: [9_212n, 1n] });
    const result = await client.pay({ destinationAmount: 1_000_000n });
    expect(result.reason).toBe('complete');
    expect(received()).toBe(result.delivered);
    expect(result.delivered).toBeGreaterThanOrEqual(1_000_000n);
  });

  it('exchanges data both ways on several streams', async () => {
    const { client } = await ourClientToReferenceServer();
    await client.connect();
    const sizes = [3, 30_000, 80_000];
    const echoes = await Promise.all(
      sizes.map(async (size, i) => {
        const stream = client.createStream();
        const parts: Uint8Array[] = [];
        stream.on('data', (chunk) => parts.push(chunk));
        stream.write(pattern(size, i + 7));
        const start = Date.now();
        while (Buffer.concat(parts).length < size && Date.now() - start < 10_000) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return Buffer.concat(parts);
      }),
    );
    echoes.forEach((echo, i) => expect(echo.equals(pattern(sizes[i], i + 7))).toBe(true));
  });

  it('closes gracefully with the reference server', async () => {
    const { client } = await ourClientToReferenceServer();
    const result = await client.pay({ sourceAmount: 50n });
    expect(result.reason).toBe('complete');
    await client.end();
    expect(client.isClosed).toBe(true);
    expect(client.error).toBeUndefined();
  });
});
