// Reception reminds tomorrow's customers and records how, offline; the marks survive a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, assertAccessible, offlineDemoPage, signInAsOwner, watchErrors, unexpectedErrors,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test("tomorrow's reminders are marked with their channel, offline", { timeout: 240_000 }, async () => {
  const server = await startServer();
  const { context, page, errors } = await offlineDemoPage(browser, server, { locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
  try {
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
