import { describe, expect, it, vi } from 'vitest';
import {
  deserializeReject,
  IlpError,
  IlpErrorCode,
  serializeFulfill,
  type IlpPrepare,
} from '@tollgate/ilp-core';
import {
  createStaticAuthenticator,
  IlpHttpHandler,
  MAX_PREPARE_SIZE,
  parseBearerToken,
  type HandlePacket,
  type IlpHttpHandlerOptions,
  type IlpHttpHeaders,
} from '@tollgate/ilp-http';
import { fulfillBytes, NODE_ADDRESS, prepareBytes, rejectBytes } from '../test/helpers';

const TOKEN = 'alice-secret';
const authenticate = createStaticAuthenticator([
  { accountId: 'alice', token: TOKEN },
  { accountId: 'bob', token: 'bob-secret' },
]);

function makeHandler(overrides: Partial<IlpHttpHandlerOptions> = {}) {
  const handlePacket = vi.fn<HandlePacket>(async () => fulfillBytes());
  const handler = new IlpHttpHandler({
    authenticate,
    handlePacket,
    nodeAddress: NODE_ADDRESS,
    ...overrides,
  });
  return { handler, handlePacket: (overrides.handlePacket as typeof handlePacket) ?? handlePacket };
}

function headers(extra: Record<string, string | undefined> = {}): IlpHttpHeaders {
  return {
    authorization: `Bearer ${TOKEN}`,
    'content-type': 'application/octet-stream',
    ...extra,
  };
}

