/**
 * The merchant dashboard in a real browser: a wrong key is refused with a clear message; a
 * merchant signs in, creates an invoice from the page, pays it on its checkout page from a
 * demo wallet (as the checkout test does), and sees it turn paid, the money in the totals,
 * the revenue chart and the payments, live; filters and cursor paging of the invoice list;
 * creating an article and reading it; the node's peers and settlements; signing out.
 * Screenshots go to test-results/.
 */
import request from 'supertest';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, Stack, startStack } from './browser-fixture';

describe('merchant dashboard', () => {
  let stack: Stack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await startStack();
    // The only merchant: it owns the node, so it also sees peers and settlements.
    const merchant = await request(stack.server.url)
      .post('/api/admin/merchants')
      .set('Authorization', `Bearer ${stack.adminToken}`)
      .send({ name: 'Corner Coffee', slug: 'corner', assetCode: 'USD', assetScale: 2 })
      .expect(201);
    apiKey = merchant.body.apiKey as string;
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(`${stack.web.url}/dashboard`);
    await page.getByLabel('Merchant API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const watchErrors = (page: Page) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return errors;
  };

  it('refuses a wrong key with a clear message', async () => {
    const page = await stack.browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, 'tg_key_this-is-not-a-key');
    const alert = page.getByTestId('sign-in-error');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.textContent()).toContain('This API key was not accepted.');
    expect(await page.getByLabel('Merchant API key').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => sessionStorage.getItem('tollgate.merchantKey'))).toBeNull();
    expect(errors).toEqual([]);
    await screenshot(page, 'dashboard-wrong-key');
    await page.close();
  });

  it('shows an invoice created here and paid on its checkout page as paid, with its revenue', async () => {
    const page = await stack.browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, apiKey);
    expect(await page.getByTestId('merchant-name').textContent()).toBe('Corner Coffee');
    await page.getByTestId('total-received').filter({ hasText: '0.00 USD' }).waitFor();
    await page.getByText('No invoices yet.').waitFor();

    // A bad amount is refused on the page, naming the problem.
    await page.getByLabel('Amount (USD)').fill('2.505');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await page.getByText('At most 2 digits after the decimal point.').waitFor();

    await page.getByLabel('Amount (USD)').fill('2.50');
    await page.getByLabel('Description').fill('Flat white from the dashboard');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    const link = page.getByTestId('created-invoice-link');
    await link.waitFor();
    const href = await link.getAttribute('href');
    const invoiceId = href!.split('/').pop()!;
    expect(href).toBe(`/checkout/${invoiceId}`);
    const row = page.locator(`tr[data-invoice-id="${invoiceId}"]`);
    await row.getByText('Open').waitFor();
    expect(await row.textContent()).toContain('Flat white from the dashboard');

    // The customer pays on the checkout page, in another tab.
    const checkout = await stack.browser.newPage();
    await checkout.goto(`${stack.web.url}${href}`);
    expect(await checkout.getByTestId('invoice-amount').textContent()).toBe('2.50 USD');
    await checkout.getByRole('button', { name: 'Create a demo wallet' }).click();
    await checkout.getByRole('button', { name: 'Pay', exact: true }).click();
    await checkout.getByText('Paid in full').waitFor({ timeout: 30_000 });
    await checkout.close();

    // Live: the dashboard sees it without a reload.
    await page.bringToFront();
    await row.getByText('Paid').waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('2.50 USD2.50 USD');
    await page.getByTestId('total-received').filter({ hasText: '2.50 USD' }).waitFor();
    expect(await page.getByTestId('paid-invoices').textContent()).toBe('1');
    const bars = page.locator('[data-testid=revenue-chart] rect');
    await expect.poll(() => bars.count(), { timeout: 10_000 }).toBe(1);
    expect(await bars.first().getAttribute('data-amount')).toBe('250');
    expect(await page.locator('#revenue-chart-desc').textContent()).toContain('2.50 USD');
    // Per hour: the same money in one bar; the numbers are also a table.
    await page.getByRole('button', { name: 'Last 24 hours' }).click();
    await page.getByRole('img', { name: /Revenue per hour/ }).waitFor();
    await expect.poll(() => bars.count()).toBe(1);
    expect(await bars.first().getAttribute('data-amount')).toBe('250');
    await page.getByText('Show the numbers as a table').click();
    expect(await page.locator('.revenue-chart__table tbody').textContent()).toContain('2.50 USD');
    await page
      .getByTestId('payments-table')
      .getByRole('link', { name: `Invoice ${invoiceId.slice(0, 8)}` })
      .waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('payments-table').textContent()).toContain('2.50 USD');

    // The node's accounts: the demo wallet that paid is a child of this node.
    await page
      .getByTestId('peers-table')
      .getByText(/^demo-/)
      .waitFor();
    await page.getByText('No settlements yet.').waitFor();
    expect(errors).toEqual([]);
    await screenshot(page, 'dashboard-paid-invoice');
    await page.close();
  }, 60_000);

  it('filters and pages the invoices, creates an article, and signs out', async () => {
    // Twelve more open invoices: with the paid one, two pages of ten.
    for (let i = 1; i <= 12; i++) {
      await request(stack.server.url)
        .post('/api/invoices')
        .set('Authorization', `Bearer ${apiKey}`)
        .send({ amount: String(100 * i), description: `Order ${i}` })
        .expect(201);
    }
    const page = await stack.browser.newPage();
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 390, height: 844 }); // a phone
    await signIn(page, apiKey);
    const rows = page.getByTestId('invoices-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(10);
    // Nothing sticks out sideways on a phone: wide tables scroll inside their card.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    expect(await rows.first().textContent()).toContain('Order 12');
    await page.getByRole('button', { name: 'Older' }).first().click();
    await page.getByText('Page 2').first().waitFor();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.last().textContent()).toContain('Flat white from the dashboard');
    await page.getByRole('button', { name: 'Newer' }).first().click();
    await expect.poll(() => rows.count()).toBe(10);

    await page.getByLabel('Status').selectOption('paid');
    await page.getByRole('button', { name: 'Apply filters' }).first().click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Flat white from the dashboard');
    await page.getByLabel('Status').selectOption('expired');
    await page.getByRole('button', { name: 'Apply filters' }).first().click();
    await page.getByText('No invoices match these filters.').waitFor();

    // An article, published from the page and read at its link.
    await page.getByLabel('Title').fill('Beans, explained');
    expect(await page.getByLabel('Address').inputValue()).toBe('beans-explained');
    await page.getByLabel('Free teaser').fill('Where coffee comes from.');
    await page.getByLabel('Paid text').fill('First paid paragraph.\n\nSecond paid paragraph.');
    await page.getByLabel('Price in USD').fill('0.01');
    await page.getByRole('button', { name: 'Publish article' }).click();
    const articleLink = page.getByTestId('created-article-link');
    await articleLink.waitFor();
    expect(await page.getByTestId('created-article').textContent()).toContain(
      'Readers pay 0.01 USD per second',
    );
    expect(await articleLink.getAttribute('href')).toBe('/read/corner/beans-explained');
    await page.getByTestId('articles-list').getByText('Beans, explained').waitFor();
    // The same address again is refused by the server, and the page says why.
    await page.getByLabel('Title').fill('Beans, explained');
    await page.getByLabel('Paid text').fill('Again.');
    await page.getByLabel('Price in USD').fill('0.01');
    await page.getByRole('button', { name: 'Publish article' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /slug|exists|taken/i })
      .waitFor();
    await screenshot(page, 'dashboard-phone-article');

    await page.getByTestId('articles-list').getByRole('link', { name: 'Beans, explained' }).click();
    await page.getByRole('heading', { level: 1, name: 'Beans, explained' }).waitFor();
    expect(await page.getByTestId('teaser').textContent()).toBe('Where coffee comes from.');

    // Signed in for this tab: back on the dashboard without the key, then signed out.
    await page.goto(`${stack.web.url}/dashboard`);
    await page.getByTestId('merchant-name').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Merchant API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('tollgate.merchantKey'))).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
