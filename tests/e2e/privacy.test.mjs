// A customer's privacy rights from her file, offline on a standalone device (its owner acts):
// export everything about her as a file, and erase her after confirmation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launchBrowser, watchErrors, waitForServiceWorker, assertAccessible } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a customer is exported to a file and erased, offline', { timeout: 120_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en', viewport: { width: 1024, height: 768 }, acceptDownloads: true });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/customers/new');
    await waitForServiceWorker(page);
    await server.stop();
    await context.setOffline(true);

    await page.getByLabel('Name').fill('Privacy Test Zhou');
    await page.getByLabel('Phone').fill('13700001111');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Privacy Test Zhou' }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('customer-export').click(),
    ]);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(exported.customer.name, 'Privacy Test Zhou');
    // Her copy says who read her data: opening her file read it, exporting it is logged.
    assert.ok(exported.access.some((a) => a.action === 'customer_read'), JSON.stringify(exported.access));

    // The printable copy beside it.
    await page.getByTestId('customer-copy').click();
    await page.getByRole('heading', { level: 1, name: /A copy of her data — Privacy Test Zhou/ }).waitFor();
    await page.getByTestId('copy-file').filter({ hasText: '137 0000 1111' }).waitFor();
    await page.getByTestId('copy-access').filter({ hasText: 'Read health data' }).waitFor();
    await page.getByTestId('copy-access').filter({ hasText: 'Exported her data' }).waitFor();
    await assertAccessible(page, 'her printable copy');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Privacy Test Zhou' }).waitFor();

    // Dismissing the question erases nothing; accepting it does.
    page.once('dialog', (d) => d.dismiss());
    await page.getByTestId('customer-erase').click();
    await page.getByRole('heading', { level: 1, name: 'Privacy Test Zhou' }).waitFor();
    page.once('dialog', (d) => d.accept());
    await page.getByTestId('customer-erase').click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('customer-search').fill('Privacy Test');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.customer-row', { hasText: 'Privacy Test Zhou' }).count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
