/**
 * Interop with the reference JS implementation, ilp-plugin-http 1.6.1, peered through its
 * static bearer token option (`incoming.staticToken` / `outgoing.staticToken`).
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as IlpPacket from 'ilp-packet';
import PluginHttp from 'ilp-plugin-http';
import { deserializeFulfill, deserializeReject } from '@tollgate/ilp-core';
import {
  createIlpHttpRequestListener,
  createStaticAuthenticator,
  IlpHttpClient,
  type HandlePacket,
} from '@tollgate/ilp-http';
import {
  expectNoTcpHandles,
  FULFILLMENT,
  fulfillBytes,
  NODE_ADDRESS,
  prepareBytes,
  startServer,
  type TestServer,
} from '../test/helpers';

const OUR_TOKEN = 'token-they-present-to-us';
const THEIR_TOKEN = 'token-we-present-to-them';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => expectNoTcpHandles());

/** Their plugin; its incoming server is on an ephemeral port (read from its private server). */
async function theirPlugin(
  outgoingUrl: string,
  outgoingToken = OUR_TOKEN,
  name: string | null = 'plugin-peer',
) {
  const plugin = new PluginHttp({
    incoming: { port: 0, staticToken: THEIR_TOKEN },
    outgoing: { url: outgoingUrl, staticToken: outgoingToken, name: name ?? undefined },
  });
  await plugin.connect();
  // Koa prints every 500 to stderr; the tests provoke some on purpose
  (plugin as unknown as { _app: { silent: boolean } })._app.silent = true;
  const server = (plugin as unknown as { _httpServer: Server })._httpServer;
  if (!server.listening) await new Promise((r) => server.once('listening', r));
  let connections = 0;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  cleanups.push(async () => {
    await plugin.disconnect();
    // its disconnect() leaves keep-alive connections open; ours must not outlive the test
    for (const s of sockets) s.destroy();
  });
  const { port } = server.address() as AddressInfo;
  return { plugin, url: `http://127.0.0.1:${port}/`, connections: () => connections };
}

async function ourServer(handlePacket: HandlePacket) {
  const authenticate = vi.fn(
    createStaticAuthenticator([{ accountId: 'plugin-peer', token: OUR_TOKEN }]),
  );
  const handle = vi.fn(handlePacket);
  const seenTypes: Array<string | undefined> = [];
  const server: TestServer = await startServer(
    createIlpHttpRequestListener(
      { authenticate, handlePacket: handle, nodeAddress: NODE_ADDRESS },
      { path: '/ilp' },
    ),
  );
  server.server.prependListener('request', (req) => seenTypes.push(req.headers['content-type']));
  cleanups.push(() => server.close());
  return { server, authenticate, handlePacket: handle, seenTypes };
}

function ourClient(url: string, token = THEIR_TOKEN) {
  const client = new IlpHttpClient({ url, token, peerName: 'tollgate' });
  cleanups.push(() => client.close());
  return client;
}

const theirFulfill = (data = Buffer.alloc(0)) =>
  IlpPacket.serializeIlpFulfill({ fulfillment: Buffer.from(FULFILLMENT), data });

describe('ilp-plugin-http → our server', () => {
  it('their Prepare reaches handlePacket; they get our Fulfill', async () => {
    const ours = await ourServer(async () => fulfillBytes(new Uint8Array([5, 6])));
    const { plugin } = await theirPlugin(ours.server.url);
    const prepare = Buffer.from(prepareBytes());
    const reply = await plugin.sendData(prepare);
    expect(IlpPacket.deserializeIlpFulfill(reply).data).toEqual(Buffer.from([5, 6]));
    // they authenticate with `Bearer <staticToken>` and name themselves in ILP-Peer-Name
    expect(ours.authenticate).toHaveBeenCalledWith(OUR_TOKEN, 'plugin-peer');
    expect(ours.handlePacket.mock.calls[0][0]).toBe('plugin-peer');
    expect(Buffer.from(ours.handlePacket.mock.calls[0][1])).toEqual(prepare);
    // ...and label the body with their own media type, which we accept
    expect(ours.seenTypes).toEqual(['application/ilp+octet-stream']);
  });

  it('our failures reach them as a T00 Reject with 200, which sendData returns', async () => {
    const ours = await ourServer(async () => {
      throw new Error('boom');
    });
    const { plugin } = await theirPlugin(ours.server.url);
    const reply = await plugin.sendData(Buffer.from(prepareBytes()));
    const reject = IlpPacket.deserializeIlpReject(reply);
    expect(reject.code).toBe('T00');
    expect(reject.triggeredBy).toBe(NODE_ADDRESS);
  });

  it('their sendData throws on our 401 and 400', async () => {
    const ours = await ourServer(async () => fulfillBytes());
    const wrong = await theirPlugin(ours.server.url, 'not-the-token');
    await expect(wrong.plugin.sendData(Buffer.from(prepareBytes()))).rejects.toThrow(/code=401/);
    const right = await theirPlugin(ours.server.url);
    await expect(right.plugin.sendData(Buffer.from('garbage'))).rejects.toThrow(/code=400/);
    expect(ours.handlePacket).not.toHaveBeenCalled();
  });

  it('without outgoing.name they send their own port as ILP-Peer-Name (so: 401 here)', async () => {
    const ours = await ourServer(async () => fulfillBytes());
    const { plugin, url } = await theirPlugin(ours.server.url, OUR_TOKEN, null);
    await expect(plugin.sendData(Buffer.from(prepareBytes()))).rejects.toThrow(/code=401/);
    // incoming.port was 0, so the name they sent is "0"
    expect(ours.authenticate).toHaveBeenCalledWith(OUR_TOKEN, '0');
    expect(url).toBeTruthy();
  });

  it('handles a stream of their packets', async () => {
    const ours = await ourServer(async () => fulfillBytes());
    const { plugin } = await theirPlugin(ours.server.url);
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => plugin.sendData(Buffer.from(prepareBytes()))),
    );
    for (const r of replies) expect(r[0]).toBe(IlpPacket.Type.TYPE_ILP_FULFILL);
  });
});

