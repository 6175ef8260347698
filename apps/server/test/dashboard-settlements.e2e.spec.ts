/**
 * `GET /api/dashboard/settlements` through the real server: the node owner's merchant (the
 * only merchant here) sees the node's settlements as the admin API lists them, with the same
 * filters; another merchant, or any merchant once there are several and no DEFAULT_MERCHANT,
 * gets a 403; no key, a 401; a bad filter, a 400 naming the field.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTollgate } from '../src/bootstrap';
import { SettlementApiServer } from '../src/settlement/settlement-api.server';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestApp } from './test-app';

describe('dashboard settlements', () => {
  let db: TestDatabase;
  let server: RunningTollgate;
  let engine: Server;
  let admin: string;
  const api = () => request(server.url);

  beforeAll(async () => {
    // An engine that accepts every account call: this test only needs settlements to list.
    engine = createServer((_req, res) => res.writeHead(201).end('{}'));
    await new Promise<void>((r) => engine.listen(0, '127.0.0.1', r));
    db = await createTestDatabase();
    server = await startTestApp({ databaseUrl: db.url });
    admin = (server.adminToken as { token: string }).token;
  });

  afterAll(async () => {
    await server?.stop();
    await new Promise((r) => engine?.close(r));
    await db?.drop();
  });

  async function merchant(slug: string): Promise<string> {
    const res = await api()
      .post('/api/admin/merchants')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: slug, slug, assetCode: 'USD', assetScale: 2 })
      .expect(201);
    return res.body.apiKey as string;
  }

  it('shows the node owner its settlements, and no one else', async () => {
    const owner = await merchant('owner');
    await api()
      .post('/api/admin/accounts')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        id: 'hub',
        assetCode: 'USD',
        assetScale: 2,
        relation: 'peer',
        link: 'btp',
        incomingToken: 'hub-incoming-token-0123456789',
        settlementEngineUrl: `http://127.0.0.1:${(engine.address() as AddressInfo).port}`,
      })
      .expect(201);
    // The hub's engine says it paid us 12.34 USD.
    await request(server.app.get(SettlementApiServer).url)
      .post('/accounts/hub/settlements')
      .set('Idempotency-Key', 'dashboard-settlement-0123456789')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ amount: '1234', scale: 2 }))
      .expect(201);

    const seen = await api()
      .get('/api/dashboard/settlements')
      .set('Authorization', `Bearer ${owner}`)
      .expect(200);
    const listed = await api()
      .get('/api/admin/settlements')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(seen.body).toEqual(listed.body);
    expect(seen.body.data).toHaveLength(1);
    expect(seen.body.data[0]).toMatchObject({
      accountId: 'hub',
      direction: 'incoming',
      state: 'confirmed',
      amount: '1234',
      assetCode: 'USD',
      assetScale: 2,
    });
    const outgoing = await api()
      .get('/api/dashboard/settlements?direction=outgoing')
      .set('Authorization', `Bearer ${owner}`)
      .expect(200);
    expect(outgoing.body.data).toEqual([]);

    const bad = await api()
      .get('/api/dashboard/settlements?state=lost')
      .set('Authorization', `Bearer ${owner}`)
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('state');
    await api().get('/api/dashboard/settlements').expect(401);

    // Two merchants and no DEFAULT_MERCHANT: the node's accounts are no merchant's business.
    const other = await merchant('other');
    for (const key of [owner, other]) {
      const refused = await api()
        .get('/api/dashboard/settlements')
        .set('Authorization', `Bearer ${key}`)
        .expect(403);
      expect(refused.body.code).toBe('not_node_owner');
    }
  });
});
