/**
 * Every route the server documents, checked for its guard: each merchant route refuses a
 * missing, a wrong and a revoked API key, and each admin route a missing or wrong admin
 * token. The list comes from the OpenAPI document (generated from the controllers), so a
 * route added later is checked without anyone remembering to.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTollgate } from '../src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

/** Routes meant for anyone: checkout pages, the reading page, demo wallets (own tokens). */
const PUBLIC = [/^\/api\/public\//, /^\/api\/checkout\//, /^\/api\/demo(\/|$)/, /^\/api\/docs/];

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
}

describe('route guards', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let merchantOps: Operation[];
  let adminOps: Operation[];
  let revokedKey: string;
  const api = () => request(server.url);

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    const admin = { Authorization: `Bearer ${(server.adminToken as { token: string }).token}` };
    const doc = (await api().get('/api/docs/json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const ops: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => ({
          method: method as Operation['method'],
          // Any well-formed id: the guard must answer before the route looks anything up.
          path: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
        })),
    );
    const api_ = ops.filter((o) => o.path.startsWith('/api/'));
    adminOps = api_.filter((o) => o.path.startsWith('/api/admin/'));
    merchantOps = api_.filter(
      (o) => !o.path.startsWith('/api/admin/') && !PUBLIC.some((p) => p.test(o.path)),
    );

    // A merchant with two keys; the second is revoked.
    const created = await api()
      .post('/api/admin/merchants')
      .set(admin)
      .send({ name: 'Shop', slug: 'shop', assetCode: 'USD', assetScale: 2 })
      .expect(201);
    const key = created.body.apiKey as string;
    const second = await api()
      .post('/api/keys')
      .set('Authorization', `Bearer ${key}`)
      .send({ name: 'to revoke' })
      .expect(201);
    revokedKey = second.body.apiKey;
    expect(typeof revokedKey).toBe('string');
    await api().get('/api/me').set('Authorization', `Bearer ${revokedKey}`).expect(200);
    await api()
      .delete(`/api/keys/${second.body.key.id}`)
      .set('Authorization', `Bearer ${key}`)
      .expect(204);
    await api().get('/api/me').set('Authorization', `Bearer ${revokedKey}`).expect(401);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('finds the routes to check in the OpenAPI document', () => {
    // Guard against an empty list passing every check below.
    expect(merchantOps.length).toBeGreaterThan(15);
    expect(adminOps.length).toBeGreaterThan(10);
    expect(merchantOps.map((o) => o.path)).toEqual(
      expect.arrayContaining([
        '/api/invoices',
        '/api/webhooks',
        '/api/dashboard/summary',
        '/api/content',
      ]),
    );
  });

  it('every merchant route refuses a missing, a wrong and a revoked API key', async () => {
    const failures: string[] = [];
    for (const op of merchantOps) {
      for (const [label, header] of [
        ['missing', undefined],
        ['wrong', 'Bearer tg_this-is-not-a-key-0123456789abcdef'],
        ['revoked', `Bearer ${revokedKey}`],
      ] as const) {
        let call = api()[op.method](op.path);
        if (header) call = call.set('Authorization', header);
        const res = await call.send({});
        if (res.status !== 401)
          failures.push(`${op.method.toUpperCase()} ${op.path} (${label} key): ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('every admin route refuses a missing or wrong admin token, and a merchant key', async () => {
    const failures: string[] = [];
    for (const op of adminOps) {
      for (const [label, header] of [
        ['missing', undefined],
        ['wrong', 'Bearer not-the-admin-token-0123456789abcdef'],
        ['merchant key', `Bearer ${revokedKey}`],
      ] as const) {
        let call = api()[op.method](op.path);
        if (header) call = call.set('Authorization', header);
        const res = await call.send({});
        if (res.status !== 401)
          failures.push(`${op.method.toUpperCase()} ${op.path} (${label}): ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
