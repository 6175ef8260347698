import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestListener } from 'node:http';
import { deserializeReject, IlpError, isIlpError } from '@tollgate/ilp-core';
import {
  createIlpHttpRequestListener,
  IlpHttpClient,
  MAX_REPLY_SIZE,
  type Authenticate,
  type HandlePacket,
  type IlpHttpClientOptions,
} from '@tollgate/ilp-http';
import {
  expectNoTcpHandles,
  fulfillBytes,
  gate,
  NODE_ADDRESS,
  prepareBytes,
  rejectBytes,
  startServer,
  unusedPort,
  type TestServer,
} from '../test/helpers';

const TOKEN = 'alice-secret';

const servers: TestServer[] = [];
const clients: IlpHttpClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.close();
});
afterAll(() => expectNoTcpHandles());

async function ilpServer(handlePacket: HandlePacket = async () => fulfillBytes()) {
  const authenticate = vi.fn<Authenticate>((token, name) =>
    token === TOKEN && (name === undefined || name === 'alice') ? 'alice' : undefined,
  );
  const spy = vi.fn(handlePacket);
  const server = await startServer(
    createIlpHttpRequestListener({ authenticate, handlePacket: spy, nodeAddress: NODE_ADDRESS }),
  );
  servers.push(server);
  return { server, authenticate, handlePacket: spy };
}

async function rawServer(listener: RequestListener) {
  const server = await startServer(listener);
  servers.push(server);
  return server;
}

function client(options: Partial<IlpHttpClientOptions> & { url: string }) {
  const c = new IlpHttpClient({ token: TOKEN, ...options });
  clients.push(c);
  return c;
}

/** The IlpError a promise rejects with (fails the test if it resolves or throws otherwise). */
async function ilpErrorOf(promise: Promise<unknown>): Promise<IlpError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  if (!isIlpError(error)) throw error;
  return error;
}

