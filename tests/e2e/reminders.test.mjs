// Reception reminds tomorrow's customers and records how, offline; the marks survive a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchErrors, waitForServiceWorker, assertAccessible } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test("tomorrow's reminders are marked with their channel, offline", { timeout: 240_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/');
    await waitForServiceWorker(page);
    await server.stop();
    await context.setOffline(true);
    await page.getByTestId('load-demo').click();
    await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });

    const rows = page.getByTestId('reminder');
    await rows.first().waitFor();
    const before = await rows.filter({ hasText: '已提醒 · ' }).count();
    const first = rows.filter({ has: page.getByRole('button', { name: '标记已提醒' }) }).first();
    const name = (await first.textContent()).split('·')[0].trim();
    await first.getByLabel('提醒方式').selectOption('Sms');
    await first.getByRole('button', { name: '标记已提醒' }).click();
    await rows.filter({ hasText: name }).filter({ hasText: '已提醒 · 短信' }).first().waitFor();
    assert.equal(await rows.filter({ hasText: '已提醒 · ' }).count(), before + 1);
    await assertAccessible(page, 'today with reminders');

    await page.reload();
    await rows.filter({ hasText: name }).filter({ hasText: '已提醒 · 短信' }).first().waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
