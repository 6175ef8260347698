/** The embedded default: no DATABASE_URL, PGlite in a data directory kept between runs. */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from './test-app';

describe('server on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('boots, answers /health 200, and keeps its data between runs', async () => {
    const first = await startTestApp({ databaseUrl: undefined, dataDir });
    let token: string;
    try {
      expect(first.config.embeddedDatabase).toBe(true);
      const res = await request(first.url).get('/health').expect(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        database: { status: 'up', embedded: true, migrations: { pending: 0 } },
      });
      expect(first.adminToken.kind).toBe('generated');
      token = (first.adminToken as { token: string }).token;
    } finally {
      await first.stop();
    }
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);

    const second = await startTestApp({ databaseUrl: undefined, dataDir });
    try {
      expect(second.adminToken.kind).toBe('stored');
      await request(second.url).get('/health').expect(200);
      await request(second.url)
        .get('/api/admin/node')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
    } finally {
      await second.stop();
    }
  });
});
