import fc from 'fast-check';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from './idempotency';
import type { Quantity } from './quantity';
import {
  createConnectorApi,
  createConnectorApiHandler,
  createEngineApi,
  type EngineHandlers,
  type SettlementHttpRequest,
} from './settlement-api';
import { SettlementError } from './settlement-error';

function recordingEngine(): EngineHandlers & { settled: Array<[string, Quantity, string]> } {
  const accounts = new Set(['alice']);
  const settled: Array<[string, Quantity, string]> = [];
  return {
    settled,
    async createAccount(id) {
      accounts.add(id);
    },
    async deleteAccount(id) {
      accounts.delete(id);
    },
    async settle(id, q, key) {
      if (!accounts.has(id)) throw new SettlementError('account_not_found');
      settled.push([id, q, key]);
    },
    async receiveMessage(id, data) {
      if (!accounts.has(id)) throw new SettlementError('account_not_found');
      if (data[0] !== 1) throw new SettlementError('invalid_message');
      return data.slice(1);
    },
  };
}

const settleRequest = (body: string, key = 'key-1', id = 'alice'): SettlementHttpRequest => ({
  method: 'POST',
  url: `/accounts/${id}/settlements`,
  headers: { 'content-type': 'application/json', 'idempotency-key': key },
  body: new TextEncoder().encode(body),
});

const json = (body: Uint8Array): { code?: string; message?: string } =>
  JSON.parse(new TextDecoder().decode(body));

