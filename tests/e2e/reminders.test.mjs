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

// Found by a colleague: on a new server nobody has saved the store's settings yet, so the device
// has no store record, and planning birthday follow-ups failed with "the records are still
// loading". The store's defaults apply until someone saves its settings.
test('birthday follow-ups are planned in a store whose settings were never saved', { timeout: 240_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(60_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    // Her birthday in three days (the store's default window is a week).
    const soon = new Date(Date.now() + 3 * 86_400_000);
    soon.setUTCFullYear(soon.getUTCFullYear() - 30);
    await page.goto(server.url + '/customers/new');
    await page.getByLabel('Name', { exact: true }).fill('Birthday Guest');
    await page.getByLabel('Birthday', { exact: true }).fill(soon.toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Birthday Guest' }).waitFor();
    await page.goto(server.url + '/follow-ups');
    await page.getByTestId('plan-birthdays').click();
    await page.getByText('Birthday follow-ups planned: 1').waitFor();
    await page.getByText('Birthday Guest').first().waitFor();
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