describe('our client → ilp-plugin-http', () => {
  it('our Prepare reaches their data handler; we get their Fulfill', async () => {
    const { plugin, url } = await theirPlugin('http://127.0.0.1:1/unused');
    const received: Buffer[] = [];
    plugin.registerDataHandler(async (packet) => {
      received.push(packet);
      const prepare = IlpPacket.deserializeIlpPrepare(packet);
      return theirFulfill(Buffer.from(prepare.destination));
    });
    const prepare = prepareBytes({ destination: 'test.them.bob' });
    const reply = await ourClient(url).send(prepare);
    expect(Buffer.from(deserializeFulfill(reply).data).toString()).toBe('test.them.bob');
    expect(received[0]).toEqual(Buffer.from(prepare));
  });

  it('their Reject comes back as a reply', async () => {
    const { plugin, url } = await theirPlugin('http://127.0.0.1:1/unused');
    plugin.registerDataHandler(async () =>
      IlpPacket.serializeIlpReject({
        code: 'F02',
        triggeredBy: 'test.them',
        message: 'no route',
        data: Buffer.alloc(0),
      }),
    );
    const reply = await ourClient(url).send(prepareBytes());
    expect(deserializeReject(reply)).toMatchObject({ code: 'F02', triggeredBy: 'test.them' });
  });

  it('a JWT-configured plugin also accepts our static token when it has staticToken too', async () => {
    const plugin = new PluginHttp({
      incoming: { port: 0, jwtSecret: 'jwt-secret', staticToken: THEIR_TOKEN },
      outgoing: { url: 'http://127.0.0.1:1/unused', jwtSecret: 'jwt-secret' },
    });
    await plugin.connect();
    const server = (plugin as unknown as { _httpServer: Server })._httpServer;
    if (!server.listening) await new Promise((r) => server.once('listening', r));
    const sockets = new Set<Socket>();
    server.on('connection', (s: Socket) => sockets.add(s));
    cleanups.push(async () => {
      await plugin.disconnect();
      for (const s of sockets) s.destroy();
    });
    plugin.registerDataHandler(async () => theirFulfill());
    const { port } = server.address() as AddressInfo;
    const reply = await ourClient(`http://127.0.0.1:${port}/`).send(prepareBytes());
    expect(deserializeFulfill(reply)).toBeTruthy();
  });

  it('reuses keep-alive connections to their Koa server', async () => {
    const { plugin, url, connections } = await theirPlugin('http://127.0.0.1:1/unused');
    plugin.registerDataHandler(async () => theirFulfill());
    const client = ourClient(url);
    for (let i = 0; i < 20; i++) await client.send(prepareBytes());
    expect(connections()).toBe(1);
  });

  it.each([
    ['a wrong token (their 401)', 'F02', 'wrong', async () => theirFulfill()],
    [
      'a throwing data handler (Koa 500)',
      'T01',
      THEIR_TOKEN,
      async (): Promise<Buffer> => {
        throw new Error('their bug');
      },
    ],
    ['a non-ILP answer', 'T01', THEIR_TOKEN, async () => Buffer.from('OK')],
  ])('maps %s to %s', async (_, code, token, handler) => {
    const { plugin, url } = await theirPlugin('http://127.0.0.1:1/unused');
    plugin.registerDataHandler(handler);
    await expect(ourClient(url, token).send(prepareBytes())).rejects.toMatchObject({ code });
  });

  it('their server refuses valid Prepares above 32767 bytes (raw-body limit) → F02', async () => {
    const { plugin, url } = await theirPlugin('http://127.0.0.1:1/unused');
    plugin.registerDataHandler(async () => theirFulfill());
    const client = ourClient(url);
    const big = prepareBytes({ data: new Uint8Array(32_767) });
    expect(big.length).toBeGreaterThan(32_767);
    await expect(client.send(big)).rejects.toMatchObject({ code: 'F02' });
    const fits = prepareBytes({ data: new Uint8Array(32_000) });
    expect(deserializeFulfill(await client.send(fits))).toBeTruthy();
  });
});
