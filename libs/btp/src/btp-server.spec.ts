import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IlpError, IlpErrorCode } from '@tollgate/ilp-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, RawClient, sleep, startServer, TestServer, until } from '../test/harness';
import { BtpClient } from './btp-client';
import { BTP_CLOSE_REPLACED } from './btp-connection';
import { BtpServer } from './btp-server';
import { authMessage } from './codec/btp-auth';
import { BtpProtocolError } from './codec/btp-error-codes';
import { serializeBtpPacket } from './codec/btp-packet';
import { BtpPacketType } from './codec/btp-packet-types';
import { ilpProtocolData } from './codec/protocol-data';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  cleanup.push(() => s.close());
  return s;
}

function client(
  url: string,
  options: Partial<ConstructorParameters<typeof BtpClient>[0]> = {},
): BtpClient {
  const c = new BtpClient({ url, reconnect: false, pingIntervalMs: 0, ...options });
  cleanup.push(() => c.close());
  return c;
}

async function raw(port: number): Promise<RawClient> {
  const r = await new RawClient(port).open();
  cleanup.push(() => r.close());
  return r;
}

const echo = async (packet: Uint8Array) => packet;

describe('BtpServer authentication', () => {
  it('accepts valid credentials and hands out the connection with the account id', async () => {
    const s = await server();
    const next = s.nextConnection();
    const c = client(s.url('alice'));
    await c.connect();
    const [accountId, connection] = await next;
    expect(accountId).toBe('alice');
    expect(connection.isOpen).toBe(true);
    expect(s.server.connections.get('alice')).toBe(connection);
    expect(c.isConnected).toBe(true);
  });

  it('passes an empty username when auth_username is absent', async () => {
    const s = await server();
    const r = await raw(s.port);
    r.send(authMessage(7, { token: ACCOUNTS[''] }));
    expect(await r.nextPacket()).toEqual({
      type: BtpPacketType.Response,
      requestId: 7,
      protocolData: [],
    });
    expect(s.connections.map(([id]) => id)).toEqual(['anonymous']);
  });

  it('refuses a wrong token with F00 NotAcceptedError and the reason', async () => {
    const s = await server();
    const c = client(s.url('alice', 'wrong'));
    const error = await c.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BtpProtocolError);
    expect((error as BtpProtocolError).code).toBe('F00');
    expect((error as BtpProtocolError).message).toMatch(
      /refused authentication: invalid auth_username or auth_token/,
    );
    expect(s.connections).toHaveLength(0);
    expect(c.isConnected).toBe(false);
  });

  it('refuses an auth message without auth_token, then closes', async () => {
    const s = await server();
    const r = await raw(s.port);
    const packet = authMessage(3, { username: 'alice', token: 'x' });
    r.send({ ...packet, protocolData: packet.protocolData.slice(0, 2) });
    const answer = await r.nextPacket();
    expect(answer).toMatchObject({
      type: BtpPacketType.Error,
      requestId: 3,
      code: 'F00',
      name: 'NotAcceptedError',
    });
    expect(Buffer.from((answer as { data: Uint8Array }).data).toString()).toBe(
      'auth_token sub-protocol is required',
    );
    expect((await r.closed).code).toBe(1008);
  });

  it('refuses a first message that is not auth (an ILP packet), then closes', async () => {
    const s = await server();
    const r = await raw(s.port);
    r.send({
      type: BtpPacketType.Message,
      requestId: 9,
      protocolData: ilpProtocolData(new Uint8Array([12])),
    });
    expect(await r.nextPacket()).toMatchObject({
      type: BtpPacketType.Error,
      requestId: 9,
      code: 'F00',
    });
    expect((await r.closed).code).toBe(1008);
    expect(s.connections).toHaveLength(0);
  });

  it('closes a socket that does not authenticate in time', async () => {
    const s = await server({ authTimeoutMs: 150 });
    const r = await raw(s.port);
    const started = Date.now();
    expect(await r.closed).toEqual({ code: 1008, reason: 'authentication timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('closes on a first frame that is garbage or text, answering nothing', async () => {
    const s = await server();
    const garbage = await raw(s.port);
    garbage.send(new Uint8Array([6, 0, 0, 0, 1, 99]));
    expect((await garbage.closed).code).toBe(1002);
    const text = await raw(s.port);
    text.send('hello');
    expect((await text.closed).code).toBe(1003);
    expect(garbage.received).toHaveLength(0);
    expect(text.received).toHaveLength(0);
  });

  it('answers T00 (try later) when the authenticate callback throws', async () => {
    const s = await server({
      authenticate: async () => {
        throw new Error('database down: secret details');
      },
    });
    const r = await raw(s.port);
    const answer = await r.auth();
    expect(answer).toMatchObject({ type: BtpPacketType.Error, code: 'T00' });
    expect(Buffer.from((answer as { data: Uint8Array }).data).toString()).not.toContain('secret');
  });

  it('processes requests pipelined right behind the auth message, after the handler is set', async () => {
    const s = await server({
      authenticate: async (u, t) => {
        await sleep(30);
        return ACCOUNTS[u] === t ? u : undefined;
      },
    });
    s.server.on('connection', (_id, connection) => connection.setIlpHandler(echo));
    const r = await raw(s.port);
    r.send(authMessage(1, { username: 'alice', token: ACCOUNTS.alice }));
    r.send({
      type: BtpPacketType.Message,
      requestId: 2,
      protocolData: ilpProtocolData(new Uint8Array([1, 2, 3])),
    });
    await until(() => r.received.length === 2);
    expect(r.received[0]).toEqual({ type: BtpPacketType.Response, requestId: 1, protocolData: [] });
    expect(r.received[1]).toEqual({
      type: BtpPacketType.Response,
      requestId: 2,
      protocolData: ilpProtocolData(new Uint8Array([1, 2, 3])),
    });
  });
});

describe('BtpServer connections', () => {
  it('replaces the connection of an account that authenticates again (close code 4001)', async () => {
    const s = await server();
    const first = client(s.url('alice'), { reconnect: true });
    await first.connect();
    const firstDisconnect = new Promise((resolve) => first.once('disconnect', resolve));
    const second = client(s.url('alice'));
    await second.connect();
    expect(await firstDisconnect).toMatchObject({ code: BTP_CLOSE_REPLACED, willReconnect: false });
    await until(() => s.server.connections.get('alice') === s.connections[1][1]);
    expect(s.connections[0][1].isOpen).toBe(false);
    await sleep(50);
    expect(first.isConnected).toBe(false); // replaced clients do not fight back
    expect(s.connections).toHaveLength(2);
  });

  it('survives garbage, truncated, text and oversized frames; other connections unaffected', async () => {
    const logs: string[] = [];
    const s = await server({
      maxPayload: 64 * 1024,
      maxInvalidFrames: 4,
      logger: (_l, m) => logs.push(m),
    });
    s.server.on('connection', (_id, connection) => connection.setIlpHandler(echo));
    const good = client(s.url('bob'));
    await good.connect();

    const bad = await raw(s.port);
    await bad.auth('alice');
    const valid = serializeBtpPacket({
      type: BtpPacketType.Message,
      requestId: 5,
      protocolData: ilpProtocolData(new Uint8Array(10)),
    });
    bad.send(valid.subarray(0, valid.length - 3)); // truncated
    bad.send(new Uint8Array([0xff, 1, 2])); // garbage
    bad.send('text frame');
    await until(() => s.server.connections.get('alice')?.invalidFrameCount === 3);
    // still serving the offender and everyone else
    bad.send(valid);
    await until(() => bad.received.some((p) => p.requestId === 5));
    await expect(good.sendIlp(new Uint8Array([7]), 1000)).resolves.toEqual(new Uint8Array([7]));
    // the fourth bad frame closes the offender (1002); nothing was ever answered to garbage
    bad.send(new Uint8Array([3, 0, 0, 0, 0, 0]));
    expect((await bad.closed).code).toBe(1002);
    expect(bad.received.map((p) => p.requestId)).toEqual([1, 5]);
    expect(logs.filter((m) => m.includes('invalid frame'))).toHaveLength(4);

    const big = await raw(s.port);
    await big.auth('alice');
    big.send(new Uint8Array(64 * 1024 + 1));
    expect((await big.closed).code).toBe(1009);
    await expect(good.sendIlp(new Uint8Array([8]), 1000)).resolves.toEqual(new Uint8Array([8]));
  });

  it('mounts on an existing HTTP server through handleUpgrade', async () => {
    const btp = new BtpServer({
      authenticate: async (u, t) => (ACCOUNTS[u] === t ? u : undefined),
    });
    const http = createServer((_req, res) => res.end('app'));
    http.on('upgrade', (req, socket, head) => {
      if (req.url === '/btp') btp.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        }),
    );
    cleanup.push(() => btp.close());
    const port = (http.address() as AddressInfo).port;
    btp.on('connection', (_id, connection) => connection.setIlpHandler(echo));
    const c = client(`btp+ws://alice:${ACCOUNTS.alice}@127.0.0.1:${port}/btp`);
    await c.connect();
    await expect(c.sendIlp(new Uint8Array([1]), 1000)).resolves.toEqual(new Uint8Array([1]));
    const wrongPath = client(`btp+ws://alice:${ACCOUNTS.alice}@127.0.0.1:${port}/other`);
    await expect(wrongPath.connect()).rejects.toThrow(/failed/);
  });

  it('close() closes authenticated and still-authenticating sockets; requests reject T01', async () => {
    const s = await startServer({
      authenticate: async (u, t) =>
        u === 'slow' ? new Promise(() => undefined) : ACCOUNTS[u] === t ? u : undefined,
    });
    s.server.on('connection', (_id, connection) =>
      connection.setIlpHandler(() => new Promise(() => undefined)),
    );
    const c = client(s.url('alice'));
    await c.connect();
    const pending = c.sendIlp(new Uint8Array([1]), 30_000).catch((e: unknown) => e);
    const slow = await raw(s.port);
    slow.send(authMessage(1, { username: 'slow', token: 'x' }));
    await sleep(20);
    const started = Date.now();
    await s.close();
    const error = await pending;
    expect(error).toBeInstanceOf(IlpError);
    expect((error as IlpError).code).toBe(IlpErrorCode.T01_PEER_UNREACHABLE);
    expect((await slow.closed).code).toBe(1001);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(s.server.connections.size).toBe(0);
  });
});
