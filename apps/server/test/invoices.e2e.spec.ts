/**
 * Invoices over REST: validation, idempotency, pagination, isolation between merchants, and
 * the status an invoice settles to when it is first looked at after its expiry.
 */
import { Client } from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTollgate } from '../src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

describe('invoices', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let shop: string;
  let other: string;
  const api = () => request(server.url);

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    const admin = { Authorization: `Bearer ${(server.adminToken as { token: string }).token}` };
    shop = (
      await api()
        .post('/api/admin/merchants')
        .set(admin)
        .send({ name: 'Shop', slug: 'shop', assetCode: 'USD', assetScale: 2 })
    ).body.apiKey;
    other = (
      await api()
        .post('/api/admin/merchants')
        .set(admin)
        .send({ name: 'Other', slug: 'other', assetCode: 'EUR', assetScale: 2 })
    ).body.apiKey;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('creates an invoice with its own payment pointer', async () => {
    const res = await api()
      .post('/api/invoices')
      .set('Authorization', `Bearer ${shop}`)
      .send({ amount: '1250', description: 'Two coffees', metadata: { order: 'A-17' } })
      .expect(201);
    const host = new URL(server.url).host;
    expect(res.body).toMatchObject({
      amount: '1250',
      received: '0',
      assetCode: 'USD',
      assetScale: 2,
      status: 'open',
      description: 'Two coffees',
      metadata: { order: 'A-17' },
      paymentPointer: `$${host}/shop/invoices/${res.body.id}`,
      spspUrl: `${server.url}/shop/invoices/${res.body.id}`,
    });
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 59 * 60 * 1000);
  });

  it('gives one invoice for the same Idempotency-Key and body, 409 for another body', async () => {
    const send = (amount: string) =>
      api()
        .post('/api/invoices')
        .set('Authorization', `Bearer ${shop}`)
        .set('Idempotency-Key', 'order-123')
        .send({ amount });
    const first = await send('500').expect(201);
    const again = await send('500').expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const conflict = await send('501').expect(409);
    expect(conflict.body).toMatchObject({ statusCode: 409, code: 'idempotency_conflict' });
    expect(conflict.body.message).toContain('Idempotency-Key');
    // Concurrent retries still make one invoice.
    const racing = await Promise.all(
      [1, 2, 3, 4].map(() =>
        api()
          .post('/api/invoices')
          .set('Authorization', `Bearer ${shop}`)
          .set('Idempotency-Key', 'race')
          .send({ amount: '7' }),
      ),
    );
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it.each([
    [{ amount: 1250 }, 'amount'],
    [{ amount: '0' }, 'amount'],
    [{ amount: '-5' }, 'amount'],
    [{ amount: '12.50' }, 'amount'],
    [{ amount: '18446744073709551616' }, 'amount'],
    [{ amount: '1', expiresAt: 'tomorrow' }, 'expiresAt'],
    [{ amount: '1', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
    [{ amount: '1', metadata: { n: 1 } }, 'metadata'],
    [{ amount: '1', colour: 'red' }, 'colour'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const res = await api()
      .post('/api/invoices')
      .set('Authorization', `Bearer ${shop}`)
      .send(body)
      .expect(400);
    expect(res.body.message).toContain(field);
  });

  it('lists newest first with a cursor', async () => {
    for (let i = 0; i < 3; i++) {
      await api()
        .post('/api/invoices')
        .set('Authorization', `Bearer ${other}`)
        .send({ amount: String(100 + i) })
        .expect(201);
    }
    const page1 = await api()
      .get('/api/invoices?limit=2')
      .set('Authorization', `Bearer ${other}`)
      .expect(200);
    expect(page1.body.data.map((i: { amount: string }) => i.amount)).toEqual(['102', '101']);
    const page2 = await api()
      .get(`/api/invoices?limit=2&cursor=${page1.body.nextCursor}`)
      .set('Authorization', `Bearer ${other}`)
      .expect(200);
    expect(page2.body.data.map((i: { amount: string }) => i.amount)).toEqual(['100']);
    expect(page2.body.nextCursor).toBeNull();
    await api()
      .get('/api/invoices?cursor=garbage')
      .set('Authorization', `Bearer ${other}`)
      .expect(400);
  });

  it('is paid, not expired, when the journal covers it and a wallet is the first to look after its expiry', async () => {
    const expiresAt = Date.now() + 700;
    const inv = (
      await api()
        .post('/api/invoices')
        .set('Authorization', `Bearer ${shop}`)
        .send({ amount: '300', expiresAt: new Date(expiresAt).toISOString() })
        .expect(201)
    ).body;
    // Money accepted in time and durable, whose follow-up (open → paid) has not run yet.
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`INSERT INTO journal_batches (id) VALUES ($1)`, [`test-${inv.id}`]);
      await client.query(
        `INSERT INTO balance_journal (batch_id, account_id, delta, kind, ref)
         VALUES ($1, 'shop', 300, 'packet', $2)`,
        [`test-${inv.id}`, `i.${inv.id}.c1`],
      );
    } finally {
      await client.end();
    }
    await new Promise((r) => setTimeout(r, expiresAt + 50 - Date.now()));
    // Before the expiry sweeper's grace is over, a wallet's SPSP query looks first.
    await api().get(`/shop/invoices/${inv.id}`).set('Accept', 'application/spsp4+json').expect(404);
    const after = await api()
      .get(`/api/invoices/${inv.id}`)
      .set('Authorization', `Bearer ${shop}`)
      .expect(200);
    expect(after.body).toMatchObject({ status: 'paid', received: '300' });
  });

  it('is paid when money accepted before its expiry becomes durable just after it, whoever reads it in between', async () => {
    const expiresAt = Date.now() + 700;
    const inv = (
      await api()
        .post('/api/invoices')
        .set('Authorization', `Bearer ${shop}`)
        .send({ amount: '250', expiresAt: new Date(expiresAt).toISOString() })
        .expect(201)
    ).body;
    await new Promise((r) => setTimeout(r, expiresAt + 50 - Date.now()));
    // The last packet was fulfilled in time; its credit is still on its way to the journal.
    await api().get(`/api/invoices/${inv.id}`).set('Authorization', `Bearer ${shop}`).expect(200);
    await api().get(`/api/checkout/${inv.id}`).expect(200);
    await api().get(`/shop/invoices/${inv.id}`).set('Accept', 'application/spsp4+json').expect(404);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`INSERT INTO journal_batches (id) VALUES ($1)`, [`late-${inv.id}`]);
      await client.query(
        `INSERT INTO balance_journal (batch_id, account_id, delta, kind, ref)
         VALUES ($1, 'shop', 250, 'packet', $2)`,
        [`late-${inv.id}`, `i.${inv.id}.c1`],
      );
    } finally {
      await client.end();
    }
    const after = await api()
      .get(`/api/invoices/${inv.id}`)
      .set('Authorization', `Bearer ${shop}`)
      .expect(200);
    expect(after.body).toMatchObject({ status: 'paid', received: '250' });
  });

  it('expires once the grace after its expiry is over, when nothing covered it', async () => {
    const expiresAt = Date.now() + 300;
    const inv = (
      await api()
        .post('/api/invoices')
        .set('Authorization', `Bearer ${shop}`)
        .send({ amount: '250', expiresAt: new Date(expiresAt).toISOString() })
        .expect(201)
    ).body;
    await new Promise((r) => setTimeout(r, expiresAt + 2_100 - Date.now()));
    const res = await api()
      .get(`/api/invoices/${inv.id}`)
      .set('Authorization', `Bearer ${shop}`)
      .expect(200);
    expect(res.body).toMatchObject({ status: 'expired', received: '0' });
  });

  it("never shows one merchant another's invoices", async () => {
    const mine = await api()
      .post('/api/invoices')
      .set('Authorization', `Bearer ${shop}`)
      .send({ amount: '1' })
      .expect(201);
    await api()
      .get(`/api/invoices/${mine.body.id}`)
      .set('Authorization', `Bearer ${other}`)
      .expect(404);
    await api()
      .get(`/api/invoices/${mine.body.id}`)
      .set('Authorization', `Bearer ${shop}`)
      .expect(200);
    const list = await api()
      .get('/api/invoices')
      .set('Authorization', `Bearer ${other}`)
      .expect(200);
    expect(list.body.data.some((i: { id: string }) => i.id === mine.body.id)).toBe(false);
    await api().get(`/api/invoices/${mine.body.id}`).expect(401);
  });
});
