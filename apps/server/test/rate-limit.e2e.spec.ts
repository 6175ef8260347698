/**
 * Rate limits over HTTP: per API key and per IP on public routes, 429 with Retry-After and
 * RateLimit-* headers, shared by two instances through Redis; made-up bearer tokens do not
 * get around the IP's limit.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTollgate } from '../src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp, testConfig } from './test-app';

const REDIS_URL = process.env.REDIS_URL;

describe('rate limits', () => {
  let db: TestDatabase;
  let one: RunningTollgate;
  let two: RunningTollgate;
  let admin: Record<string, string>;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const rateLimit = {
      api: { burst: 3, perSecond: 0.2 },
      public: { burst: 2, perSecond: 0.2 },
      // Unique per run: test files share one Redis.
      redisPrefix: `test:${randomBytes(6).toString('hex')}`,
    };
    const base = { ...testConfig().rateLimit, ...rateLimit };
    const shared = {
      databaseUrl: db.url,
      embeddedDatabase: db.embedded,
      redisUrl: REDIS_URL,
      queuePrefix: rateLimit.redisPrefix.replace(':', '-'),
      rateLimit: base,
    };
    one = await startTestApp(shared);
    // Without Redis the buckets live in one process: "both instances" are then that one.
    two = REDIS_URL ? await startTestApp(shared) : one;
    admin = { Authorization: `Bearer ${(one.adminToken as { token: string }).token}` };
    const merchant = async (slug: string) =>
      (
        await request(one.url)
          .post('/api/admin/merchants')
          .set(admin)
          .send({ name: slug, slug, assetCode: 'USD', assetScale: 2 })
          .expect(201)
      ).body.apiKey as string;
    keyA = await merchant('a');
    keyB = await merchant('b');
  }, 60_000);

  afterAll(async () => {
    await one?.stop();
    if (two !== one) await two?.stop();
    await db?.drop();
  });

  it('limits each API key on its own, with RateLimit headers and Retry-After on 429', async () => {
    const me = (key: string) =>
      request(one.url).get('/api/me').set('Authorization', `Bearer ${key}`);
    const first = await me(keyA).expect(200);
    expect(first.headers['ratelimit-limit']).toBe('3');
    expect(first.headers['ratelimit-remaining']).toBe('2');
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(first.headers['ratelimit-policy']).toBe('3;w=15');
    await me(keyA).expect(200);
    await me(keyA).expect(200);
    const refused = await me(keyA).expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(5);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    // Another key has its own bucket; the admin API is not limited.
    await me(keyB).expect(200);
    for (let i = 0; i < 5; i++)
      await request(one.url).get('/api/admin/merchants').set(admin).expect(200);
  });

  it('shares buckets between instances (through Redis when REDIS_URL is set)', async () => {
    const me = (server: RunningTollgate) =>
      request(server.url).get('/api/me').set('Authorization', `Bearer ${keyB}`);
    // keyB spent one token above: two left, taken on different instances.
    await me(two).expect(200);
    await me(one).expect(200);
    await me(two).expect(429);
    await me(one).expect(429);
  });

  it('limits public routes (checkout, SPSP) per client IP', async () => {
    const id = randomUUID();
    await request(one.url).get('/a').set('Accept', 'application/spsp4+json').expect(200);
    await request(two.url).get(`/api/checkout/${id}`).expect(404);
    const refused = await request(one.url).get(`/api/checkout/${id}`).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await request(one.url).get('/a').set('Accept', 'application/spsp4+json').expect(429);
    // Unauthenticated API calls draw from the IP's bucket too.
    await request(one.url).get('/api/keys').expect(429);
    // Health is never limited.
    await request(one.url).get('/health').expect(200);
  });

  it('a bearer token never seen before cannot buy a fresh bucket: new tokens draw on the IP', async () => {
    // Made-up tokens on a public route: each would otherwise open a full bucket of its own.
    // keyA and keyB above were new once each, which is all the IP's burst of 2.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(i % 2 ? one.url : two.url)
        .get(`/api/checkout/${randomUUID()}`)
        .set('Authorization', `Bearer made-up-${randomBytes(8).toString('hex')}`);
      statuses.push(res.status);
      if (res.status === 429) expect(res.body.code).toBe('rate_limited');
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    // Nor does one refused made-up token get in on its second try.
    const again = () =>
      request(one.url).get(`/api/checkout/${randomUUID()}`).set('Authorization', 'Bearer made-up');
    let first = await again();
    for (let i = 0; i < 3 && first.status !== 429; i++) first = await again();
    expect(first.status).toBe(429);
    expect((await again()).status).toBe(429);
    // A key already in use keeps its own bucket.
    const known = await request(one.url).get('/api/me').set('Authorization', `Bearer ${keyA}`);
    expect(known.headers['ratelimit-limit']).toBe('3');
  });
});
