// Online booking (网上预约), end to end: the owner names the store, adds a therapist and a
// service, and turns online booking on in Set-up, which shows the page's link and QR code. A
// customer on a phone (390x844, Chinese) opens the link, books the first free time and gets her
// private link; the store's device pulls the booking and sees it on the calendar as a website
// booking waiting for confirmation, and confirms it; the customer cancels through her link, and
// the cancellation reaches the store's log and frees the calendar. The public page is checked with axe-core in both
// languages, and photographed at phone size in both (Set-up's section at 1024x768).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, assertAccessible, unexpectedErrors, signInAsOwner,
  syncNow, serverLog,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const SHOTS = process.env.ORCHID_SCREENSHOTS;

async function shoot(page, name) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/online-booking-${name}.png`, fullPage: true });
}

/** Tomorrow in the store's time zone (China), as YYYY-MM-DD. */
function storeTomorrow() {
  return new Date(Date.now() + (8 + 24) * 3_600_000).toISOString().slice(0, 10);
}

test('a customer books on her phone, the desk sees a website booking, her link cancels it', { timeout: 300_000 }, async () => {
  const server = await startServer({ demo: false });
  const salon = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1024, height: 768 } });
  salon.setDefaultTimeout(30_000);
  const desk = await salon.newPage();
  const deskErrors = watchErrors(desk);
  const phone = await browser.newContext({
    locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  phone.setDefaultTimeout(30_000);
  try {
    await signInAsOwner(desk, server.url);
    // The store's name, a therapist and a service, in Set-up.
    await desk.goto(server.url + '/setup');
    await desk.getByRole('heading', { level: 1, name: 'Store set-up' }).waitFor();
    await desk.getByLabel('Name', { exact: true }).fill('Lily Chen');
    await desk.getByLabel('Role', { exact: true }).selectOption('therapist');
    await desk.getByRole('button', { name: 'Add staff member' }).click();
    await desk.getByRole('cell', { name: 'Lily Chen', exact: true }).waitFor();
    await desk.getByRole('tab', { name: 'Service catalog' }).click();
    await desk.locator('#service-name').fill('补水护理');
    await desk.locator('#service-duration').fill('60');
    await desk.locator('#service-price').fill('380');
    await desk.getByRole('button', { name: 'Save service' }).click();
    await desk.getByRole('cell', { name: '补水护理', exact: true }).waitFor();
    await desk.getByRole('tab', { name: 'Hours and limits' }).click();
    await desk.getByLabel('Store name').fill('兰心美容 静安店');
    for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) {
      await desk.locator(`#hours-${day}-open`).fill('10:00');
      await desk.locator(`#hours-${day}-close`).fill('21:00');
    }
    await desk.getByRole('button', { name: 'Save hours and limits' }).click();
    await desk.getByText('Saved.').waitFor();

    // Online booking: on, unknown phones wait for the desk (the default).
    await desk.getByTestId('tab-online-booking').click();
    await desk.getByRole('heading', { name: 'Online booking', level: 2 }).waitFor();
    await desk.getByLabel('Take bookings online').check();
    assert.equal(await desk.getByLabel(/wait for the desk's confirmation/).isChecked(), true);
    await desk.getByTestId('booking-save').click();
    await desk.getByText('Saved.').waitFor();
    await syncNow(desk, server.url);
    await desk.goto(server.url + '/setup');
    await desk.getByTestId('tab-online-booking').click();
    const linkElement = desk.getByTestId('booking-link');
    await linkElement.waitFor();
    const link = (await linkElement.textContent()).trim();
    assert.match(link, new RegExp(`^${server.url}/book/[a-z2-9]{12}$`));
    // The QR code is the server's image, loaded.
    const qr = desk.getByTestId('booking-qr');
    await desk.waitForFunction((img) => img.complete && img.naturalWidth > 0, await qr.elementHandle());
    await assertAccessible(desk, 'set-up: online booking');
    await shoot(desk, 'setup-en-1024x768');
    await desk.evaluate(() => localStorage.setItem('orchid.lang', JSON.stringify('zh-CN')));
    await desk.reload();
    await desk.getByTestId('tab-online-booking').click();
    await desk.getByTestId('booking-qr').waitFor();
    await desk.waitForFunction(() => [...document.images].every((i) => i.complete));
    await shoot(desk, 'setup-zh-1024x768');
    await desk.evaluate(() => localStorage.setItem('orchid.lang', JSON.stringify('en')));

    // The customer, on her phone, in Chinese.
    const customer = await phone.newPage();
    const customerErrors = watchErrors(customer);
    await customer.goto(link);
    assert.equal(await customer.locator('html').getAttribute('lang'), 'zh-CN');
    await customer.getByRole('heading', { level: 1, name: '兰心美容 静安店' }).waitFor();
    await customer.getByLabel(/补水护理 · 60 分钟 · 380 元/).check();
    assert.equal(await customer.locator('#date').inputValue(), storeTomorrow());
    const firstSlot = customer.locator('#slots .slot').first();
    await firstSlot.waitFor();
    assert.equal((await firstSlot.textContent()).trim(), '10:00');
    await firstSlot.click();
    await customer.getByLabel('姓名').fill('测试 王芳');
    await customer.getByLabel('手机号').fill('138 0013 8000');
    await customer.getByLabel('需求（选填）').fill('肩颈有点紧');
    await assertAccessible(customer, 'booking page (Chinese)');
    await shoot(customer, 'page-zh-390x844');
    // The toggle speaks English, and back.
    await customer.getByRole('button', { name: 'English' }).click();
    await customer.getByRole('button', { name: 'Book', exact: true }).waitFor();
    assert.equal(await customer.locator('html').getAttribute('lang'), 'en');
    await assertAccessible(customer, 'booking page (English)');
    await shoot(customer, 'page-en-390x844');
    await customer.getByRole('button', { name: '中文' }).click();
    const booked = customer.waitForResponse((r) => r.url().includes('/api/v1/book/') && r.request().method() === 'POST');
    await customer.getByRole('button', { name: '提交预约' }).click();
    assert.equal((await booked).status(), 201);
    await customer.getByRole('heading', { name: '预约成功' }).waitFor();
    await customer.getByText('待门店确认').waitFor();
    await customer.getByText('门店确认后，预约才算成立').waitFor();
    const manage = await customer.getByRole('link', { name: /\/manage#/ }).getAttribute('href');
    assert.match(manage, /\/book\/[a-z2-9]{12}\/manage#[A-Za-z0-9_-]{43}$/);
    await assertAccessible(customer, 'booking confirmation');
    await shoot(customer, 'booked-zh-390x844');

    // The store's device pulls it: a website booking on tomorrow's calendar, waiting.
    await syncNow(desk, server.url);
    await desk.goto(server.url + `/calendar?day=${storeTomorrow()}`);
    const booking = desk.getByTestId('booking').filter({ hasText: '测试 王芳' });
    await booking.waitFor();
    // The block says she booked online, before anyone opens it.
    await booking.getByTestId('booking-website').filter({ hasText: 'Website' }).waitFor();
    await assertAccessible(desk, 'calendar with a website booking');
    await booking.click();
    const panel = desk.getByTestId('appointment-panel');
    await panel.getByText('Website').waitFor();
    await panel.getByText('肩颈有点紧').waitFor();
    await panel.getByTestId('appointment-status').filter({ hasText: 'Booked' }).waitFor();
    await panel.getByRole('button', { name: 'Confirm', exact: true }).click();
    await panel.getByTestId('appointment-status').filter({ hasText: 'Confirmed' }).waitFor();
    await syncNow(desk, server.url);

    // Her private link shows the confirmed booking and cancels it.
    const mine = await phone.newPage();
    await mine.goto(manage);
    await mine.getByRole('heading', { name: '您的预约' }).waitFor();
    await mine.getByText('已确认').waitFor();
    await assertAccessible(mine, 'private link');
    await shoot(mine, 'manage-zh-390x844');
    mine.once('dialog', (dialog) => dialog.accept());
    await mine.getByRole('button', { name: '取消预约' }).click();
    await mine.getByRole('heading', { name: '预约已取消' }).waitFor();

    // The cancellation is in the store's log, and reaches the device.
    const { mutations } = await serverLog(desk);
    const website = mutations.filter((m) => m.kind === 'appointment.upsert' && JSON.stringify(m.payload).includes('"website"'));
    assert.equal(website.length, 1);
    const cancelled = mutations.filter((m) => m.kind === 'appointment.status' && m.payload.change?.to === 'cancelled');
    assert.equal(cancelled.length, 1);
    await syncNow(desk, server.url);
    await desk.goto(server.url + `/calendar?day=${storeTomorrow()}`);
    await desk.getByTestId('day-view').waitFor();
    // A cancelled booking frees its time: it leaves the therapist's column.
    await desk.getByTestId('booking').filter({ hasText: '测试 王芳' }).waitFor({ state: 'detached' });

    assert.deepEqual(unexpectedErrors(customerErrors), []);
    assert.deepEqual(unexpectedErrors(deskErrors), []);
  } finally {
    await phone.close();
    await salon.close();
    await server.stop();
  }
});
