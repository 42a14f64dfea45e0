// The keeping time (PIPL art. 47), offline on a standalone device: a customer whose last contact
// is more than the store's keeping time ago is listed for review (Today says how many), the time
// is set in Set-up, and erasing her from her file takes her off the list. Both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, addCustomer, waitForServiceWorker,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const MONTH = 30.5 * 86_400_000;

/** Sets the keeping time in Set-up (English) and saves. */
async function keepFor(page, url, months) {
  await page.goto(url + '/setup');
  await page.getByRole('tab', { name: 'Hours and limits' }).click();
  await page.getByLabel('Customer files kept after the last contact (months)').fill(String(months));
  await page.getByRole('button', { name: 'Save hours and limits' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
}

test('a customer past the keeping time is listed for review and erased from the list, offline', { timeout: 180_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/');
    await waitForServiceWorker(page);
    await server.stop();
    await context.setOffline(true);

    await addCustomer(page, 'Old Customer Qian');
    await addCustomer(page, 'Recent Customer Sun');
    // Nobody is past the keeping time yet: no card on Today, an empty list.
    await page.goto(server.url + '/customers/retention');
    await page.getByTestId('retention-none').waitFor();

    // Thirty months later (by this device's clock) one of them comes back: her file is edited.
    await page.clock.install({ time: new Date(Date.now() + 30 * MONTH) });
    await page.clock.resume();
    await page.goto(server.url + '/customers');
    await page.getByTestId('customer-search').fill('Recent');
    await page.locator('.customer-row', { hasText: 'Recent Customer Sun' }).click();
    await page.getByRole('heading', { level: 1, name: 'Recent Customer Sun' }).waitFor();
    await page.getByRole('link', { name: 'Edit file' }).click();
    await page.getByLabel('Notes', { exact: true }).fill('came back');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Recent Customer Sun' }).waitFor();

    // Kept for 36 months (the default): nobody is past it yet, Today says nothing.
    await page.goto(server.url + '/');
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    assert.equal(await page.getByTestId('retention-due').count(), 0);
    // Kept for 24 months: the one who never came back is past it.
    await keepFor(page, server.url, 24);
    await page.goto(server.url + '/');
    await page.getByTestId('retention-due').filter({ hasText: '1 customers past the keeping time' }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Customers past the keeping time' }).waitFor();
    const rows = page.getByTestId('retention-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().textContent(), /Old Customer Qian/);
    await assertAccessible(page, 'retention list');

    // Reviewed in Chinese and erased from her file.
    await page.getByTestId('lang-select').selectOption('zh-CN');
    await page.goto(server.url + '/customers/retention');
    await page.getByRole('heading', { level: 1, name: '超过保存期限的顾客' }).waitFor();
    await rows.first().getByRole('link', { name: '查看并删除' }).click();
    await page.getByRole('heading', { level: 1, name: 'Old Customer Qian' }).waitFor();
    page.once('dialog', (d) => d.accept());
    await page.getByTestId('customer-erase').click();
    await page.getByTestId('customer-search').waitFor();
    await page.goto(server.url + '/customers/retention');
    await page.getByTestId('retention-none').filter({ hasText: '没有超过保存期限的顾客。' }).waitFor();
    await assertAccessible(page, 'retention list, none');
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});
