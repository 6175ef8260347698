/**
 * The server end to end on a real database (DATABASE_URL's server in CI; an embedded one
 * otherwise): health, metrics, the admin token, migrations under concurrent start.
 */
import request from 'supertest';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTollgate } from '../src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

describe('server on a real database', () => {
  let db: TestDatabase;
  let server: RunningTollgate & { logs: { lines: string[] } };
  let adminToken: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    expect(server.adminToken.kind).toBe('generated');
    adminToken = (server.adminToken as { token: string }).token;
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('GET /health answers 200 with the database up and every migration applied', async () => {
    const res = await request(server.url).get('/health').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      status: 'ok',
      database: { status: 'up', embedded: db.embedded, migrations: { pending: 0 } },
    });
    expect(res.body.database.migrations.applied).toBeGreaterThan(0);
  });

  it('GET /metrics serves Prometheus text with process and HTTP metrics', async () => {
    await request(server.url).get('/health').expect(200);
    const res = await request(server.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE tollgate_process_resident_memory_bytes gauge');
    expect(res.text).toMatch(
      /tollgate_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/,
    );
  });

  it('admin routes refuse a missing, malformed or wrong token', async () => {
    await request(server.url).get('/api/admin/node').expect(401);
    await request(server.url).get('/api/admin/node').set('Authorization', adminToken).expect(401);
    await request(server.url)
      .get('/api/admin/node')
      .set('Authorization', 'Bearer tg_admin_wrong')
      .expect(401);
    const res = await request(server.url)
      .get('/api/admin/node')
      .set('Authorization', 'Basic abc')
      .expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'unauthorized',
      message: expect.stringContaining('admin token'),
    });
  });

  it('admin routes accept the generated token', async () => {
    const res = await request(server.url)
      .get('/api/admin/node')
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(res.body).toMatchObject({
      ilpAddress: 'test.tollgate',
      assetCode: 'USD',
      assetScale: 2,
      queue: process.env.REDIS_URL ? 'redis' : 'in-process',
    });
  });

  it('stores only a hash of the admin token, and never logs it', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT value FROM node_settings WHERE key = 'admin_token_hash'`,
    );
    await client.end();
    expect(rows).toHaveLength(1);
    expect(rows[0].value).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].value).not.toContain(adminToken);
    await request(server.url)
      .get('/api/admin/node')
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(server.logs.lines.join('')).not.toContain(adminToken);
  });

  it('serves the OpenAPI document generated from the code at /api/docs', async () => {
    const doc = await request(server.url).get('/api/docs/json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/invoices',
      '/api/invoices/{id}',
      '/api/admin/accounts',
      '/api/admin/merchants',
      '/health',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    const ui = await request(server.url).get('/api/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('answers unknown routes with the common JSON error body', async () => {
    const res = await request(server.url).get('/no/such/route').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'not found' });
  });

  it('keeps the admin token across a restart, and ADMIN_TOKEN replaces it', async () => {
    const again = await startTestApp({ databaseUrl: db.url });
    try {
      expect(again.adminToken.kind).toBe('stored');
      await request(again.url)
        .get('/api/admin/node')
        .set('Authorization', `Bearer ${adminToken}`)
        .expect(200);
    } finally {
      await again.stop();
    }
    const chosen = 'operator-chosen-token-0123456789';
    const withEnv = await startTestApp({ databaseUrl: db.url, adminToken: chosen });
    try {
      expect(withEnv.adminToken.kind).toBe('environment');
      await request(withEnv.url)
        .get('/api/admin/node')
        .set('Authorization', `Bearer ${chosen}`)
        .expect(200);
      await request(withEnv.url)
        .get('/api/admin/node')
        .set('Authorization', `Bearer ${adminToken}`)
        .expect(401);
    } finally {
      await withEnv.stop();
    }
  });
});

describe('server start-up', () => {
  it('applies migrations once when two instances start together on a fresh database', async () => {
    const db = await createTestDatabase();
    try {
      const [a, b] = await Promise.all([
        startTestApp({ databaseUrl: db.url }),
        startTestApp({ databaseUrl: db.url }),
      ]);
      try {
        // One instance generated the token; the other adopted it rather than minting a rival.
        expect([a.adminToken.kind, b.adminToken.kind].sort()).toEqual(['generated', 'stored']);
        const token = [a, b].map((s) => s.adminToken).find((t) => t.kind === 'generated') as {
          token: string;
        };
        for (const s of [a, b]) {
          await request(s.url).get('/health').expect(200);
          await request(s.url)
            .get('/api/admin/node')
            .set('Authorization', `Bearer ${token.token}`)
            .expect(200);
        }
        const client = new Client({ connectionString: db.url });
        await client.connect();
        const { rows } = await client.query(
          'SELECT name, count(*)::int AS n FROM migrations GROUP BY name',
        );
        await client.end();
        expect(rows.every((r) => r.n === 1)).toBe(true);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    } finally {
      await db.drop();
    }
  });

  it('reports 503 when a migration is missing from the database', async () => {
    const db = await createTestDatabase();
    const server = await startTestApp({ databaseUrl: db.url });
    try {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      await client.query('DELETE FROM migrations');
      await client.end();
      const res = await request(server.url).get('/health').expect(503);
      expect(res.body).toMatchObject({
        status: 'unavailable',
        database: { status: 'up', migrations: { applied: 0 } },
      });
    } finally {
      await server.stop();
      await db.drop();
    }
  });
});