describe('engine API', () => {
  it('runs a settlement once per key and replays its answer', async () => {
    const h = recordingEngine();
    const api = createEngineApi(h, new MemoryIdempotencyStore());
    const first = await api(settleRequest('{"amount":"0100","scale":2}'));
    const second = await api(settleRequest('{"amount":"100","scale":2}'));
    expect(first.status).toBe(201);
    expect(json(first.body)).toEqual({ amount: '100', scale: 2 });
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(h.settled).toEqual([['alice', { amount: 100n, scale: 2 }, 'key-1']]);
  });

  it('lets a key be used again after its request failed', async () => {
    const h = recordingEngine();
    const api = createEngineApi(h, new MemoryIdempotencyStore());
    expect((await api(settleRequest('{"amount":"1","scale":2}', 'k', 'bob'))).status).toBe(404);
    await h.createAccount('bob');
    expect((await api(settleRequest('{"amount":"1","scale":2}', 'k', 'bob'))).status).toBe(201);
  });

  it('makes a concurrent request with the same key wait for the first answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const h = recordingEngine();
    h.settle = async () => {
      runs++;
      await gate;
    };
    const api = createEngineApi(h, new MemoryIdempotencyStore(), { inProgressWaitMs: 5000 });
    const first = api(settleRequest('{"amount":"1","scale":2}'));
    const second = api(settleRequest('{"amount":"1","scale":2}'));
    setTimeout(release, 50);
    expect((await first).status).toBe(201);
    expect((await second).status).toBe(201);
    expect(runs).toBe(1);
  });

  it('answers 409 idempotency_in_progress with Retry-After when the first takes too long', async () => {
    const h = recordingEngine();
    h.settle = () => new Promise(() => undefined);
    const api = createEngineApi(h, new MemoryIdempotencyStore(), { inProgressWaitMs: 50 });
    void api(settleRequest('{"amount":"1","scale":2}'));
    const second = await api(settleRequest('{"amount":"1","scale":2}'));
    expect(second.status).toBe(409);
    expect(second.headers['retry-after']).toBe('1');
    expect(json(second.body).code).toBe('idempotency_in_progress');
  });

  it('refuses non-JSON content types, bad routes and methods', async () => {
    const api = createEngineApi(recordingEngine(), new MemoryIdempotencyStore());
    const text = settleRequest('{"amount":"1","scale":2}');
    text.headers['content-type'] = 'text/plain';
    expect((await api(text)).status).toBe(415);
    expect((await api({ ...text, url: '/nope', headers: {} })).status).toBe(404);
    expect((await api({ ...text, method: 'GET' })).status).toBe(405);
    expect((await api({ ...text, url: '/accounts/%E0%A4%A/settlements' })).status).toBe(400);
  });

  it('hides unexpected errors behind a 500 and reports them', async () => {
    const h = recordingEngine();
    h.settle = async () => {
      throw new Error('database is on fire: password=hunter2');
    };
    const seen: unknown[] = [];
    const api = createEngineApi(h, new MemoryIdempotencyStore(), {
      onError: (error) => seen.push(error),
    });
    const answer = await api(settleRequest('{"amount":"1","scale":2}'));
    expect(answer.status).toBe(500);
    expect(new TextDecoder().decode(answer.body)).not.toContain('hunter2');
    expect(seen).toHaveLength(1);
  });

  it('never answers 500 to random, truncated or garbage input', async () => {
    const api = createEngineApi(recordingEngine(), new MemoryIdempotencyStore());
    const valid = '{"amount":"123","scale":4}';
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string().map((s) => new TextEncoder().encode(s)),
      fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
      fc.nat(valid.length).map((n) => new TextEncoder().encode(valid.slice(0, n))),
      fc
        .record({
          amount: fc.oneof(fc.string(), fc.bigInt().map(String), fc.integer()),
          scale: fc.jsonValue(),
        })
        .map((v) => new TextEncoder().encode(JSON.stringify(v))),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'DELETE', 'GET', 'PUT'),
        fc.constantFrom(
          '/accounts',
          '/accounts/alice',
          '/accounts/alice/settlements',
          '/accounts/alice/messages',
          '/accounts/%ZZ/messages',
          '/',
        ),
        fc.option(fc.string({ maxLength: 30 })),
        body,
        async (method, url, key, bytes) => {
          const headers: Record<string, string> = {};
          if (key !== null) headers['idempotency-key'] = key;
          const answer = await api({ method, url, headers, body: bytes });
          expect(answer.status).toBeLessThan(500);
          if (answer.status >= 400) expect(json(answer.body).code).toEqual(expect.any(String));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('connector API', () => {
  it('credits once per key and relays messages', async () => {
    const credits: Array<[string, Quantity, string]> = [];
    const api = createConnectorApi(
      {
        async credit(id, q, key) {
          if (id !== 'peer') throw new SettlementError('account_not_found');
          credits.push([id, q, key]);
        },
        async message(id, data) {
          return new Uint8Array([...data].reverse());
        },
      },
      new MemoryIdempotencyStore(),
    );
    const credit = settleRequest('{"amount":"5000000000","scale":18}', 'tx-1', 'peer');
    expect((await api(credit)).status).toBe(201);
    expect((await api(credit)).status).toBe(201);
    expect((await api(settleRequest('{"amount":"1","scale":18}', 'tx-1', 'peer'))).status).toBe(
      409,
    );
    expect((await api(settleRequest('{"amount":"1","scale":18}', 'tx-2', 'x'))).status).toBe(404);
    expect(credits).toEqual([['peer', { amount: 5_000_000_000n, scale: 18 }, 'tx-1']]);
    const reply = await api({
      method: 'POST',
      url: '/accounts/peer/messages',
      headers: {},
      body: new Uint8Array([1, 2, 3]),
    });
    expect(reply.status).toBe(201);
    expect([...reply.body]).toEqual([3, 2, 1]);
    // The connector does not serve the engine's account routes.
    expect((await api({ ...credit, url: '/accounts' })).status).toBe(404);
  });
});

describe('node:http adapter', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('answers 413 to an oversized message without reading it all', async () => {
    server = createServer(
      createConnectorApiHandler(
        { credit: async () => undefined, message: async (_id, data) => data },
        new MemoryIdempotencyStore(),
      ),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { port, host: '127.0.0.1', method: 'POST', path: '/accounts/peer/messages' },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // Chunked (no Content-Length): the cap applies while streaming.
      for (let i = 0; i < 40; i++) req.write(Buffer.alloc(1024, 1));
      req.end();
    });
    expect(status).toBe(413);
  });
});
