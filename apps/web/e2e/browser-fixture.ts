/**
 * What every browser test needs: the real server on its own Postgres database, the web
 * app's production build served beside it, and Debian's Chromium driven by playwright-core
 * with a fresh profile. Screenshots go to test-results/ at the repository root.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { RunningTollgate } from '../../server/src/bootstrap';
import { RunningWebFrontend, startWebFrontend } from '../../server/src/web/web-frontend';
import { createTestDatabase, TestDatabase } from '../../server/test/test-database';
import { startTestApp } from '../../server/test/test-app';
import { freePort } from '../../../test-support/free-port';
import { buildWeb, ROOT, WEB_DIR } from './build-web';
import { createServer, type Server } from 'node:net';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const RESULTS = join(ROOT, 'test-results');

export interface Stack {
  db: TestDatabase;
  server: RunningTollgate;
  web: RunningWebFrontend;
  browser: BrowserContext;
  adminToken: string;
  /** Stops the API server only (the web and the browser stay), for "server down" tests. */
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`,
    );
  }
  await buildWeb();
  const db = await createTestDatabase();
  const server = await startTestApp({ databaseUrl: db.url });
  let web: RunningWebFrontend | undefined;
  let browser: BrowserContext | undefined;
  const profile = mkdtempSync(join(tmpdir(), 'tollgate-chromium-'));
  try {
    web = startWebFrontend({
      dir: WEB_DIR,
      port: await freePort(),
      host: '127.0.0.1',
      apiUrl: server.url,
    });
    await web.ready;
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1100, height: 800 },
    });
  } catch (error) {
    await web?.stop();
    await server.stop();
    await db.drop();
    throw error;
  }
  const running = { web, browser };
  let serverStopped = false;
  let tombstone: Server | undefined;
  return {
    db,
    server,
    web: running.web,
    browser: running.browser,
    adminToken: (server.adminToken as { token: string }).token,
    async stopServer() {
      serverStopped = true;
      const port = Number(new URL(server.url).port);
      await server.stop();
      // Hold the port, refusing every connection: a server another test file starts at the
      // same time must not get it and answer for the one that is down.
      tombstone = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        tombstone!.once('error', reject);
        tombstone!.listen(port, '127.0.0.1', () => resolve());
      });
    },
    async close() {
      await running.browser.close().catch(() => undefined);
      await running.web.stop();
      await new Promise((resolve) => (tombstone ? tombstone.close(resolve) : resolve(undefined)));
      if (!serverStopped) await server.stop();
      await db.drop();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A merchant and an invoice of `amount` base units (USD, scale 2) through the REST API. */
export async function createInvoice(
  stack: Stack,
  amount: string,
  options: { slug?: string; expiresAt?: string; description?: string } = {},
): Promise<{ id: string; apiKey: string }> {
  const slug = options.slug ?? `shop-${Math.random().toString(36).slice(2, 8)}`;
  const merchant = await request(stack.server.url)
    .post('/api/admin/merchants')
    .set('Authorization', `Bearer ${stack.adminToken}`)
    .send({ name: 'Corner Coffee', slug, assetCode: 'USD', assetScale: 2 })
    .expect(201);
  const apiKey = merchant.body.apiKey as string;
  const invoice = await request(stack.server.url)
    .post('/api/invoices')
    .set('Authorization', `Bearer ${apiKey}`)
    .send({
      amount,
      description: options.description ?? 'Two flat whites',
      ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
    })
    .expect(201);
  return { id: invoice.body.id as string, apiKey };
}

export async function getInvoice(stack: Stack, id: string, apiKey: string) {
  return (
    await request(stack.server.url)
      .get(`/api/invoices/${id}`)
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(200)
  ).body as { status: string; received: string; amount: string };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
}
