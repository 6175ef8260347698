import { IlpError } from '@tollgate/ilp-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, sleep, startServer, TestServer, until } from '../test/harness';
import { BtpClient, BtpDisconnectInfo } from './btp-client';
import { BtpServer } from './btp-server';
import { parseBtpUrl } from './btp-url';
import { freePort } from '../../../test-support/free-port';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  cleanup.push(() => s.close());
  s.server.on('connection', (_id, connection) => connection.setIlpHandler(async (p) => p));
  return s;
}

function client(options: ConstructorParameters<typeof BtpClient>[0]): BtpClient {
  const c = new BtpClient({ pingIntervalMs: 0, ...options });
  cleanup.push(() => c.close());
  return c;
}

describe('parseBtpUrl', () => {
  it('strips btp+ and moves the credentials out of the URL', () => {
    expect(parseBtpUrl('btp+ws://alice:s%40cret@127.0.0.1:7768/btp')).toEqual({
      url: 'ws://127.0.0.1:7768/btp',
      username: 'alice',
      token: 's@cret',
    });
    expect(parseBtpUrl('btp+wss://:tok@example.com')).toEqual({
      url: 'wss://example.com/',
      username: '',
      token: 'tok',
    });
  });

  it('takes plain ws(s) URLs with separate credentials', () => {
    expect(parseBtpUrl('ws://h:1/p', { username: 'u', token: 't' })).toEqual({
      url: 'ws://h:1/p',
      username: 'u',
      token: 't',
    });
    expect(parseBtpUrl('wss://h')).toEqual({ url: 'wss://h/', username: '', token: '' });
  });

  it.each([
    ['http://h/', {}],
    ['btp+http://h/', {}],
    ['not a url', {}],
    ['btp+ws://u:t@h/', { token: 'x' }],
  ])('refuses %s', (url, credentials) => {
    expect(() => parseBtpUrl(url, credentials)).toThrow(TypeError);
  });

  it('never puts the token in its error messages', () => {
    expect(() => parseBtpUrl('btp+ws://u:supersecret@h:99999/')).toThrow(/^(?!.*supersecret)/);
  });
});

describe('BtpClient', () => {
  it('authenticates with username/token options on a plain ws URL', async () => {
    const s = await server();
    const c = client({ url: `ws://127.0.0.1:${s.port}/`, username: 'bob', token: ACCOUNTS.bob });
    await c.connect();
    expect(s.connections[0][0]).toBe('bob');
    await expect(c.sendIlp(new Uint8Array([1]), 1000)).resolves.toEqual(new Uint8Array([1]));
  });

  it('rejects connect() with a clear error when nothing listens', async () => {
    const port = await freePort();
    const c = client({ url: `btp+ws://a:secret-token@127.0.0.1:${port}/` });
    const error = (await c.connect().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /BTP connect to btp\+ws:\/\/a:\*\*\*@127\.0\.0\.1:\d+\/ failed: .*ECONNREFUSED/,
    );
    expect(error.message).not.toContain('secret-token');
  });

  it('times out when the server never answers the auth message', async () => {
    const s = await server({
      authenticate: () => new Promise(() => undefined),
      authTimeoutMs: 10_000,
    });
    const c = client({ url: s.url('alice'), connectTimeoutMs: 150 });
    const started = Date.now();
    await expect(c.connect()).rejects.toThrow(/failed|timed out/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails sendIlp with T01 before connecting', async () => {
    const c = client({ url: 'btp+ws://a:b@127.0.0.1:1/' });
    const error = await c.sendIlp(new Uint8Array([1]), 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IlpError);
    expect((error as IlpError).code).toBe('T01');
  });

  it('reconnects (and re-authenticates) after the server drops the socket', async () => {
    const s = await server();
    const c = client({ url: s.url('alice'), reconnectInitialDelayMs: 20 });
    const events: string[] = [];
    c.on('connect', () => events.push('connect'));
    c.on('disconnect', (info) => events.push(`disconnect ${info.code} ${info.willReconnect}`));
    c.setIlpHandler(async (p) => new Uint8Array([...p, 42]));
    await c.connect();
    s.connections[0][1].terminate();
    await until(() => events.length === 3);
    expect(events).toEqual(['connect', 'disconnect 1006 true', 'connect']);
    expect(s.connections).toHaveLength(2);
    await expect(c.sendIlp(new Uint8Array([5]), 1000)).resolves.toEqual(new Uint8Array([5]));
    // the handler set before the drop is installed on the new connection
    await expect(s.connections[1][1].sendIlp(new Uint8Array([6]), 1000)).resolves.toEqual(
      new Uint8Array([6, 42]),
    );
  });

  it('keeps retrying with capped, jittered back-off while the server is down', async () => {
    const s = await server();
    const port = s.port;
    const c = client({
      url: s.url('alice'),
      reconnectInitialDelayMs: 10,
      reconnectMaxDelayMs: 40,
      reconnectJitter: 0.5,
    });
    const disconnects: BtpDisconnectInfo[] = [];
    c.on('disconnect', (info) => disconnects.push(info));
    await c.connect();
    await s.close();
    await until(() => disconnects.length === 1);
    expect(disconnects[0]).toMatchObject({ code: 1001, willReconnect: true });
    await sleep(200); // several failed attempts, none longer than the 40 ms cap
    const attempt = (c as unknown as { attempt: number }).attempt;
    expect(attempt).toBeGreaterThanOrEqual(4);
    // the server comes back on the same port
    const again = new BtpServer({
      authenticate: async (u, t) => (ACCOUNTS[u] === t ? u : undefined),
    });
    cleanup.push(() => again.close());
    await again.listen(port);
    await until(() => c.isConnected, 3000);
    expect(again.connections.has('alice')).toBe(true);
  });

  it('close() stops reconnecting and resolves once the socket is closed', async () => {
    const s = await server();
    const c = client({ url: s.url('alice'), reconnectInitialDelayMs: 10 });
    const disconnects: BtpDisconnectInfo[] = [];
    c.on('disconnect', (info) => disconnects.push(info));
    await c.connect();
    await c.close();
    expect(c.isConnected).toBe(false);
    expect(disconnects).toEqual([{ code: 1000, reason: 'client closed', willReconnect: false }]);
    await sleep(60);
    expect(s.connections).toHaveLength(1);
    await c.close(); // idempotent
  });

  it('connect() is idempotent while connecting and once connected', async () => {
    const s = await server();
    const c = client({ url: s.url('alice') });
    const a = c.connect();
    const b = c.connect();
    expect(a).toBe(b);
    await a;
    await c.connect();
    expect(s.connections).toHaveLength(1);
  });
});
