/**
 * The RFC 38 conformance suite every settlement engine here must pass, over real HTTP.
 * `describeEngineConformance('my engine', setup)` defines the vitest tests; `setup` starts
 * the engine once for the file and says how to talk to it.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface EngineUnderTest {
  /** Base URL of the engine's RFC 38 API, e.g. `http://127.0.0.1:3001`. */
  url: string;
  /**
   * A peer message the engine accepts for `accountId` (the account exists), and a check of
   * the engine's reply to it.
   */
  validMessage(
    accountId: string,
  ): Promise<{ body: Uint8Array; checkReply(reply: Uint8Array): void | Promise<void> }>;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  json: unknown;
  bytes: Uint8Array;
}

export function describeEngineConformance(
  name: string,
  setup: () => Promise<EngineUnderTest>,
): void {
  describe(`RFC 38 engine conformance: ${name}`, () => {
    let engine: EngineUnderTest;

    beforeAll(async () => {
      engine = await setup();
    });
    afterAll(async () => {
      await engine?.close();
    });

    async function call(
      method: string,
      path: string,
      body?: string | Uint8Array,
      headers: Record<string, string> = {},
    ): Promise<Answer> {
      const response = await fetch(engine.url + path, {
        method,
        headers,
        body: body as string | undefined,
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        json = undefined;
      }
      return { status: response.status, json, bytes };
    }

    const newId = (): string => `acct-${randomBytes(6).toString('hex')}`;
    const newKey = (): string => randomBytes(16).toString('hex');

    async function createAccount(): Promise<string> {
      const id = newId();
      const answer = await call('POST', '/accounts', JSON.stringify({ id }), {
        'content-type': 'application/json',
      });
      expect(answer.status).toBe(201);
      return id;
    }

    function settle(id: string, body: unknown, key: string | undefined): Promise<Answer> {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (key !== undefined) headers['idempotency-key'] = key;
      return call(
        'POST',
        `/accounts/${encodeURIComponent(id)}/settlements`,
        typeof body === 'string' ? body : JSON.stringify(body),
        headers,
      );
    }

    it('creates an account with 201', async () => {
      await createAccount();
    });

    it('refuses an account without a valid id with 400 naming the field', async () => {
      for (const body of [{}, { id: '' }, { id: 42 }, { id: 'a/b' }, { id: 'x'.repeat(300) }]) {
        const answer = await call('POST', '/accounts', JSON.stringify(body), {
          'content-type': 'application/json',
        });
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(JSON.stringify(answer.json)).toContain('id');
      }
    });

    it('settles with 201', async () => {
      const id = await createAccount();
      const answer = await settle(id, { amount: '1000', scale: 9 }, newKey());
      expect(answer.status).toBe(201);
    });

    it('replays the same answer for the same key and body', async () => {
      const id = await createAccount();
      const key = newKey();
      const first = await settle(id, { amount: '1234', scale: 6 }, key);
      const second = await settle(id, { amount: '1234', scale: 6 }, key);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.json).toEqual(first.json);
    });

    it('answers 409 for the same key with another body or account', async () => {
      const id = await createAccount();
      const other = await createAccount();
      const key = newKey();
      expect((await settle(id, { amount: '5', scale: 2 }, key)).status).toBe(201);
      const otherAmount = await settle(id, { amount: '6', scale: 2 }, key);
      expect(otherAmount.status).toBe(409);
      expect((otherAmount.json as { code?: string }).code).toBe('idempotency_conflict');
      expect((await settle(id, { amount: '5', scale: 3 }, key)).status).toBe(409);
      expect((await settle(other, { amount: '5', scale: 2 }, key)).status).toBe(409);
    });

    it('answers 400 without an Idempotency-Key', async () => {
      const id = await createAccount();
      const answer = await settle(id, { amount: '5', scale: 2 }, undefined);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.json)).toMatch(/idempotency/i);
    });

    it('refuses bad quantities with 400 naming the field', async () => {
      const id = await createAccount();
      const cases: Array<[unknown, string]> = [
        [{ amount: '-5', scale: 2 }, 'amount'],
        [{ amount: '1.5', scale: 2 }, 'amount'],
        [{ amount: 15, scale: 2 }, 'amount'],
        [{ amount: '', scale: 2 }, 'amount'],
        [{ amount: '0', scale: 2 }, 'amount'],
        [{ amount: '10', scale: 256 }, 'scale'],
        [{ amount: '10', scale: -1 }, 'scale'],
        [{ amount: '10', scale: 1.5 }, 'scale'],
        [{ amount: '10', scale: '2' }, 'scale'],
        [{ amount: '10' }, 'scale'],
        ['{"amount":"10",', 'JSON'],
        ['[1,2]', 'amount'],
      ];
      for (const [body, field] of cases) {
        const answer = await settle(id, body, newKey());
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect((answer.json as { message?: string }).message, JSON.stringify(body)).toContain(
          field,
        );
      }
    });

    it('answers 413 for a huge settlement body', async () => {
      const id = await createAccount();
      const answer = await settle(
        id,
        JSON.stringify({ amount: '1', scale: 0, pad: 'x'.repeat(100_000) }),
        newKey(),
      );
      expect(answer.status).toBe(413);
    });

    it('answers 404 for an unknown account', async () => {
      const unknown = newId();
      expect((await settle(unknown, { amount: '5', scale: 2 }, newKey())).status).toBe(404);
      const message = await call('POST', `/accounts/${unknown}/messages`, new Uint8Array([1]), {
        'content-type': 'application/octet-stream',
      });
      expect(message.status).toBe(404);
    });

    it('deletes an account with 204, after which it is unknown', async () => {
      const id = await createAccount();
      expect((await call('DELETE', `/accounts/${id}`)).status).toBe(204);
      expect((await settle(id, { amount: '5', scale: 2 }, newKey())).status).toBe(404);
    });

    it('answers a peer message with 201 and the reply bytes', async () => {
      const id = await createAccount();
      const message = await engine.validMessage(id);
      const answer = await call('POST', `/accounts/${id}/messages`, message.body, {
        'content-type': 'application/octet-stream',
        accept: 'application/octet-stream',
      });
      expect(answer.status).toBe(201);
      await message.checkReply(answer.bytes);
    });

    it('never answers 500 to random requests', async () => {
      const id = await createAccount();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('POST', 'DELETE', 'PUT', 'GET'),
          fc.oneof(
            fc.constantFrom('settlements', 'messages').map((s) => `/accounts/${id}/${s}`),
            fc
              .string({ maxLength: 20 })
              .map((s) => `/accounts/${encodeURIComponent(s)}/settlements`),
            fc.string({ maxLength: 30 }).map((s) => `/${s.replace(/[^\x21-\x7e]/g, '')}`),
          ),
          fc.option(
            fc.string({ minLength: 1, maxLength: 40 }).filter((k) => /^[\x21-\x7e]+$/.test(k)),
          ),
          fc.oneof(
            fc.uint8Array({ maxLength: 100 }),
            fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
            fc
              .record({
                amount: fc.oneof(fc.bigInt().map(String), fc.string()),
                scale: fc.integer(),
              })
              .map((v) => new TextEncoder().encode(JSON.stringify(v))),
          ),
          async (method, path, key, body) => {
            const headers: Record<string, string> = { 'content-type': 'application/json' };
            if (key !== null) headers['idempotency-key'] = key;
            const answer = await call(method, path, method === 'GET' ? undefined : body, headers);
            expect(answer.status, `${method} ${path}`).toBeLessThan(500);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('refuses a message it does not understand with 400', async () => {
      const id = await createAccount();
      for (const body of [randomBytes(40), new TextEncoder().encode('{"type":"nonsense"}')]) {
        const answer = await call('POST', `/accounts/${id}/messages`, new Uint8Array(body), {
          'content-type': 'application/octet-stream',
        });
        expect(answer.status).toBe(400);
      }
    });
  });
}
