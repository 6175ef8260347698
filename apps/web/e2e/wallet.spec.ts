/**
 * The demo wallet page in a real browser: create a wallet, top it up to its cap, read the
 * history, forget it and bring it back with its key. Screenshots go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, Stack, startStack } from './browser-fixture';

describe('demo wallet page', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('creates a wallet, tops it up to the cap, and shows the history', async () => {
    const page = await stack.browser.newPage();
    await page.goto(`${stack.web.url}/wallet`);
    await page.getByRole('button', { name: 'Create a demo wallet' }).click();
    const balance = page.getByTestId('wallet-balance');
    await balance.filter({ hasText: '20.00 USD' }).waitFor();
    const topUp = page.getByRole('button', { name: 'Top up 20.00 USD' });
    for (const expected of ['40.00', '60.00', '80.00', '100.00']) {
      await topUp.click();
      await balance.filter({ hasText: `${expected} USD` }).waitFor();
    }
    expect(await topUp.isDisabled()).toBe(true);
    await page.getByText('The wallet holds the most a demo wallet may (100.00 USD).').waitFor();
    const history = page.getByTestId('wallet-history').getByRole('listitem');
    expect(await history.count()).toBe(5);
    expect(await history.first().textContent()).toContain('Top-up from demo funds');
    expect(await history.first().textContent()).toContain('+20.00 USD');
    await screenshot(page, 'wallet-full');

    // The key shown for backup brings the same wallet back after forgetting it.
    const id = (await page.locator('dd code').first().textContent()) ?? '';
    await page.getByText('Wallet key (to use this wallet in another browser)').click();
    const key = (await page.locator('details code').textContent()) ?? '';
    expect(key).toMatch(/^wallet_/);
    await page.getByRole('button', { name: 'Forget this wallet' }).click();
    await page.getByLabel('Wallet id').fill(id);
    await page.getByLabel('Wallet key').fill('wallet_wrong');
    await page.getByRole('button', { name: 'Use this wallet' }).click();
    await page.getByText('No wallet with this id and key on this node.').waitFor();
    await page.getByLabel('Wallet id').fill(id);
    await page.getByLabel('Wallet key').fill(key);
    await page.getByRole('button', { name: 'Use this wallet' }).click();
    await balance.filter({ hasText: '100.00 USD' }).waitFor();
    await page.reload();
    await balance.filter({ hasText: '100.00 USD' }).waitFor();
    await screenshot(page, 'wallet-restored');
    await page.close();
  });

  it('fits a phone screen', async () => {
    const page = await stack.browser.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${stack.web.url}/wallet`);
    await page.getByTestId('wallet-balance').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await screenshot(page, 'wallet-phone');
    await page.close();
  });
});
