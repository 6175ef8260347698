/** Loopback fixtures for the link tests: a BtpServer with fixed accounts, raw clients. */
import { once } from 'node:events';
import WebSocket from 'ws';
import { BtpConnection } from '../src/btp-connection';
import { BtpServer, BtpServerOptions } from '../src/btp-server';
import { authMessage } from '../src/codec/btp-auth';
import { deserializeBtpPacket, serializeBtpPacket } from '../src/codec/btp-packet';
import { BtpPacket } from '../src/codec/btp-packet-types';

export const ACCOUNTS: Record<string, string> = {
  alice: 'alice-token',
  bob: 'bob-token',
  '': 'anon',
};

export interface TestServer {
  server: BtpServer;
  port: number;
  /** Accounts whose connection was handed out, in order. */
  connections: [string, BtpConnection][];
  url(username?: string, token?: string): string;
  /** Resolves with the next connection handed out. */
  nextConnection(): Promise<[string, BtpConnection]>;
  close(): Promise<void>;
}

export async function startServer(options: Partial<BtpServerOptions> = {}): Promise<TestServer> {
  const server = new BtpServer({
    authenticate: async (username, token) =>
      ACCOUNTS[username] !== undefined && ACCOUNTS[username] === token
        ? username || 'anonymous'
        : undefined,
    pingIntervalMs: 0,
    ...options,
  });
  const connections: [string, BtpConnection][] = [];
  server.on('connection', (accountId, connection) => connections.push([accountId, connection]));
  const port = await server.listen(0);
  return {
    server,
    port,
    connections,
    url: (username = 'alice', token = ACCOUNTS[username]) =>
      `btp+ws://${encodeURIComponent(username)}:${encodeURIComponent(token)}@127.0.0.1:${port}/btp`,
    nextConnection: () => once(server, 'connection') as Promise<[string, BtpConnection]>,
    close: () => server.close(),
  };
}

/** A bare `ws` client speaking BTP by hand (for malformed traffic). */
export class RawClient {
  readonly received: BtpPacket[] = [];
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(port: number) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/btp`, { perMessageDeflate: false });
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data: Buffer) => {
      try {
        this.received.push(deserializeBtpPacket(data));
      } catch {
        /* recorded as nothing */
      }
    });
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  async open(): Promise<this> {
    if (this.ws.readyState !== WebSocket.OPEN) await once(this.ws, 'open');
    return this;
  }

  send(packet: BtpPacket | Uint8Array | string): void {
    this.ws.send(
      typeof packet === 'string' || packet instanceof Uint8Array
        ? packet
        : serializeBtpPacket(packet),
    );
  }

  async auth(username = 'alice', token = ACCOUNTS[username], requestId = 1): Promise<BtpPacket> {
    this.send(authMessage(requestId, { username, token }));
    return this.nextPacket();
  }

  async nextPacket(timeoutMs = 5000): Promise<BtpPacket> {
    const start = Date.now();
    const seen = this.received.length;
    while (this.received.length === seen) {
      if (Date.now() - start > timeoutMs) throw new Error('no packet');
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.received[seen];
  }

  close(): void {
    this.ws.terminate();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 5 ms until true or `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}
