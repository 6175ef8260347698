/** Merchants and API keys through the server: created by the admin, keys shown once and hashed. */
import request from 'supertest';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTollgate } from '../src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

describe('merchants and API keys', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let admin: string;
  const api = () => request(server.url);
  const asAdmin = () => ({ Authorization: `Bearer ${admin}` });

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    admin = (server.adminToken as { token: string }).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  let shopKey: string;
  let shopId: string;

  it('creates a merchant and shows its first API key once', async () => {
    const res = await api()
      .post('/api/admin/merchants')
      .set(asAdmin())
      .send({ name: 'Coffee Shop', slug: 'coffee', assetCode: 'USD', assetScale: 2 })
      .expect(201);
    expect(res.body.merchant).toMatchObject({
      name: 'Coffee Shop',
      slug: 'coffee',
      assetCode: 'USD',
      assetScale: 2,
    });
    expect(res.body.apiKey).toMatch(/^tg_key_[A-Za-z0-9_-]{43}$/);
    shopKey = res.body.apiKey;
    shopId = res.body.merchant.id;
    const again = await api().get(`/api/admin/merchants/${shopId}`).set(asAdmin()).expect(200);
    expect(JSON.stringify(again.body)).not.toContain(shopKey);
  });

  it('gives the merchant a local connector account named by its slug, and keeps ids and slugs apart', async () => {
    const account = await api().get('/api/admin/accounts/coffee').set(asAdmin()).expect(200);
    expect(account.body).toMatchObject({
      id: 'coffee',
      link: 'local',
      assetCode: 'USD',
      assetScale: 2,
      balance: '0',
    });
    await api()
      .post('/api/admin/accounts')
      .set(asAdmin())
      .send({
        id: 'coffee',
        assetCode: 'USD',
        assetScale: 2,
        relation: 'peer',
        link: 'btp',
        incomingToken: 'x'.repeat(24),
      })
      .expect(409);
    await api()
      .post('/api/admin/accounts')
      .set(asAdmin())
      .send({
        id: 'hub',
        assetCode: 'USD',
        assetScale: 2,
        relation: 'peer',
        link: 'btp',
        incomingToken: 'y'.repeat(24),
      })
      .expect(201);
    await api()
      .post('/api/admin/merchants')
      .set(asAdmin())
      .send({ name: 'Hub', slug: 'hub', assetCode: 'USD', assetScale: 2 })
      .expect(409);
  });

  it('stores only a hash of the key', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT key_hash, key_prefix FROM api_keys');
    await client.end();
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(shopKey.startsWith(rows[0].key_prefix)).toBe(true);
    expect(rows[0].key_hash).not.toContain(shopKey.slice(14));
  });

  it.each([
    [{ slug: 'Coffee' }, 'slug'],
    [{ slug: 'api' }, 'slug'],
    [{ assetScale: -1 }, 'assetScale'],
    [{ assetCode: '' }, 'assetCode'],
    [{ name: '' }, 'name'],
    [{ extra: 1 }, 'extra'],
  ])('answers 400 naming the field for %j', async (patch, field) => {
    const res = await api()
      .post('/api/admin/merchants')
      .set(asAdmin())
      .send({ name: 'X', slug: 'x', assetCode: 'USD', assetScale: 2, ...patch })
      .expect(400);
    expect(res.body.message).toContain(field);
  });

  it('refuses a taken slug with 409, and needs the admin token', async () => {
    await api()
      .post('/api/admin/merchants')
      .set(asAdmin())
      .send({ name: 'Y', slug: 'coffee', assetCode: 'USD', assetScale: 2 })
      .expect(409);
    await api()
      .post('/api/admin/merchants')
      .send({ name: 'Y', slug: 'other', assetCode: 'USD', assetScale: 2 })
      .expect(401);
    await api()
      .post('/api/admin/merchants')
      .set('Authorization', `Bearer ${shopKey}`)
      .send({ name: 'Y', slug: 'other2', assetCode: 'USD', assetScale: 2 })
      .expect(401);
  });

  it('lets a merchant see itself with its key, and nothing without a valid one', async () => {
    const me = await api().get('/api/me').set('Authorization', `Bearer ${shopKey}`).expect(200);
    expect(me.body.id).toBe(shopId);
    await api().get('/api/me').expect(401);
    await api().get('/api/me').set('Authorization', 'Bearer tg_key_not-a-real-key').expect(401);
    await api().get('/api/me').set('Authorization', `Bearer ${admin}`).expect(401);
  });

  it('creates more keys, lists them without secrets, and revokes one (but never the last)', async () => {
    const created = await api()
      .post('/api/keys')
      .set('Authorization', `Bearer ${shopKey}`)
      .send({ name: 'server' })
      .expect(201);
    const second = created.body.apiKey as string;
    await api().get('/api/me').set('Authorization', `Bearer ${second}`).expect(200);
    const list = await api().get('/api/keys').set('Authorization', `Bearer ${second}`).expect(200);
    expect(list.body).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(second);

    const firstId = list.body.find((k: { name: string }) => k.name === 'default').id;
    await api().delete(`/api/keys/${firstId}`).set('Authorization', `Bearer ${second}`).expect(204);
    await api().get('/api/me').set('Authorization', `Bearer ${shopKey}`).expect(401);

    const secondId = created.body.key.id;
    await api()
      .delete(`/api/keys/${secondId}`)
      .set('Authorization', `Bearer ${second}`)
      .expect(409);
    await api().get('/api/me').set('Authorization', `Bearer ${second}`).expect(200);
    shopKey = second;
  });

  it("never lets one merchant touch another merchant's keys", async () => {
    const other = await api()
      .post('/api/admin/merchants')
      .set(asAdmin())
      .send({ name: 'Bakery', slug: 'bakery', assetCode: 'EUR', assetScale: 2 })
      .expect(201);
    const keys = await api().get('/api/keys').set('Authorization', `Bearer ${shopKey}`).expect(200);
    const shopKeyId = keys.body.find((k: { revokedAt: string | null }) => k.revokedAt === null).id;
    await api()
      .delete(`/api/keys/${shopKeyId}`)
      .set('Authorization', `Bearer ${other.body.apiKey}`)
      .expect(404);
    const theirs = await api()
      .get('/api/keys')
      .set('Authorization', `Bearer ${other.body.apiKey}`)
      .expect(200);
    expect(theirs.body).toHaveLength(1);
    await api().get('/api/me').set('Authorization', `Bearer ${shopKey}`).expect(200);
  });
});