describe('IlpHttpClient', () => {
  it('round trip: sends the RFC 35 headers and returns the reply bytes', async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const { server, authenticate, handlePacket } = await ilpServer();
    server.server.prependListener('request', (req) => (seen = req.headers));
    const c = client({ url: server.url, peerName: 'alice' });
    const prepare = prepareBytes();
    const reply = await c.send(prepare);
    expect(new Uint8Array(reply)).toEqual(new Uint8Array(fulfillBytes()));
    expect(authenticate).toHaveBeenCalledWith(TOKEN, 'alice');
    expect(new Uint8Array(handlePacket.mock.calls[0][1])).toEqual(new Uint8Array(prepare));
    expect(seen).toMatchObject({
      'content-type': 'application/octet-stream',
      accept: 'application/octet-stream',
      authorization: `Bearer ${TOKEN}`,
      'ilp-peer-name': 'alice',
      'content-length': String(prepare.length),
    });
  });

  it('returns a Reject as a reply, not as an error', async () => {
    const { server } = await ilpServer(async () => rejectBytes('F99', 'app says no'));
    const reply = await client({ url: server.url }).send(prepareBytes());
    expect(deserializeReject(reply)).toMatchObject({ code: 'F99', message: 'app says no' });
  });

  it('omits ILP-Peer-Name when none is configured', async () => {
    const { server, authenticate } = await ilpServer();
    await client({ url: server.url }).send(prepareBytes());
    expect(authenticate).toHaveBeenCalledWith(TOKEN, undefined);
  });

  it('reuses one keep-alive connection for sequential sends', async () => {
    const { server } = await ilpServer();
    const c = client({ url: server.url });
    for (let i = 0; i < 25; i++) await c.send(prepareBytes());
    expect(server.connections()).toBe(1);
  });

  it('bounds the pool: 200 concurrent sends over at most maxSockets connections', async () => {
    let active = 0;
    let peak = 0;
    const { server, handlePacket } = await ilpServer(async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      return fulfillBytes();
    });
    const c = client({ url: server.url, maxSockets: 8 });
    const replies = await Promise.all(Array.from({ length: 200 }, () => c.send(prepareBytes())));
    expect(replies).toHaveLength(200);
    expect(handlePacket).toHaveBeenCalledTimes(200);
    expect(server.connections()).toBeLessThanOrEqual(8);
    expect(server.connections()).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
  });

  describe('timeouts → R00', () => {
    it('an explicit timeout', async () => {
      const hold = gate<Uint8Array>();
      const { server } = await ilpServer(() => hold.promise);
      const started = Date.now();
      const error = await ilpErrorOf(client({ url: server.url }).send(prepareBytes(), 100));
      expect(error.code).toBe('R00');
      expect(Date.now() - started).toBeLessThan(2_000);
      hold.open(fulfillBytes());
    });

    it("derived from the Prepare's expiry", async () => {
      const hold = gate<Uint8Array>();
      const { server } = await ilpServer(() => hold.promise);
      const started = Date.now();
      const prepare = prepareBytes({ expiresAt: new Date(Date.now() + 150) });
      const error = await ilpErrorOf(client({ url: server.url, timeoutMs: 20_000 }).send(prepare));
      expect(error.code).toBe('R00');
      expect(Date.now() - started).toBeLessThan(2_000);
      hold.open(fulfillBytes());
    });

    it('capped by the client timeout when the Prepare expires later', async () => {
      const hold = gate<Uint8Array>();
      const { server } = await ilpServer(() => hold.promise);
      const prepare = prepareBytes({ expiresAt: new Date(Date.now() + 60_000) });
      const error = await ilpErrorOf(client({ url: server.url, timeoutMs: 100 }).send(prepare));
      expect(error.code).toBe('R00');
      hold.open(fulfillBytes());
    });

    it('an expired Prepare is not sent at all', async () => {
      const { server } = await ilpServer();
      const prepare = prepareBytes({ expiresAt: new Date(Date.now() - 1) });
      const error = await ilpErrorOf(client({ url: server.url }).send(prepare));
      expect(error.code).toBe('R00');
      expect(server.connections()).toBe(0);
    });

    it('the connection is usable again after a timeout', async () => {
      const hold = gate<Uint8Array>();
      let calls = 0;
      const { server } = await ilpServer(async () =>
        ++calls === 1 ? hold.promise : fulfillBytes(),
      );
      const c = client({ url: server.url, maxSockets: 1 });
      expect((await ilpErrorOf(c.send(prepareBytes(), 50))).code).toBe('R00');
      expect(new Uint8Array(await c.send(prepareBytes()))).toEqual(new Uint8Array(fulfillBytes()));
      hold.open(fulfillBytes());
    });
  });

  describe('HTTP and network failures', () => {
    it('401 (wrong token) → F02, with the status in the message', async () => {
      const { server } = await ilpServer();
      const c = new IlpHttpClient({ url: server.url, token: 'wrong' });
      clients.push(c);
      const error = await ilpErrorOf(c.send(prepareBytes()));
      expect(error.code).toBe('F02');
      expect(error.message).toMatch(/401/);
    });

    it.each([
      [400, 'F02'],
      [404, 'F02'],
      [413, 'F02'],
      [429, 'T05'],
      [500, 'T01'],
      [502, 'T01'],
      [503, 'T01'],
      [202, 'T01'],
      [302, 'T01'],
    ])('HTTP %i → %s', async (status, code) => {
      const server = await rawServer((_req, res) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('details here');
      });
      const error = await ilpErrorOf(client({ url: server.url }).send(prepareBytes()));
      expect(error.code).toBe(code);
      expect(error.message).toContain(String(status));
    });

    it('keeps the connection after an HTTP error (the error body is drained)', async () => {
      let n = 0;
      const server = await rawServer((_req, res) => {
        if (++n === 1) res.writeHead(503).end('busy');
        else res.writeHead(200).end(fulfillBytes());
      });
      const c = client({ url: server.url, maxSockets: 1 });
      expect((await ilpErrorOf(c.send(prepareBytes()))).code).toBe('T01');
      await c.send(prepareBytes());
      expect(server.connections()).toBe(1);
    });

    it('connection refused → T01', async () => {
      const port = await unusedPort();
      const error = await ilpErrorOf(
        client({ url: `http://127.0.0.1:${port}/ilp` }).send(prepareBytes()),
      );
      expect(error.code).toBe('T01');
      expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
    });

    it('connection reset after the request went out → T00', async () => {
      const server = await rawServer((req) => req.socket.destroy());
      const error = await ilpErrorOf(client({ url: server.url }).send(prepareBytes()));
      expect(error.code).toBe('T00');
    });

    it('connection closed mid-reply → T00', async () => {
      const server = await rawServer((req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write(fulfillBytes().subarray(0, 10));
        setTimeout(() => req.socket.destroy(), 10);
      });
      const error = await ilpErrorOf(client({ url: server.url }).send(prepareBytes()));
      expect(error.code).toBe('T00');
    });
  });

  describe('bodies that are not a Fulfill or Reject → T01', () => {
    it.each([
      ['text', Buffer.from('hello')],
      ['empty', Buffer.alloc(0)],
      ['a Prepare', prepareBytes()],
      ['a truncated Fulfill', fulfillBytes().subarray(0, 20)],
      ['a Fulfill with trailing bytes', Buffer.concat([fulfillBytes(), Buffer.from([0])])],
    ])('%s', async (_, body) => {
      const server = await rawServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(body);
      });
      const error = await ilpErrorOf(client({ url: server.url }).send(prepareBytes()));
      expect(error.code).toBe('T01');
    });

    it('a body larger than any reply, declared or streamed, is cut off', async () => {
      const big = Buffer.alloc(MAX_REPLY_SIZE + 1, 13);
      for (const chunked of [false, true]) {
        const server = await rawServer((_req, res) => {
          res.writeHead(200, chunked ? {} : { 'content-length': String(big.length) });
          res.end(big);
        });
        const error = await ilpErrorOf(client({ url: server.url }).send(prepareBytes()));
        expect(error.code).toBe('T01');
        expect(error.message).toMatch(/larger than any ILP reply/);
      }
    });
  });

  it('refuses to send nothing (F01), without a request', async () => {
    const { server } = await ilpServer();
    const c = client({ url: server.url });
    expect((await ilpErrorOf(c.send(new Uint8Array(0)))).code).toBe('F01');
    expect((await ilpErrorOf(c.send('x' as unknown as Uint8Array))).code).toBe('F01');
    expect(server.connections()).toBe(0);
  });

  describe('close()', () => {
    it('fails exchanges in flight and later sends with T01', async () => {
      const hold = gate<Uint8Array>();
      const { server } = await ilpServer(() => hold.promise);
      const c = client({ url: server.url, maxSockets: 1 });
      const inFlight = [c.send(prepareBytes()), c.send(prepareBytes())]; // second one is queued
      await new Promise((r) => setTimeout(r, 50));
      c.close();
      for (const p of inFlight) {
        const error = await ilpErrorOf(p);
        expect([error.code, error.message]).toEqual(['T01', 'client is closed']);
      }
      expect((await ilpErrorOf(c.send(prepareBytes()))).code).toBe('T01');
      expect(server.connections()).toBe(1);
      c.close(); // idempotent
      hold.open(fulfillBytes());
    });
  });

  describe('construction', () => {
    it.each([
      [{ url: 'ftp://x/ilp' }, /http or https/],
      [{ url: 'http://u:p@x/ilp' }, /credentials/],
      [{ url: 'not a url' }, /Invalid URL/],
      [{ url: 'http://x/ilp', maxSockets: 0 }, /maxSockets/],
      [{ url: 'http://x/ilp', timeoutMs: -1 }, /timeoutMs/],
      [{ url: 'http://x/ilp', token: '' }, /token/],
      [{ url: 'http://x/ilp', peerName: 'a\nb' }, /./],
    ])('refuses %j', (options, message) => {
      expect(() => new IlpHttpClient({ token: TOKEN, ...options })).toThrow(message);
    });

    it('accepts https URLs (own https.Agent)', () => {
      const c = new IlpHttpClient({ url: 'https://[::1]:8443/ilp', token: TOKEN });
      c.close();
    });
  });
});
