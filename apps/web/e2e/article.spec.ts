/**
 * The per-second paywall in a real browser: Debian's Chromium opens an article of the node's
 * default merchant, pays it with the Web Monetization polyfill from a demo wallet (SPSP, then
 * STREAM over BTP), sees the paid paragraphs only once the server has the money, spends the
 * price of the seconds it reads (within one step), stops paying while the tab is hidden or
 * closed, and resumes when it is visible again. Screenshots go to test-results/.
 */
import request from 'supertest';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, Stack, startStack } from './browser-fixture';

/** 0.03 USD per second: one step (a second) is 3 base units. */
const PRICE = 3n;
const SLUG = 'streaming-money';
const PAID = ['Paid one: packets carry the money.', 'Paid two: receipts prove it arrived.'];

interface SeenEvent {
  t: number;
  amount: string;
  assetCode: string;
  assetScale: number;
  receipt: string | null;
  paymentPointer: string;
  isMonetizationEvent: boolean;
}

describe('paywalled article', () => {
  let stack: Stack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await startStack();
    // The only merchant is the node's default one: /read/:slug is its article.
    const merchant = await request(stack.server.url)
      .post('/api/admin/merchants')
      .set('Authorization', `Bearer ${stack.adminToken}`)
      .send({ name: 'The Daily Packet', slug: 'daily', assetCode: 'USD', assetScale: 2 })
      .expect(201);
    apiKey = merchant.body.apiKey as string;
    await request(stack.server.url)
      .post('/api/content')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({
        slug: SLUG,
        title: 'Streaming money, one second at a time',
        teaser: ['Everyone can read this part.', 'The rest is paid by the second.'],
        paragraphs: PAID,
        pricing: { per: 'second', amount: String(PRICE) },
      })
      .expect(201);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  /** What the server says the page's session has received (its token is in localStorage). */
  async function serverPaid(page: Page): Promise<bigint> {
    const raw = await page.evaluate(
      (key) => localStorage.getItem(key),
      `tollgate.readSession./${SLUG}`,
    );
    const { sessionId, token } = JSON.parse(raw ?? '{}') as { sessionId: string; token: string };
    // A hidden beat: asking must not count reading time.
    const res = await request(stack.server.url)
      .post(`/api/public/sessions/${sessionId}/heartbeat`)
      .set('Authorization', `Bearer ${token}`)
      .send({ visible: false })
      .expect(200);
    return BigInt(res.body.paidAmount as string);
  }

  const events = (page: Page) =>
    page.evaluate(() => (window as unknown as { seen: SeenEvent[] }).seen);
  const spentOf = (seen: SeenEvent[]) => seen.reduce((sum, e) => sum + BigInt(e.amount), 0n);

  async function setHidden(page: Page, hidden: boolean): Promise<void> {
    await page.evaluate((hide) => {
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => (hide ? 'hidden' : 'visible'),
      });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hide });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  }

  it('streams the price per second while visible, unlocks on the server, stops when hidden or closed', async () => {
    const page = await stack.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${stack.web.url}/read/${SLUG}`);
    await page.evaluate(() => {
      const seen: SeenEvent[] = [];
      (window as unknown as { seen: SeenEvent[] }).seen = seen;
      // `load` at the link once the payment is set up (it does not bubble: capture it).
      document.addEventListener(
        'load',
        (event) => {
          const target = event.target as Element;
          if (target instanceof HTMLLinkElement && target.rel === 'monetization') {
            document.documentElement.dataset.monetizationLoaded = 'yes';
          }
        },
        true,
      );
      document.addEventListener('monetization', (event) => {
        const e = event as Event & Omit<SeenEvent, 't' | 'isMonetizationEvent'>;
        seen.push({
          t: performance.now(),
          amount: e.amount,
          assetCode: e.assetCode,
          assetScale: e.assetScale,
          receipt: e.receipt,
          paymentPointer: e.paymentPointer,
          isMonetizationEvent:
            event instanceof
            (window as unknown as { MonetizationEvent: typeof Event }).MonetizationEvent,
        });
      });
    });

    // Server-rendered public part; the paid text is nowhere in the page yet.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Streaming money, one second at a time',
    );
    expect(await page.getByTestId('price').textContent()).toBe('0.03 USD per second');
    expect(await page.getByTestId('teaser').textContent()).toContain(
      'Everyone can read this part.',
    );
    await page.getByTestId('locked-notice').waitFor();
    expect(await page.content()).not.toContain(PAID[0]);
    const link = page.locator('head link[rel="monetization"]');
    await link.waitFor({ state: 'attached' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/daily/sessions/[0-9a-f-]{36}$`));

    await screenshot(page, 'article-locked');

    // A demo wallet is the agent's wallet: from here on the page pays by itself.
    await page.getByRole('button', { name: 'Create a demo wallet' }).click();
    await page.getByTestId('paid-paragraphs').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('paid-paragraphs').textContent()).toBe(PAID.join(''));
    expect(await page.getByTestId('meter-status').textContent()).toBe(
      'Paying 0.03 USD per second while you read.',
    );
    expect(await page.locator('html').getAttribute('data-monetization-loaded')).toBe('yes');

    // Read for a while, then compare the spend with the seconds read.
    await page.waitForTimeout(5_000);
    const seen = await events(page);
    const now = await page.evaluate(() => performance.now());
    const elapsedMs = now - seen[0].t;
    const spent = spentOf(seen);
    const expected = (PRICE * BigInt(Math.round(elapsedMs))) / 1000n;
    const diff = spent > expected ? spent - expected : expected - spent;
    expect(diff, `spent ${spent} after ${elapsedMs} ms`).toBeLessThanOrEqual(PRICE);
    expect(elapsedMs).toBeGreaterThan(5_000);
    for (const e of seen) {
      expect(e).toMatchObject({ assetCode: 'USD', assetScale: 2, isMonetizationEvent: true });
      expect(e.receipt).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(e.receipt!, 'base64')).toHaveLength(58);
      expect(e.paymentPointer).toBe(`$${new URL(href!).host}${new URL(href!).pathname}`);
    }
    // The page shows the same spend, and the server received it (once it is durable).
    await page.getByTestId('spent').filter({ hasText: /\d/ }).waitFor();
    await expect.poll(() => serverPaid(page), { timeout: 5_000 }).toBeGreaterThanOrEqual(spent);
    await screenshot(page, 'article-unlocked');

    // Hidden: nothing more is sent, on the page or on the server.
    await setHidden(page, true);
    await page.getByText('Paused while this tab is hidden.').waitFor();
    await page.waitForTimeout(1_000); // a payment already in flight may still land
    const hiddenSpent = spentOf(await events(page));
    const hiddenPaid = await serverPaid(page);
    await page.waitForTimeout(3_000);
    expect(spentOf(await events(page))).toBe(hiddenSpent);
    expect(await serverPaid(page)).toBe(hiddenPaid);
    expect(hiddenPaid).toBe(hiddenSpent);
    await screenshot(page, 'article-hidden');

    // Visible again: it carries on.
    await setHidden(page, false);
    await page.getByText('Paying 0.03 USD per second while you read.').waitFor();
    await expect
      .poll(async () => spentOf(await events(page)), { timeout: 5_000 })
      .toBeGreaterThanOrEqual(hiddenSpent + 2n * PRICE);

    expect(errors).toEqual([]);

    // Closed: the connection ends with the page and the money stops.
    await page.close();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const reopened = await stack.browser.newPage();
    await reopened.goto(`${stack.web.url}/wallet`); // same origin: the session's token is here
    const closedPaid = await serverPaid(reopened);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await serverPaid(reopened)).toBe(closedPaid);

    // Coming back resumes the same session (its token is kept): what was paid is still there.
    await reopened.goto(`${stack.web.url}/read/${SLUG}`);
    const pointer = `$${new URL(href!).host}${new URL(href!).pathname}`;
    expect(await reopened.getByTestId('session-pointer').textContent()).toBe(pointer);
    await reopened.getByTestId('paid-paragraphs').waitFor();
    await reopened.close();
  }, 60_000);

  it('pays a per-view article once and unlocks it for good', async () => {
    await request(stack.server.url)
      .post('/api/content')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({
        slug: 'one-view',
        title: 'Paid once',
        teaser: ['Free.'],
        paragraphs: ['All yours after one payment.'],
        pricing: { per: 'view', amount: '25' },
      })
      .expect(201);

    const page = await stack.browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 }); // a phone
    await page.goto(`${stack.web.url}/read/one-view`);
    expect(await page.getByTestId('price').textContent()).toBe('0.25 USD once');
    // The browser's demo wallet (from the first test, or a new one) pays by itself.
    const create = page.getByRole('button', { name: 'Create a demo wallet' });
    const paid = page.getByTestId('paid-paragraphs');
    await create.or(paid).first().waitFor({ timeout: 20_000 });
    if (await create.isVisible()) await create.click();
    await paid.waitFor({ timeout: 20_000 });
    await page.getByText('Paid: this article is yours to read.').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1_500);
    expect(await page.getByTestId('spent').textContent()).toBe('0.25 USD');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    await screenshot(page, 'article-per-view');
    await page.close();
  });

  it('answers an unknown article with the 404 page', async () => {
    const page = await stack.browser.newPage();
    const response = await page.goto(`${stack.web.url}/read/no-such-article`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await screenshot(page, 'article-unknown');
    await page.close();
  });
});
