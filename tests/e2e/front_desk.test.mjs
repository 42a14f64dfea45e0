// Reception's work, offline, in both languages: a customer file with errors shown by field,
// search, a booking by tapping the calendar, a collision refused naming what collides, no
// check-in before the booking's day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchErrors, assertAccessible, waitForServiceWorker, isoDay, unexpectedErrors } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('reception files a customer, books her and checks her in, offline', { timeout: 240_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1180, height: 900 } });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/');
    await waitForServiceWorker(page);
    // Everything below happens with no network and no server.
    await server.stop();
    await context.setOffline(true);

    await page.getByTestId('load-demo').click();
    await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });

    // A new file: errors appear next to their fields, in Chinese.
    await page.getByRole('link', { name: '顾客档案' }).click();
    await page.getByRole('link', { name: '新建顾客档案' }).click();
    await page.getByLabel('手机号').fill('123');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('#customer-name-error').filter({ hasText: '请填写此项。' }).waitFor();
    await page.locator('#customer-phone-error').filter({ hasText: /电话号码|手机号/ }).waitFor();
    await assertAccessible(page, 'new customer form with errors');
    await page.getByLabel('姓名').fill('测试 林小美');
    await page.getByLabel('手机号').fill('13912345678');
    await page.getByLabel('标签（用逗号分隔）').fill('VIP，敏感肌');
    // Her allergies are kept only with her consent: she agrees on the tablet first.
    await page.getByTestId('health-locked').getByRole('button', { name: '请顾客同意' }).click();
    await page.getByTestId('consent-dialog').getByLabel('请输入您的姓名作为签名').fill('林小美');
    await page.getByTestId('consent-dialog').getByRole('button', { name: '我同意' }).click();
    await page.getByTestId('consent-dialog').waitFor({ state: 'detached' });
    await page.getByLabel('过敏史（用逗号分隔）').fill('果酸');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { level: 1, name: '测试 林小美' }).waitFor();
    await page.getByTestId('health-section').getByText('果酸').waitFor();
    await assertAccessible(page, 'customer file');

    // Found by the last four digits of her phone, among the demo's 2,000 customers.
    // Reception's shortcut: `/` from any page (outside a text field) opens the customer search
    // with the cursor in it.
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('/');
    await page.waitForURL(/\/customers$/);
    await page.waitForFunction(() => document.activeElement?.id === 'customer-search');
    await page.keyboard.type('5678');
    await page.locator('.customer-row', { hasText: '测试 林小美' }).waitFor();
    await assertAccessible(page, 'customer list');

    // A booking on a day the demo left empty, by tapping the first therapist's column.
    const day = isoDay(20);
    await page.goto(server.url + `/calendar?day=${day}`);
    await page.getByTestId('day-view').waitFor();
    await assertAccessible(page, 'calendar');
    const book = async () => {
      await page.locator('.day-view__free').first().click({ position: { x: 20, y: 100 } });
      const dialog = page.getByTestId('booking-dialog');
      await dialog.waitFor();
      await dialog.getByLabel('顾客', { exact: true }).fill('林小美');
      await dialog.getByRole('button', { name: /测试 林小美/ }).click();
      await dialog.getByTestId('booking-chosen').filter({ hasText: '测试 林小美' }).waitFor();
      await dialog.getByLabel('开始时间').fill('14:00');
      await dialog.getByLabel('顾客需求').fill('想做补水，皮肤偏干。');
      await dialog.getByRole('button', { name: '保存' }).click();
      return dialog;
    };
    const first = await book();
    await first.waitFor({ state: 'detached' });
    const booking = page.getByTestId('booking').filter({ hasText: '测试 林小美' });
    await booking.waitFor();
    assert.match(await booking.textContent(), /14:00/);

    // The same therapist at the same time: refused, saying with whom and when it collides.
    const second = await book();
    await second.getByTestId('booking-error')
      .filter({ hasText: /(美容师此时已有预约：|该顾客此时已有其他预约：).*14:00/ }).waitFor();
    await second.getByRole('button', { name: '取消' }).click();
    assert.equal(await page.getByTestId('booking').filter({ hasText: '测试 林小美' }).count(), 1);

    // A caller who is not on file yet is added from the booking dialog by the name typed.
    await page.locator('.day-view__free').first().click({ position: { x: 20, y: 100 } });
    const walkIn = page.getByTestId('booking-dialog');
    await walkIn.getByLabel('顾客', { exact: true }).fill('测试 新来的顾客');
    await walkIn.getByTestId('picker-add-customer').filter({ hasText: '新建顾客： 测试 新来的顾客' }).click();
    await walkIn.getByTestId('booking-chosen').filter({ hasText: '测试 新来的顾客' }).waitFor();
    await assertAccessible(page, 'booking dialog with a customer added in place');
    await walkIn.getByLabel('开始时间').fill('16:00');
    await walkIn.getByRole('button', { name: '保存' }).click();
    await walkIn.waitFor({ state: 'detached' });
    await page.getByTestId('booking').filter({ hasText: '测试 新来的顾客' }).waitFor();

    // Check-in shows her needs and, for this role, her allergies; the status moves.
    await booking.click();
    const panel = page.getByTestId('appointment-panel');
    await panel.getByText('想做补水，皮肤偏干。').waitFor();
    await panel.getByText('果酸').waitFor();
    await assertAccessible(page, 'check-in panel');
    // A booking 20 days ahead cannot be checked in today (the customer is not here for it);
    // it can be confirmed.
    assert.equal(await panel.getByRole('button', { name: '到店签到' }).count(), 0);
    await panel.getByRole('button', { name: '确认预约' }).click();
    await panel.getByTestId('appointment-status').filter({ hasText: '已确认' }).waitFor();

    // The same in English, and the booking survives a reload (IndexedDB, not memory).
    await page.getByRole('button', { name: '关闭' }).click();
    await page.getByTestId('lang-select').selectOption('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor();
    await page.getByTestId('booking').filter({ hasText: '测试 林小美' }).filter({ hasText: 'Confirmed' }).waitFor();
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
