import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { querySpsp } from './spsp-client';
import { SpspError, SpspErrorCode } from './spsp-error';
import { parseSpspResponse, serializeSpspResponse } from './spsp-response';
import { handleSpspRequest, ReceiptRequest } from './spsp-server';

const SECRET = new Uint8Array(32).map((_, i) => i * 7);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('SPSP response', () => {
  it('round-trips with a standard padded base64 secret', () => {
    const json = serializeSpspResponse({
      destinationAccount: 'test.tollgate.x',
      sharedSecret: SECRET,
    });
    expect(json.shared_secret).toBe(b64(SECRET));
    expect(parseSpspResponse(json)).toEqual({
      destinationAccount: 'test.tollgate.x',
      sharedSecret: SECRET,
    });
  });

  it.each([
    ['standard padded', b64(SECRET)],
    ['standard unpadded', b64(SECRET).replace(/=+$/, '')],
    ['url-safe unpadded', Buffer.from(SECRET).toString('base64url')],
    ['url-safe padded', Buffer.from(SECRET).toString('base64url') + '='],
  ])('accepts a %s secret', (_name, secret) => {
    expect(
      parseSpspResponse({ destination_account: 'g.x.y', shared_secret: secret }).sharedSecret,
    ).toEqual(SECRET);
  });

  it('ignores unknown fields and reads receipts_enabled', () => {
    const parsed = parseSpspResponse({
      destination_account: 'g.x.y',
      shared_secret: b64(SECRET),
      receipts_enabled: true,
      extra: 1,
    });
    expect(parsed.receiptsEnabled).toBe(true);
  });

  it.each([
    [null],
    [[]],
    [{ destination_account: 'nope', shared_secret: b64(SECRET) }],
    [{ destination_account: 'g.x.y' }],
    [{ destination_account: 'g.x.y', shared_secret: b64(SECRET.subarray(0, 16)) }],
    [{ destination_account: 'g.x.y', shared_secret: '!!!' }],
    [{ destination_account: 'g.x.y', shared_secret: b64(SECRET), receipts_enabled: 'yes' }],
  ])('refuses %j', (body) => {
    expect(() => parseSpspResponse(body)).toThrow(SpspError);
  });
});

describe('SPSP over HTTP', () => {
  let server: Server;
  let base: string;
  let lastReceipts: ReceiptRequest | undefined;

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      if (req.url === '/broken') {
        res.writeHead(200, { 'content-type': 'application/spsp4+json' }).end('{not json');
        return;
      }
      if (req.url === '/error') {
        res.writeHead(503).end();
        return;
      }
      const answer = await handleSpspRequest({ headers: req.headers }, async (receipts) => {
        lastReceipts = receipts;
        if (req.url === '/verified') {
          // A verifier that asks its receiver for receipts itself, whatever the query said.
          return {
            destinationAccount: 'test.tollgate.bob.abc',
            sharedSecret: SECRET,
            receiptsEnabled: true,
          };
        }
        return req.url === '/alice'
          ? { destinationAccount: 'test.tollgate.alice.abc', sharedSecret: SECRET }
          : undefined;
      });
      res.writeHead(answer.status, answer.headers).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('queries a receiver end to end', async () => {
    const got = await querySpsp(`${base}/alice`, { allowInsecure: true });
    expect(got).toEqual({
      destinationAccount: 'test.tollgate.alice.abc',
      sharedSecret: SECRET,
      receiptsEnabled: false,
    });
  });

  it('serves the SPSP media type, no caching, and CORS', async () => {
    const res = await fetch(`${base}/alice`, { headers: { accept: 'application/spsp4+json' } });
    expect(res.headers.get('content-type')).toBe('application/spsp4+json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('passes receipt nonce and secret through and says receipts are enabled', async () => {
    const nonce = new Uint8Array(16).fill(1);
    const secret = new Uint8Array(32).fill(2);
    const got = await querySpsp(`${base}/alice`, {
      allowInsecure: true,
      receiptNonce: b64(nonce),
      receiptSecret: b64(secret),
    });
    expect(got.receiptsEnabled).toBe(true);
    expect(lastReceipts).toEqual({ nonce, secret });
  });

  it('says receipts are enabled when the resolver knows they are, without receipt headers', async () => {
    const got = await querySpsp(`${base}/verified`, { allowInsecure: true });
    expect(got.receiptsEnabled).toBe(true);
    expect(lastReceipts).toBeUndefined();
  });

  it('answers 400 for half or malformed receipt headers', async () => {
    const half = await fetch(`${base}/alice`, {
      headers: { accept: 'application/spsp4+json', 'receipt-nonce': b64(new Uint8Array(16)) },
    });
    expect(half.status).toBe(400);
    const short = await fetch(`${base}/alice`, {
      headers: {
        accept: 'application/spsp4+json',
        'receipt-nonce': b64(new Uint8Array(8)),
        'receipt-secret': b64(new Uint8Array(32)),
      },
    });
    expect(short.status).toBe(400);
  });

  it('answers 406 without the SPSP media type', async () => {
    expect((await fetch(`${base}/alice`, { headers: { accept: 'text/html' } })).status).toBe(406);
  });

  it('maps failures to typed errors', async () => {
    await expect(querySpsp(`${base}/nobody`, { allowInsecure: true })).rejects.toMatchObject({
      code: SpspErrorCode.NotFound,
      status: 404,
    });
    await expect(querySpsp(`${base}/error`, { allowInsecure: true })).rejects.toMatchObject({
      code: SpspErrorCode.Http,
      status: 503,
    });
    await expect(querySpsp(`${base}/broken`, { allowInsecure: true })).rejects.toMatchObject({
      code: SpspErrorCode.InvalidResponse,
    });
    await expect(
      querySpsp('http://127.0.0.1:1/x', { allowInsecure: true, timeoutMs: 2000 }),
    ).rejects.toMatchObject({
      code: SpspErrorCode.Network,
    });
  });
});
