/** The browser BTP client against the real BtpServer, with `ws` standing in for the platform WebSocket. */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { IlpError } from '@tollgate/ilp-core';
import { BrowserBtpClient, WebSocketLike } from './browser-btp-client';
import { BtpProtocolError } from './codec/btp-error-codes';
import { startServer, TestServer } from '../test/harness';

const createWebSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;

describe('BrowserBtpClient', () => {
  let server: TestServer;
  let client: BrowserBtpClient | undefined;

  afterEach(async () => {
    client?.close();
    client = undefined;
    await server?.close();
  });

  function newClient(username: string, token: string, port = server.port) {
    client = new BrowserBtpClient({
      url: `ws://127.0.0.1:${port}/btp`,
      username,
      token,
      createWebSocket,
      connectTimeoutMs: 2_000,
    });
    return client;
  }

  it('authenticates and round-trips ILP packets both ways with counter request ids', async () => {
    server = await startServer();
    const accepted = server.nextConnection();
    await newClient('alice', 'alice-token').connect();
    const [account, connection] = await accepted;
    expect(account).toBe('alice');
    connection.setIlpHandler(async (packet) => Uint8Array.from([...packet].reverse()));
    const replies = await Promise.all(
      [1, 2, 3].map((n) => client!.sendIlp(Uint8Array.from([n, 0, 9]), 1_000)),
    );
    expect(replies.map((r) => [...r])).toEqual([
      [9, 0, 1],
      [9, 0, 2],
      [9, 0, 3],
    ]);
    // The node sends to the wallet too (e.g. a STREAM receiver answering on its address).
    client!.setIlpHandler(async (packet) => Uint8Array.from([packet.length]));
    expect([...(await connection.sendIlp(Uint8Array.from([1, 2, 3, 4]), 1_000))]).toEqual([4]);
  });

  it('refuses wrong credentials with the reason, and an unreachable server clearly', async () => {
    server = await startServer();
    await expect(newClient('alice', 'wrong').connect()).rejects.toThrow(/refused the wallet/);
    const port = server.port;
    await server.close();
    await expect(newClient('alice', 'alice-token', port).connect()).rejects.toThrow(
      /cannot reach|closed/,
    );
  });

  it('maps a BTP Error answer to an IlpError, and fails requests in flight when the link drops', async () => {
    server = await startServer();
    const accepted = server.nextConnection();
    await newClient('alice', 'alice-token').connect();
    const [, connection] = await accepted;
    connection.setIlpHandler(async () => {
      throw new BtpProtocolError('F00', 'no thanks');
    });
    await expect(client!.sendIlp(Uint8Array.from([1]), 1_000)).rejects.toMatchObject({
      code: 'F02',
    });
    connection.setIlpHandler(() => new Promise<Uint8Array>(() => undefined));
    const closed = new Promise<void>((resolve) => client!.onClose(() => resolve()));
    const hanging = client!.sendIlp(Uint8Array.from([2]), 5_000);
    connection.close('bye');
    const error = await hanging.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IlpError);
    expect((error as IlpError).code).toBe('T01');
    await closed;
    expect(client!.isConnected).toBe(false);
    await expect(client!.sendIlp(Uint8Array.from([3]), 1_000)).rejects.toMatchObject({
      code: 'T01',
    });
  });

  it('times out a request the peer never answers with R00', async () => {
    server = await startServer();
    const accepted = server.nextConnection();
    await newClient('alice', 'alice-token').connect();
    const [, connection] = await accepted;
    connection.setIlpHandler(() => new Promise<Uint8Array>(() => undefined));
    await expect(client!.sendIlp(Uint8Array.from([1]), 50)).rejects.toMatchObject({
      code: 'R00',
    });
  });
});
