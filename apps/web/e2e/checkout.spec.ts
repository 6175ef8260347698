/**
 * The checkout in a real browser: Debian's Chromium pays invoices from a demo wallet over
 * STREAM/BTP against a real server, pauses and resumes, survives a reload mid-payment, and
 * shows every end state (paid, expired, failed with the reason), a 404 for unknown invoices
 * and a clear message when the server is down. Each test leaves a screenshot in test-results/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoice, getInvoice, screenshot, Stack, startStack } from './browser-fixture';

describe('checkout page', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  async function openCheckout(id: string): Promise<Page> {
    const page = await stack.browser.newPage();
    await page.goto(`${stack.web.url}/checkout/${id}`);
    return page;
  }

  /** The demo wallet the browser keeps in localStorage, as the server sees it. */
  async function walletOnServer(page: Page) {
    const stored = await page.evaluate(() => localStorage.getItem('tollgate.demoWallet'));
    const { id, token } = JSON.parse(stored ?? '{}') as { id: string; token: string };
    const res = await fetch(`${stack.server.url}/api/demo/wallets/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { balance: string };
  }

  const progress = (page: Page) =>
    page.getByRole('progressbar', { name: 'Payment progress' }).getAttribute('aria-valuenow');

  it('pays an invoice from a new demo wallet and shows it paid, as the server says', async () => {
    const { id, apiKey } = await createInvoice(stack, '500');
    const page = await openCheckout(id);
    expect(await page.getByTestId('invoice-amount').textContent()).toBe('5.00 USD');
    expect(await page.getByTestId('merchant-name').textContent()).toBe('Corner Coffee');
    expect(await page.getByTestId('payment-pointer').textContent()).toMatch(
      new RegExp(`^\\$127\\.0\\.0\\.1:\\d+/shop-[a-z0-9]+/invoices/${id}$`),
    );
    expect(await page.getByRole('img', { name: /QR code of the payment pointer/ }).count()).toBe(1);
    const box = await page.getByRole('progressbar').boundingBox();

    await page.getByRole('button', { name: 'Create a demo wallet' }).click();
    await page.getByTestId('wallet-balance').filter({ hasText: '20.00 USD' }).waitFor();
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByText('Paid in full').waitFor({ timeout: 30_000 });

    expect(await progress(page)).toBe('100');
    expect(await page.getByTestId('received').textContent()).toBe('5.00 USD of 5.00 USD');
    expect(await page.getByTestId('delivered').textContent()).toBe('5.00 USD');
    expect(await page.getByTestId('rate').textContent()).toBe('1 USD = 1.00 USD');
    // No layout shift: the bar has the size it had before the payment.
    expect(await page.getByRole('progressbar').boundingBox()).toEqual(box);
    expect(await getInvoice(stack, id, apiKey)).toMatchObject({ status: 'paid', received: '500' });
    // Same asset, no spread: the wallet paid exactly what arrived.
    expect((await walletOnServer(page)).balance).toBe('1500');
    await page.getByTestId('wallet-balance').filter({ hasText: '15.00 USD' }).waitFor();
    await screenshot(page, 'checkout-paid');
    // Responsive: on a phone the page fits the screen's width.
    await page.setViewportSize({ width: 375, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await screenshot(page, 'checkout-paid-phone');
    await page.close();
  });

  it('pauses between chunks and resumes to paid', async () => {
    const { id, apiKey } = await createInvoice(stack, '400');
    const page = await openCheckout(id);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByText('Paused.').waitFor();
    const pausedAt = await page.getByTestId('received').textContent();
    const server = await getInvoice(stack, id, apiKey);
    expect(server.status).toBe('open');
    expect(BigInt(server.received)).toBeLessThan(400n);
    await page.waitForTimeout(700); // paused means nothing moves
    expect(await page.getByTestId('received').textContent()).toBe(pausedAt);
    expect((await getInvoice(stack, id, apiKey)).received).toBe(server.received);
    await screenshot(page, 'checkout-paused');

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('Paid in full').waitFor({ timeout: 30_000 });
    expect(await getInvoice(stack, id, apiKey)).toMatchObject({ status: 'paid', received: '400' });
    await page.close();
  });

  it('shows the true progress from the server after a reload mid-payment, and pays the rest', async () => {
    const { id, apiKey } = await createInvoice(stack, '400');
    const page = await openCheckout(id);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    // Pause once something arrived, so the reload lands mid-payment.
    await page.waitForFunction(
      () => !/^0\.00 USD/.test(document.querySelector('[data-testid=received]')?.textContent ?? ''),
    );
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    const server = await getInvoice(stack, id, apiKey);
    expect(BigInt(server.received)).toBeGreaterThan(0n);
    expect(BigInt(server.received)).toBeLessThan(400n);

    await page.reload();
    const expected = `${(Number(server.received) / 100).toFixed(2)} USD of 4.00 USD`;
    expect(await page.getByTestId('received').textContent()).toBe(expected);
    expect(await progress(page)).toBe(String(Math.floor(Number(server.received) / 4)));
    await screenshot(page, 'checkout-reloaded');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByText('Paid in full').waitFor({ timeout: 30_000 });
    expect(await getInvoice(stack, id, apiKey)).toMatchObject({ status: 'paid', received: '400' });
    await page.close();
  });

  it('shows why a payment failed when the wallet runs out of money', async () => {
    // The wallet holds 7.00 USD now: a 10.00 USD invoice gets 7.00 and then T04.
    const { id, apiKey } = await createInvoice(stack, '1000');
    const page = await openCheckout(id);
    await page.getByTestId('wallet-balance').filter({ hasText: '7.00 USD' }).waitFor();
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByText('The payment failed').waitFor({ timeout: 45_000 });
    expect(await page.getByTestId('failure-reason').textContent()).toBe(
      'Your wallet does not have enough money left (ILP T04).',
    );
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    expect(await getInvoice(stack, id, apiKey)).toMatchObject({ status: 'open', received: '700' });
    expect((await walletOnServer(page)).balance).toBe('0');
    // The page shows the wallet's new balance, not the one it had before paying.
    await page.getByTestId('wallet-balance').filter({ hasText: '0.00 USD' }).waitFor();
    await screenshot(page, 'checkout-failed');
    await page.close();
  }, 60_000);

  it('shows an invoice that expires while the page is open as expired', async () => {
    const expiresAt = new Date(Date.now() + 2_500).toISOString();
    const { id } = await createInvoice(stack, '300', { expiresAt });
    const page = await openCheckout(id);
    expect(await page.getByTestId('invoice-status').textContent()).toBe('Open');
    await page.getByText('This invoice has expired').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('invoice-status').textContent()).toBe('Expired');
    expect(await page.getByRole('button', { name: 'Pay', exact: true }).count()).toBe(0);
    expect(await page.getByText(/from demo wallet/).count()).toBe(0);
    await screenshot(page, 'checkout-expired');
    await page.close();
  });

  it('answers an unknown invoice with the 404 page', async () => {
    const page = await stack.browser.newPage();
    for (const id of ['4a0c5b8e-2f5e-4a57-9d8e-0d4a1f6b9c21', 'not-an-invoice']) {
      const response = await page.goto(`${stack.web.url}/checkout/${id}`);
      expect(response?.status()).toBe(404);
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
    }
    await screenshot(page, 'checkout-unknown-invoice');
    await page.close();
  });

  // Last: it stops the API server.
  it('says clearly that the server is down, on the checkout and the wallet page', async () => {
    const { id } = await createInvoice(stack, '100');
    await stack.stopServer();
    const page = await stack.browser.newPage();
    const response = await page.goto(`${stack.web.url}/checkout/${id}`);
    expect(response?.status()).toBe(200);
    await page.getByText('The payment server is not reachable').waitFor();
    await screenshot(page, 'checkout-server-down');
    await page.goto(`${stack.web.url}/wallet`);
    await page.getByText(/cannot be reached/).waitFor();
    await screenshot(page, 'wallet-server-down');
    // A browser with no wallet yet is not offered one the server cannot make.
    await page.evaluate(() => localStorage.removeItem('tollgate.demoWallet'));
    await page.goto(`${stack.web.url}/wallet`);
    await page
      .getByTestId('wallet-unavailable')
      .filter({ hasText: /cannot be reached/ })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Create a demo wallet' }).count()).toBe(0);
    await screenshot(page, 'wallet-server-down-no-wallet');
    await page.close();
  });
});
