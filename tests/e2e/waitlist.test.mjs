// The waitlist (候补), offline: reception adds a customer who could not get a time; a booking is
// cancelled; the freed slot lists her; "Offer this slot" marks her offered, "Book it" books the
// slot and marks her booked (one write); a reload keeps her state; both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, assertAccessible, offlineDemoPage, isoDay } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a waiting customer is offered a cancelled slot and booked into it, offline', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const { context, page, errors } = await offlineDemoPage(browser, server, { locale: 'zh-CN', viewport: { width: 1180, height: 900 } });
  try {

    // A booking at 15:00 on a day the demo left empty.
    const day = isoDay(26);
    await page.goto(server.url + `/calendar?day=${day}`);
    await page.getByTestId('day-view').waitFor();
    await page.locator('.day-view__free').first().click({ position: { x: 20, y: 100 } });
    const dialog = page.getByTestId('booking-dialog');
    await dialog.getByLabel('顾客', { exact: true }).fill('王');
    await dialog.locator('.suggestions button').first().click();
    const booked = (await dialog.getByTestId('booking-chosen').textContent()).trim();
    await dialog.getByLabel('开始时间').fill('15:00');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Another customer waits for that day, any time, any therapist.
    await page.getByTestId('waitlist-open').click();
    const waitlist = page.getByTestId('waitlist-dialog');
    await waitlist.getByText('暂无候补顾客。').waitFor();
    const form = waitlist.getByTestId('waitlist-form');
    // Errors first: no customer chosen.
    await form.getByRole('button', { name: '加入候补' }).click();
    await form.getByTestId('waitlist-form-error').filter({ hasText: /顾客/ }).waitFor();
    await form.getByLabel('顾客', { exact: true }).fill('张');
    await form.locator('.suggestions button').first().click();
    const waiting = (await form.getByTestId('waitlist-chosen').textContent()).trim();
    assert.notEqual(waiting, booked);
    await form.getByRole('button', { name: '加入候补' }).click();
    await form.getByTestId('waitlist-form-error').filter({ hasText: '请至少选择一个项目。' }).waitFor();
    await form.locator('fieldset').first().getByRole('checkbox').first().check();
    await form.getByLabel('最早日期').fill(day);
    await form.getByLabel('最晚日期').fill(day);
    await form.getByLabel('下午').check();
    await form.getByLabel('备注').fill('周末下午都行');
    await form.getByRole('button', { name: '加入候补' }).click();
    const entry = waitlist.getByTestId('waitlist-entry').filter({ hasText: waiting });
    await entry.getByTestId('waitlist-status').filter({ hasText: '等候中' }).waitFor();
    await assertAccessible(page, 'waitlist dialog');
    await waitlist.getByRole('button', { name: '关闭' }).click();
    await page.getByTestId('waitlist-open').filter({ hasText: '(1)' }).waitFor();

    // The 15:00 booking is cancelled: the freed slot lists her; offer it, then book it.
    await page.getByTestId('booking').filter({ hasText: booked }).click();
    const panel = page.getByTestId('appointment-panel');
    await panel.getByRole('button', { name: '取消预约' }).click();
    await panel.getByTestId('appointment-status').filter({ hasText: '已取消' }).waitFor();
    const offers = panel.getByTestId('slot-offers');
    await offers.getByTestId('slot-candidate').filter({ hasText: waiting }).waitFor();
    await assertAccessible(page, 'freed slot with waitlist offers');
    await offers.getByRole('button', { name: '提供此时段' }).click();
    await offers.getByTestId('slot-offered').filter({ hasText: waiting }).waitFor();
    await offers.getByRole('button', { name: '预约此时段' }).click();
    await panel.getByTestId('waitlist-ok').filter({ hasText: '已从候补约上。' }).waitFor();
    await panel.getByRole('button', { name: '关闭' }).click();
    const newBooking = page.getByTestId('booking').filter({ hasText: waiting });
    await newBooking.waitFor();
    assert.match(await newBooking.textContent(), /15:00/);

    // Reload offline, in English: she is booked on the waitlist with the slot she took.
    await page.getByTestId('lang-select').selectOption('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor();
    await page.getByTestId('booking').filter({ hasText: waiting }).waitFor();
    await page.getByTestId('waitlist-open').filter({ hasText: 'Waitlist (0)' }).click();
    const after = page.getByTestId('waitlist-entry').filter({ hasText: waiting });
    await after.getByTestId('waitlist-status').filter({ hasText: 'Booked' }).waitFor();
    assert.match(await after.textContent(), new RegExp(`Slot offered: ${day} 15:00`));
    await assertAccessible(page, 'waitlist dialog (en)');
    assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