const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe('IlpHttpHandler', () => {
  it('answers 200 with the reply of handlePacket, passing the account and decoded Prepare', async () => {
    const { handler, handlePacket } = makeHandler();
    const body = prepareBytes({ amount: 42n });
    const res = await handler.handle({ method: 'POST', headers: headers(), body });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.body).toEqual(fulfillBytes());
    const [accountId, bytes, prepare] = handlePacket.mock.calls[0];
    expect(accountId).toBe('alice');
    expect(bytes).toBe(body);
    expect((prepare as IlpPrepare).amount).toBe(42n);
  });

  it('passes a Reject from handlePacket through with 200', async () => {
    const { handler } = makeHandler({ handlePacket: async () => rejectBytes('F02') });
    const res = await handler.handle({ method: 'POST', headers: headers(), body: prepareBytes() });
    expect(res.status).toBe(200);
    expect(deserializeReject(res.body).code).toBe('F02');
  });

  it('405 for other methods, with Allow', async () => {
    const { handler } = makeHandler();
    const res = await handler.handle({ method: 'GET', headers: headers(), body: new Uint8Array() });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  describe('authentication', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['another scheme', `Basic ${TOKEN}`],
      ['scheme only', 'Bearer'],
      ['scheme and blank', 'Bearer   '],
      ['two tokens', `Bearer ${TOKEN} more`],
      ['raw token without scheme', TOKEN],
    ])('401 with WWW-Authenticate for a %s header, without asking the store', async (_, value) => {
      const spy = vi.fn(authenticate);
      const { handler, handlePacket } = makeHandler({ authenticate: spy });
      const res = await handler.handle({
        method: 'POST',
        headers: headers({ authorization: value }),
        body: prepareBytes(),
      });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(spy).not.toHaveBeenCalled();
      expect(handlePacket).not.toHaveBeenCalled();
    });

    it('gives the same 401 for a wrong token and for a right token under the wrong name', async () => {
      const { handler, handlePacket } = makeHandler();
      const wrongToken = await handler.handle({
        method: 'POST',
        headers: headers({ authorization: 'Bearer nope' }),
        body: prepareBytes(),
      });
      const wrongName = await handler.handle({
        method: 'POST',
        headers: headers({ 'ilp-peer-name': 'bob' }),
        body: prepareBytes(),
      });
      expect(wrongToken.status).toBe(401);
      expect(wrongName.status).toBe(401);
      expect(wrongName.headers).toEqual(wrongToken.headers);
      expect(text(wrongName.body)).toBe(text(wrongToken.body));
      expect(handlePacket).not.toHaveBeenCalled();
    });

    it('accepts the scheme in any case and passes a trimmed ILP-Peer-Name', async () => {
      const spy = vi.fn(authenticate);
      const { handler, handlePacket } = makeHandler({ authenticate: spy });
      const res = await handler.handle({
        method: 'POST',
        headers: headers({ authorization: `bearer ${TOKEN}`, 'ilp-peer-name': ' alice ' }),
        body: prepareBytes(),
      });
      expect(res.status).toBe(200);
      expect(spy).toHaveBeenCalledWith(TOKEN, 'alice');
      expect(handlePacket.mock.calls[0][0]).toBe('alice');
    });

    it('lets the token alone pick the account when ILP-Peer-Name is absent or empty', async () => {
      const spy = vi.fn(authenticate);
      const { handler, handlePacket } = makeHandler({ authenticate: spy });
      for (const name of [undefined, '', '  ']) {
        await handler.handle({
          method: 'POST',
          headers: headers({ authorization: 'Bearer bob-secret', 'ilp-peer-name': name }),
          body: prepareBytes(),
        });
      }
      expect(spy.mock.calls.map((c) => c[1])).toEqual([undefined, undefined, undefined]);
      expect(handlePacket.mock.calls.map((c) => c[0])).toEqual(['bob', 'bob', 'bob']);
    });

    it('503 (not 401, not a crash) when the credential store fails', async () => {
      const onError = vi.fn();
      const { handler } = makeHandler({
        authenticate: async () => {
          throw new Error('db down');
        },
        onError,
      });
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: prepareBytes(),
      });
      expect(res.status).toBe(503);
      expect(onError).toHaveBeenCalledOnce();
    });

    it('401 when authenticate returns an empty id', async () => {
      const { handler } = makeHandler({ authenticate: () => '' });
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: prepareBytes(),
      });
      expect(res.status).toBe(401);
    });
  });

  describe('media type', () => {
    it.each(['text/plain', 'application/json', 'application/x-www-form-urlencoded', ''])(
      '415 for Content-Type %j',
      async (type) => {
        const { handler } = makeHandler();
        const res = await handler.handle({
          method: 'POST',
          headers: headers({ 'content-type': type }),
          body: prepareBytes(),
        });
        expect(res.status).toBe(415);
      },
    );

    it.each([
      'application/octet-stream',
      'Application/Octet-Stream; charset=binary',
      'application/ilp+octet-stream',
      undefined,
    ])('accepts Content-Type %j', async (type) => {
      const { handler } = makeHandler();
      const res = await handler.handle({
        method: 'POST',
        headers: headers({ 'content-type': type }),
        body: prepareBytes(),
      });
      expect(res.status).toBe(200);
    });
  });

  describe('size', () => {
    it('is the largest Prepare: 1+3+8+17+32+(3+1023)+(3+32767)', () => {
      expect(MAX_PREPARE_SIZE).toBe(1 + 3 + 8 + 17 + 32 + (3 + 1023) + (3 + 32767));
    });

    it('413 from a declared Content-Length above the limit, before authenticating', async () => {
      const spy = vi.fn(authenticate);
      const { handler } = makeHandler({ authenticate: spy });
      const admission = await handler.admit(
        'POST',
        headers({ 'content-length': String(MAX_PREPARE_SIZE + 1) }),
      );
      expect(admission.ok).toBe(false);
      if (!admission.ok) expect(admission.response.status).toBe(413);
      expect(spy).not.toHaveBeenCalled();
    });

    it('admits a declared Content-Length of exactly the limit', async () => {
      const { handler } = makeHandler();
      const admission = await handler.admit(
        'POST',
        headers({ 'content-length': String(MAX_PREPARE_SIZE) }),
      );
      expect(admission).toEqual({ ok: true, accountId: 'alice', contentLength: MAX_PREPARE_SIZE });
    });

    it('413 for a buffered body above the limit', async () => {
      const { handler, handlePacket } = makeHandler();
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: new Uint8Array(MAX_PREPARE_SIZE + 1).fill(12),
      });
      expect(res.status).toBe(413);
      expect(handlePacket).not.toHaveBeenCalled();
    });

    it.each(['abc', '-1', '1e3', '12, 13'])('400 for Content-Length %j', async (value) => {
      const { handler } = makeHandler();
      const res = await handler.handle({
        method: 'POST',
        headers: headers({ 'content-length': value }),
        body: prepareBytes(),
      });
      expect(res.status).toBe(400);
    });

    it('handles the largest valid Prepare', async () => {
      const { handler } = makeHandler();
      const body = prepareBytes({
        destination: `test.${'a'.repeat(1018)}`,
        data: new Uint8Array(32767),
      });
      expect(body.length).toBe(MAX_PREPARE_SIZE);
      const res = await handler.handle({ method: 'POST', headers: headers(), body });
      expect(res.status).toBe(200);
    });
  });

  describe('body', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['an empty body', new Uint8Array(0)],
      ['a truncated Prepare', prepareBytes().subarray(0, 40)],
      ['a Prepare missing its last byte', prepareBytes().subarray(0, prepareBytes().length - 1)],
      ['a Fulfill', fulfillBytes()],
      ['a Reject', rejectBytes()],
      ['an unknown type byte', new Uint8Array([99, 1, 0])],
      ['text', new TextEncoder().encode('hello, world')],
      ['a Prepare with trailing bytes', new Uint8Array([...prepareBytes(), 0])],
    ];
    it.each(cases)('400 with a short text reason for %s', async (_, body) => {
      const { handler, handlePacket } = makeHandler();
      const res = await handler.handle({ method: 'POST', headers: headers(), body });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(text(res.body).length).toBeGreaterThan(0);
      expect(text(res.body).length).toBeLessThanOrEqual(201);
      expect(handlePacket).not.toHaveBeenCalled();
    });

    it('says what a Fulfill sent as a request is', async () => {
      const { handler } = makeHandler();
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: fulfillBytes(),
      });
      expect(text(res.body)).toMatch(/Fulfill/);
    });
  });

  describe('failures of handlePacket', () => {
    it('a thrown Error becomes a T00 Reject with 200, triggered by this node, text not leaked', async () => {
      const onError = vi.fn();
      const { handler } = makeHandler({
        handlePacket: async () => {
          throw new Error('secret internals');
        },
        onError,
      });
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: prepareBytes(),
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      const reject = deserializeReject(res.body);
      expect(reject.code).toBe('T00');
      expect(reject.triggeredBy).toBe(NODE_ADDRESS);
      expect(reject.message).not.toMatch(/secret/);
      expect(onError).toHaveBeenCalledWith(expect.any(Error), { accountId: 'alice' });
    });

    it('a synchronous throw is caught too', async () => {
      const { handler } = makeHandler({
        handlePacket: (() => {
          throw new Error('sync');
        }) as HandlePacket,
      });
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: prepareBytes(),
      });
      expect(deserializeReject(res.body).code).toBe('T00');
    });

    it('an IlpError keeps its code and message', async () => {
      const { handler } = makeHandler({
        handlePacket: async () => {
          throw new IlpError(IlpErrorCode.F02_UNREACHABLE, 'no route');
        },
      });
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: prepareBytes(),
      });
      const reject = deserializeReject(res.body);
      expect([res.status, reject.code, reject.message]).toEqual([200, 'F02', 'no route']);
    });

    it.each([
      ['a Prepare', prepareBytes()],
      ['empty bytes', new Uint8Array(0)],
      ['not bytes', 'fulfilled' as unknown as Uint8Array],
      ['a truncated Fulfill', fulfillBytes().subarray(0, 10)],
      ['a Reject type byte on garbage', new Uint8Array([14, 3, 1, 2, 3])],
    ])('a reply that is %s becomes T00', async (_, reply) => {
      const { handler } = makeHandler({ handlePacket: async () => reply });
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: prepareBytes(),
      });
      expect(res.status).toBe(200);
      expect(deserializeReject(res.body).code).toBe('T00');
    });

    it('reads the node address from a function at reject time', async () => {
      let address = 'test.before';
      const { handler } = makeHandler({
        nodeAddress: () => address,
        handlePacket: async () => {
          throw new Error('x');
        },
      });
      address = 'test.after';
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: prepareBytes(),
      });
      expect(deserializeReject(res.body).triggeredBy).toBe('test.after');
    });

    it('still answers a Reject when the node address is unknown', async () => {
      const { handler } = makeHandler({
        nodeAddress: () => {
          throw new Error('no ILDCP yet');
        },
        handlePacket: async () => {
          throw new Error('x');
        },
      });
      const res = await handler.handle({
        method: 'POST',
        headers: headers(),
        body: prepareBytes(),
      });
      expect(deserializeReject(res.body)).toMatchObject({ code: 'T00', triggeredBy: '' });
    });
  });

  it('refuses an invalid node address at construction', () => {
    expect(() => makeHandler({ nodeAddress: 'not an address' })).toThrow(TypeError);
  });

  it('never copies the Fulfill it is given', async () => {
    const reply = serializeFulfill({ fulfillment: new Uint8Array(32), data: new Uint8Array(0) });
    const { handler } = makeHandler({ handlePacket: async () => reply });
    const res = await handler.handle({ method: 'POST', headers: headers(), body: prepareBytes() });
    expect(res.body).toBe(reply);
  });
});

describe('parseBearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER  a.b-c_d~e+f/g==', 'a.b-c_d~e+f/g=='],
    ['  Bearer abc  ', 'abc'],
    ['Bearer a:b', 'a:b'],
  ])('%j → %j', (header, token) => expect(parseBearerToken(header)).toBe(token));

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'abc', 'Bearer a b', 'Bearerabc'])(
    '%j → undefined',
    (header) => expect(parseBearerToken(header)).toBeUndefined(),
  );
});

describe('createStaticAuthenticator', () => {
  it('matches by token, or by name and token', async () => {
    expect(await authenticate(TOKEN, undefined)).toBe('alice');
    expect(await authenticate(TOKEN, 'alice')).toBe('alice');
    expect(await authenticate(TOKEN, 'bob')).toBeUndefined();
    expect(await authenticate('bob-secret', undefined)).toBe('bob');
    expect(await authenticate('alice-secre', undefined)).toBeUndefined();
    expect(await authenticate('', undefined)).toBeUndefined();
  });
});
