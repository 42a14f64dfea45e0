// Two devices offline book the same therapist at the same time: both bookings are kept and
// flagged (the core's rule), and every view that lists them shows it — the day view side by side
// naming whom each collides with, the week view — until a person cancels one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, signInAsOwner, isoDay,
  OWNER_PASSWORD, waitForServiceWorker,
  syncNow,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Books the first customer found by `search` with the day view's first therapist at `time`. */
async function book(page, words, search, time) {
  await page.locator('.day-view__free').first().click({ position: { x: 20, y: 880 } });
  const dialog = page.getByTestId('booking-dialog');
  await dialog.waitFor();
  await dialog.getByLabel(words.customer, { exact: true }).fill(search);
  await dialog.locator('.suggestions button').first().click();
  const name = (await dialog.getByTestId('booking-chosen').textContent()).trim();
  await dialog.getByLabel(words.start, { exact: true }).fill(time);
  await dialog.getByRole('button', { name: words.save }).click();
  await dialog.waitFor({ state: 'detached' });
  return name;
}

test('two devices offline book one therapist at one time: both kept, side by side, flagged on every view, until one is cancelled', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const desk = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });
  const tablet = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 1000 } });
  for (const c of [desk, tablet]) c.setDefaultTimeout(60_000);
  try {
    const deskPage = await desk.newPage();
    const errors = watchErrors(deskPage);
    await signInAsOwner(deskPage, server.url);
    await deskPage.getByTestId('load-demo').click();
    await deskPage.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });
    await syncNow(deskPage, server.url);

    const tabletPage = await tablet.newPage();
    const tabletErrors = watchErrors(tabletPage);
    await tabletPage.goto(server.url + '/sign-in');
    await tabletPage.getByLabel('登录名').fill('owner');
    await tabletPage.getByLabel('密码').fill(OWNER_PASSWORD);
    await tabletPage.getByRole('button', { name: '登录' }).click();
    await tabletPage.getByRole('heading', { level: 1, name: '今日' }).waitFor();
    await waitForServiceWorker(tabletPage);
    await syncNow(tabletPage, server.url);

    // A day the demo left empty; both devices offline book the first therapist at 10:00 (the
    // tablet once it has pulled the store: its day view has the therapists).
    const day = isoDay(25);
    for (const page of [deskPage, tabletPage]) {
      await page.goto(server.url + `/calendar?day=${day}`);
      await page.getByTestId('day-view').waitFor();
    }
    await desk.setOffline(true);
    await tablet.setOffline(true);
    const deskName = await book(deskPage, { customer: 'Customer', start: 'Start', save: 'Save' }, '王', '10:00');
    const tabletName = await book(tabletPage, { customer: '顾客', start: '开始时间', save: '保存' }, '李', '10:00');
    assert.notEqual(deskName, tabletName);

    await desk.setOffline(false);
    await tablet.setOffline(false);
    await syncNow(deskPage, server.url);
    await syncNow(tabletPage, server.url);
    await syncNow(deskPage, server.url);

    // The day view: both in the first column, side by side, each naming the other.
    for (const [page, conflictText] of [[deskPage, 'Collides'], [tabletPage, '时间冲突']]) {
      await page.goto(server.url + `/calendar?day=${day}`);
      const column = page.locator('.day-view__column').first();
      // Found by the customer's own line: each booking's conflict note names the other too.
      const bookingOf = (name) => column.getByTestId('booking').filter({ has: page.locator('.booking__who', { hasText: new RegExp(`^${name}$`) }) });
      const deskBooking = bookingOf(deskName);
      const tabletBooking = bookingOf(tabletName);
      await deskBooking.getByTestId('booking-conflict').filter({ hasText: conflictText }).filter({ hasText: `10:00 ${tabletName}` }).waitFor();
      await tabletBooking.getByTestId('booking-conflict').filter({ hasText: `10:00 ${deskName}` }).waitFor();
      const [one, other] = [await deskBooking.boundingBox(), await tabletBooking.boundingBox()];
      assert.ok(one.x + one.width <= other.x + 1 || other.x + other.width <= one.x + 1,
        `side by side, not on top of each other: ${JSON.stringify([one, other])}`);
    }
    await assertAccessible(deskPage, 'day view with a collision');

    // The week view flags both.
    await deskPage.getByRole('button', { name: 'Week', exact: true }).click();
    const week = deskPage.locator(`.week-view__day[aria-label="${day}"]`);
    await week.locator('.week-view__item').filter({ hasText: deskName }).getByTestId('booking-conflict').waitFor();
    await week.locator('.week-view__item').filter({ hasText: tabletName }).getByTestId('booking-conflict').waitFor();

    // A person settles it: the desk cancels its own booking; the other is no longer flagged.
    await week.locator('.week-view__item').filter({ hasText: deskName }).click();
    const panel = deskPage.getByTestId('appointment-panel');
    await panel.getByTestId('panel-conflict').filter({ hasText: `10:00 ${tabletName}` }).filter({ hasText: 'Move or cancel one' }).waitFor();
    await panel.getByRole('button', { name: 'Cancel booking' }).click();
    await panel.getByTestId('appointment-status').filter({ hasText: 'Cancelled' }).waitFor();
    await deskPage.goto(server.url + `/calendar?day=${day}`);
    const left = deskPage.locator('.day-view__column').first().getByTestId('booking').filter({ has: deskPage.locator('.booking__who', { hasText: new RegExp(`^${tabletName}$`) }) });
    await left.waitFor();
    assert.equal(await left.getByTestId('booking-conflict').count(), 0);

    assert.deepEqual(unexpectedErrors(errors), []);
    assert.deepEqual(unexpectedErrors(tabletErrors), []);
  } finally {
    await desk.close();
    await tablet.close();
    await server.stop();
  }
});
