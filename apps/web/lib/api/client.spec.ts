import { describe, expect, it } from 'vitest';
import { ApiError, createApi } from './client';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function api(answer: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const client = createApi('http://node.test:8080/', {
    fetch: async (input, init) => {
      calls.push({ url: String(input), init });
      return answer(String(input), init);
    },
  });
  return { client, calls };
}

describe('the API client', () => {
  const id = '4a0c5b8e-2f5e-4a57-9d8e-0d4a1f6b9c21';

  it('reads a checkout and derives the event and BTP URLs from its base', async () => {
    const { client, calls } = api(() => json(200, { id, amount: '100' }));
    expect(await client.checkout(id)).toMatchObject({ id, amount: '100' });
    expect(calls[0].url).toBe(`http://node.test:8080/api/checkout/${id}`);
    expect(client.checkoutEventsUrl(id)).toBe(`http://node.test:8080/api/checkout/${id}/events`);
    expect(client.btpUrl()).toBe('ws://node.test:8080/btp');
  });

  it('turns failures into ApiErrors of the kind pages switch on', async () => {
    const cases: [() => Response | Promise<Response>, string][] = [
      [
        () => json(404, { statusCode: 404, code: 'unknown_invoice', message: 'no invoice' }),
        'not-found',
      ],
      [() => json(503, { statusCode: 503, message: 'database down' }), 'unreachable'],
      [() => Promise.reject(new TypeError('fetch failed')), 'unreachable'],
      [() => json(409, { statusCode: 409, code: 'x', message: ['a', 'b'] }), 'refused'],
    ];
    for (const [answer, kind] of cases) {
      const error = await api(answer)
        .client.checkout(id)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).kind).toBe(kind);
    }
    // A malformed id is simply unknown, without asking the server.
    const { client, calls } = api(() => json(200, {}));
    await expect(client.checkout('nope')).rejects.toMatchObject({ kind: 'not-found' });
    expect(calls).toHaveLength(0);
  });

  it('sends the wallet token as a bearer token, and says when demo wallets are off', async () => {
    const { client, calls } = api((url) =>
      url.endsWith('/top-up')
        ? json(404, { statusCode: 404, message: 'Cannot POST /api/demo/wallets/w/top-up' })
        : json(401, { statusCode: 401, code: 'bad_wallet_token', message: 'no' }),
    );
    await expect(client.wallet({ id: 'w', token: 't' })).rejects.toMatchObject({
      kind: 'unauthorized',
    });
    expect(new Headers(calls[0].init?.headers).get('authorization')).toBe('Bearer t');
    await expect(client.topUp({ id: 'w', token: 't' })).rejects.toMatchObject({
      kind: 'disabled',
      message: 'Demo wallets are turned off on this node.',
    });
  });

  it('asks the node whether it offers demo wallets', async () => {
    const on = api(() =>
      json(200, {
        enabled: true,
        assetCode: 'USD',
        assetScale: 2,
        topUpAmount: '2000',
        maxBalance: '10000',
      }),
    );
    await expect(on.client.demoInfo()).resolves.toMatchObject({
      enabled: true,
      topUpAmount: '2000',
    });
    expect(on.calls[0].url).toMatch(/\/api\/demo$/);
    const off = api(() => json(404, { statusCode: 404, message: 'Cannot GET /api/demo' }));
    await expect(off.client.demoInfo()).rejects.toMatchObject({ kind: 'disabled' });
  });
});
