import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMemoryEngine, type MemoryEngine } from '../test/memory-engine';
import { MemoryIdempotencyStore } from './idempotency';
import type { Quantity } from './quantity';
import { createConnectorApiHandler } from './settlement-api';
import {
  backoffDelay,
  ConnectorSettlementClient,
  retrySettlementCall,
  SettlementEngineClient,
  SettlementHttpError,
} from './settlement-http-client';

const servers: Server[] = [];
let engine: MemoryEngine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failure(promise: Promise<unknown>): Promise<SettlementHttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SettlementHttpError);
    return error as SettlementHttpError;
  }
  throw new Error('expected a SettlementHttpError');
}

describe('SettlementEngineClient', () => {
  it('drives an engine through its whole API', async () => {
    engine = await startMemoryEngine();
    const client = new SettlementEngineClient(`${engine.url}/`);
    await client.createAccount('peer-1');
    await client.createAccount('peer-1');
    await client.settle('peer-1', { amount: 42n, scale: 9 }, 'job-1');
    await client.settle('peer-1', { amount: 42n, scale: 9 }, 'job-1');
    expect(engine.settlements).toEqual([
      { id: 'peer-1', q: { amount: 42n, scale: 9 }, key: 'job-1' },
    ]);
    const reply = await client.sendMessage('peer-1', new TextEncoder().encode('ping:x'));
    expect(new TextDecoder().decode(reply)).toBe('pong:x');
    await client.deleteAccount('peer-1');
    await client.deleteAccount('peer-1');
    const gone = await failure(client.settle('peer-1', { amount: 1n, scale: 0 }, 'job-2'));
    expect(gone.status).toBe(404);
    expect(gone.code).toBe('account_not_found');
    expect(gone.retryable).toBe(false);
    const conflict = await failure(client.settle('x', { amount: 1n, scale: 0 }, 'job-1'));
    expect(conflict.status).toBe(409);
    expect(conflict.retryable).toBe(false);
  });

  it('treats an account that already exists (409) as created', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end('{"code":"account_exists"}');
    });
    await new SettlementEngineClient(url).createAccount('a');
  });
});

describe('errors and retries', () => {
  it('classifies answers as retryable or not', async () => {
    const statuses = [500, 503, 408, 429, 400, 404, 409];
    let next = 0;
    const url = await serve((_req, res) => {
      const status = statuses[next++];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ code: status === 409 ? 'idempotency_conflict' : 'x', message: 'm' }),
      );
    });
    const client = new ConnectorSettlementClient(url);
    const q: Quantity = { amount: 1n, scale: 18 };
    const verdicts: Array<[number | undefined, boolean]> = [];
    for (let i = 0; i < statuses.length; i++) {
      const error = await failure(client.creditSettlement('a', q, 'k'));
      verdicts.push([error.status, error.retryable]);
    }
    expect(verdicts).toEqual([
      [500, true],
      [503, true],
      [408, true],
      [429, true],
      [400, false],
      [404, false],
      [409, false],
    ]);
  });

  it('retries a 409 idempotency_in_progress', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end('{"code":"idempotency_in_progress","message":"busy"}');
    });
    const error = await failure(
      new ConnectorSettlementClient(url).creditSettlement('a', { amount: 1n, scale: 0 }, 'k'),
    );
    expect(error.retryable).toBe(true);
  });

  it('reports a refused connection and a timeout as retryable without status', async () => {
    const refused = await failure(
      new ConnectorSettlementClient('http://127.0.0.1:1').sendMessage('a', new Uint8Array([1])),
    );
    expect(refused.status).toBeUndefined();
    expect(refused.retryable).toBe(true);
    const url = await serve(() => undefined);
    const slow = await failure(
      new ConnectorSettlementClient(url, { timeoutMs: 100 }).sendMessage('a', new Uint8Array(1)),
    );
    expect(slow.retryable).toBe(true);
    expect(slow.message).toMatch(/no answer within 100 ms/);
  });

  it('retries with the same key until the connector credits', async () => {
    let calls = 0;
    const keys: string[] = [];
    const credited: Quantity[] = [];
    const handler = createConnectorApiHandler(
      {
        async credit(_id, q, key) {
          keys.push(key);
          if (++calls < 3) throw new Error('database restarting');
          credited.push(q);
        },
        message: async (_id, data) => data,
      },
      new MemoryIdempotencyStore(),
    );
    const url = await serve(handler);
    const client = new ConnectorSettlementClient(url);
    const retries: number[] = [];
    await retrySettlementCall(
      () => client.creditSettlement('peer', { amount: 7n, scale: 18 }, 'tx-abc'),
      { baseDelayMs: 5, onRetry: (_e, attempt) => retries.push(attempt) },
    );
    expect(retries).toEqual([1, 2]);
    expect(keys).toEqual(['tx-abc', 'tx-abc', 'tx-abc']);
    expect(credited).toEqual([{ amount: 7n, scale: 18 }]);
  });

  it('does not retry what cannot succeed, and stops at maxAttempts', async () => {
    let calls = 0;
    const failing = async (): Promise<void> => {
      calls++;
      throw new SettlementHttpError('bad', false, 400);
    };
    await expect(retrySettlementCall(failing, { baseDelayMs: 1 })).rejects.toThrow('bad');
    expect(calls).toBe(1);
    calls = 0;
    const down = async (): Promise<void> => {
      calls++;
      throw new SettlementHttpError('down', true);
    };
    await expect(retrySettlementCall(down, { baseDelayMs: 1, maxAttempts: 3 })).rejects.toThrow(
      'down',
    );
    expect(calls).toBe(3);
  });

  it('keeps back-off delays within half to all of the capped exponential', () => {
    for (let attempt = 1; attempt < 40; attempt++) {
      const ceiling = Math.min(1000, 10 * 2 ** (attempt - 1));
      const delay = backoffDelay(attempt, 10, 1000);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it('refuses bad base URLs and account ids before sending anything', async () => {
    expect(() => new SettlementEngineClient('ftp://x')).toThrow(/http/);
    expect(() => new SettlementEngineClient('not a url')).toThrow(/invalid/);
    const client = new SettlementEngineClient('http://127.0.0.1:1');
    await expect(client.settle('a/b', { amount: 1n, scale: 0 }, 'k')).rejects.toThrow(/account id/);
  });
});
