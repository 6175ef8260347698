/** Test helpers for @tollgate/ilp-http: packets, loopback servers, handle-leak checks. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  serializeFulfill,
  serializePrepare,
  serializeReject,
  type IlpPrepareInput,
} from '@tollgate/ilp-core';

export const NODE_ADDRESS = 'test.tollgate';
export const FULFILLMENT = new Uint8Array(32).fill(7);

export function prepareBytes(overrides: Partial<IlpPrepareInput> = {}): Uint8Array {
  return serializePrepare({
    amount: 1000n,
    expiresAt: new Date(Date.now() + 30_000),
    executionCondition: new Uint8Array(32).fill(1),
    destination: 'test.tollgate.merchant',
    data: new Uint8Array([1, 2, 3]),
    ...overrides,
  });
}

export function fulfillBytes(data = new Uint8Array(0)): Uint8Array {
  return serializeFulfill({ fulfillment: FULFILLMENT, data });
}

export function rejectBytes(code = 'F99', message = 'nope'): Uint8Array {
  return serializeReject({ code, triggeredBy: 'test.peer', message, data: new Uint8Array(0) });
}

export interface TestServer {
  server: Server;
  url: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: () => number;
  /** Bytes received on all sockets (headers included). */
  bytesReceived: () => number;
  close: () => Promise<void>;
}

/**
 * A loopback HTTP server counting connections. `countBytes` listens to socket data, which
 * makes Node parse in JavaScript instead of its native consumer — only for the tests that
 * need the count.
 */
export async function startServer(
  listener: RequestListener,
  options: { countBytes?: boolean } = {},
): Promise<TestServer> {
  const server = createServer(listener);
  let connections = 0;
  let bytes = 0;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (options.countBytes) socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/ilp`,
    connections: () => connections,
    bytesReceived: () => bytes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function unusedPort(): Promise<number> {
  const { port, close } = await startServer(() => undefined);
  await close();
  return port;
}

/** Waits until no TCP socket or server handle of this process is left open. */
export async function expectNoTcpHandles(timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = process
      .getActiveResourcesInfo()
      .filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap');
    if (open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`leaked handles: ${open.join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A promise with its resolver outside, for holding a handler until the test lets go. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
