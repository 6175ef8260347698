import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import {
  createIlpHttpRequestListener,
  createStaticAuthenticator,
  MAX_PREPARE_SIZE,
  type HandlePacket,
} from '@tollgate/ilp-http';
import {
  expectNoTcpHandles,
  fulfillBytes,
  NODE_ADDRESS,
  prepareBytes,
  startServer,
  type TestServer,
} from '../test/helpers';

const TOKEN = 'alice-secret';

let current: TestServer | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});
afterAll(() => expectNoTcpHandles());

async function serve(options: { path?: string; countBytes?: boolean } = {}) {
  const handlePacket = vi.fn<HandlePacket>(async () => fulfillBytes());
  const listener = createIlpHttpRequestListener(
    {
      authenticate: createStaticAuthenticator([{ accountId: 'alice', token: TOKEN }]),
      handlePacket,
      nodeAddress: NODE_ADDRESS,
    },
    { path: options.path },
  );
  current = await startServer(listener, { countBytes: options.countBytes });
  return { server: current, handlePacket };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function post(
  url: string,
  body: Uint8Array,
  headers: Record<string, string> = {},
  agent?: Agent,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/octet-stream',
        'content-length': String(body.length),
        ...headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.end(body);
  });
}

/** Sends raw bytes over TCP; resolves with everything the server wrote before closing. */
function rawExchange(
  port: number,
  write: (socket: Socket) => void,
): Promise<{ response: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
    socket.on('close', () =>
      resolve({ response: Buffer.concat(chunks).toString('latin1'), error }),
    );
    socket.on('connect', () => write(socket));
  });
}

const head = (port: number, extra: string) =>
  `POST /ilp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
  `Content-Type: application/octet-stream\r\n${extra}\r\n`;

describe('node adapter', () => {
  it('round trip over a real socket', async () => {
    const { server, handlePacket } = await serve();
    const prepare = prepareBytes();
    const res = await post(server.url, prepare);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(new Uint8Array(res.body)).toEqual(new Uint8Array(fulfillBytes()));
    expect(new Uint8Array(handlePacket.mock.calls[0][1])).toEqual(new Uint8Array(prepare));
  });

  it('streams a chunked body in several pieces', async () => {
    const { server, handlePacket } = await serve();
    const prepare = prepareBytes({ data: new Uint8Array(20_000).fill(9) });
    const { response } = await rawExchange(server.port, (socket) => {
      socket.write(head(server.port, 'Transfer-Encoding: chunked\r\nConnection: close\r\n'));
      for (let i = 0; i < prepare.length; i += 7_000) {
        const piece = prepare.subarray(i, i + 7_000);
        socket.write(`${piece.length.toString(16)}\r\n`);
        socket.write(piece);
        socket.write('\r\n');
      }
      socket.write('0\r\n\r\n');
    });
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(new Uint8Array(handlePacket.mock.calls[0][1])).toEqual(new Uint8Array(prepare));
  });

  it('413 from a declared Content-Length, without reading the body, and closes', async () => {
    const { server, handlePacket } = await serve({ countBytes: true });
    const declared = 10_000_000;
    const { response } = await rawExchange(server.port, (socket) => {
      socket.write(head(server.port, `Content-Length: ${declared}\r\n`));
    });
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response).toMatch(/connection: close/i);
    expect(server.bytesReceived()).toBeLessThan(1_000);
    expect(handlePacket).not.toHaveBeenCalled();
  });

  it('413 as soon as a chunked body passes the limit, then closes', async () => {
    const { server, handlePacket } = await serve({ countBytes: true });
    const size = MAX_PREPARE_SIZE + 1;
    const { response } = await rawExchange(server.port, (socket) => {
      socket.write(head(server.port, 'Transfer-Encoding: chunked\r\n'));
      socket.write(`${size.toString(16)}\r\n`);
      socket.write(Buffer.alloc(size, 12));
      // no terminating chunk: the client would go on; the server must not wait for it
    });
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(handlePacket).not.toHaveBeenCalled();
  });

  it('stops reading an endless upload early (413 or reset, bounded bytes read)', async () => {
    const { server, handlePacket } = await serve({ countBytes: true });
    let sent = 0;
    const { response, error } = await rawExchange(server.port, (socket) => {
      socket.write(head(server.port, 'Transfer-Encoding: chunked\r\n'));
      const piece = Buffer.alloc(16 * 1024, 12);
      const pump = (): void => {
        // keep going until the server hangs up (or 10 MB, which would be a failure)
        while (!socket.destroyed && sent < 10_000_000) {
          sent += piece.length;
          socket.write(`${piece.length.toString(16)}\r\n`);
          if (!socket.write(Buffer.concat([piece, Buffer.from('\r\n')]))) {
            socket.once('drain', pump);
            return;
          }
        }
        socket.end();
      };
      pump();
    });
    expect(response === '' ? error : response).toMatch(/^HTTP\/1\.1 413 |ECONNRESET|EPIPE/);
    expect(sent).toBeLessThan(10_000_000);
    // what the server read: at most the limit plus what was in flight in socket buffers
    expect(server.bytesReceived()).toBeLessThan(MAX_PREPARE_SIZE + 512 * 1024);
    expect(handlePacket).not.toHaveBeenCalled();
  });

  it('survives a client that disconnects mid-body', async () => {
    const { server, handlePacket } = await serve();
    await rawExchange(server.port, (socket) => {
      socket.write(head(server.port, 'Content-Length: 500\r\n'));
      socket.write(Buffer.alloc(100, 12));
      setTimeout(() => socket.destroy(), 20);
    });
    // the server still answers the next request
    const res = await post(server.url, prepareBytes());
    expect(res.status).toBe(200);
    expect(handlePacket).toHaveBeenCalledTimes(1);
  });

  it('keeps the connection after a 401 with a small body', async () => {
    const { server, handlePacket } = await serve();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const denied = await post(server.url, prepareBytes(), { authorization: 'Bearer x' }, agent);
      expect(denied.status).toBe(401);
      expect(denied.headers['www-authenticate']).toBe('Bearer');
      const ok = await post(server.url, prepareBytes(), {}, agent);
      expect(ok.status).toBe(200);
      expect(server.connections()).toBe(1);
      expect(handlePacket).toHaveBeenCalledTimes(1);
    } finally {
      agent.destroy();
    }
  });

  it('answers 401 to an unauthenticated chunked upload and discards the body', async () => {
    const { server } = await serve();
    const prepare = prepareBytes();
    const { response } = await rawExchange(server.port, (socket) => {
      socket.write(
        `POST /ilp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      );
      socket.write(`${prepare.length.toString(16)}\r\n`);
      socket.write(prepare);
      socket.write('\r\n0\r\n\r\n');
    });
    expect(response).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('400 with a text reason for garbage over the wire', async () => {
    const { server } = await serve();
    const res = await post(server.url, Buffer.from('not a packet'));
    expect(res.status).toBe(400);
    expect(res.body.toString()).toMatch(/invalid ILP Prepare/);
  });

  it('serves only the configured path when one is given', async () => {
    const { server } = await serve({ path: '/ilp' });
    expect((await post(server.url.replace('/ilp', '/other'), prepareBytes())).status).toBe(404);
    expect((await post(`${server.url}?x=1`, prepareBytes())).status).toBe(200);
  });
});
