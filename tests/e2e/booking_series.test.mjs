// A recurring booking: reception books a customer every week, three times, offline; every
// occurrence is checked, and a series that collides is refused with the date that collides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, offlineDemoPage, isoDay } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a weekly series is booked offline and a colliding series is refused with its date', { timeout: 240_000 }, async () => {
  const server = await startServer();
  const { context, page, errors } = await offlineDemoPage(browser, server, { locale: 'zh-CN', viewport: { width: 1180, height: 900 } });
  try {

    const days = [20, 27, 34].map(isoDay);
    await page.goto(server.url + `/calendar?day=${days[0]}`);
    await page.getByTestId('day-view').waitFor();
    const book = async () => {
      await page.locator('.day-view__free').first().click({ position: { x: 20, y: 100 } });
      const dialog = page.getByTestId('booking-dialog');
      await dialog.waitFor();
      await dialog.getByLabel('顾客', { exact: true }).fill('王');
      await dialog.locator('.suggestions button').first().click();
      const name = (await dialog.getByTestId('booking-chosen').textContent()).trim();
      await dialog.getByLabel('开始时间').fill('15:00');
      await dialog.getByLabel('重复').selectOption('weekly');
      await dialog.getByLabel('共几次').fill('3');
      await dialog.getByRole('button', { name: '保存' }).click();
      return { dialog, name };
    };
    const { dialog, name } = await book();
    await dialog.waitFor({ state: 'detached' });
    for (const day of days) {
      await page.goto(server.url + `/calendar?day=${day}`);
      const booking = page.getByTestId('booking').filter({ hasText: name });
      await booking.first().waitFor();
      assert.match(await booking.first().textContent(), /15:00/);
    }

    // The same series again collides on its first date: refused, the date named, nothing written.
    await page.goto(server.url + `/calendar?day=${days[0]}`);
    await page.getByTestId('day-view').waitFor();
    const again = await book();
    await again.dialog.getByTestId('booking-error').filter({ hasText: new RegExp(`${days[0]}: (美容师此时已有预约|该顾客此时已有其他预约)`) }).waitFor();
    await again.dialog.getByRole('button', { name: '取消' }).click();
    await page.goto(server.url + `/calendar?day=${days[2]}`);
    await page.getByTestId('booking').filter({ hasText: name }).first().waitFor();
    assert.equal(await page.getByTestId('booking').filter({ hasText: name }).count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
