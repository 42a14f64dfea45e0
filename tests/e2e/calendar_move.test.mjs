// Moving and resizing bookings in the day view, offline: dragged with the mouse to another time
// and therapist, its bottom edge dragged to lengthen it, moved by tap-and-choose in its panel; a
// move onto a taken therapist is refused with the reason and changes nothing; a reload keeps it all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, assertAccessible, offlineDemoPage, isoDay, unexpectedErrors } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// 1.2 px per minute in the day view (calendar.rs PX_PER_MINUTE).
const PX_PER_MINUTE = 1.2;

/** Books the customer found by `search` in column `column` at `time`; returns her name. */
async function book(page, column, search, time) {
  // Low in the column, below the bookings this test makes (the time is typed anyway).
  await page.locator('.day-view__free').nth(column).click({ position: { x: 20, y: 880 } });
  const dialog = page.getByTestId('booking-dialog');
  await dialog.waitFor();
  await dialog.getByLabel('顾客', { exact: true }).fill(search);
  await dialog.locator('.suggestions button').first().click();
  const name = (await dialog.getByTestId('booking-chosen').textContent()).trim();
  await dialog.getByLabel('开始时间').fill(time);
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.waitFor({ state: 'detached' });
  return name;
}

/**
 * The box of a booking brought to the middle of the window first: after booking low in a
 * column the page is scrolled, and a booking near the top can sit under the sticky offline
 * banner, where a press would land on the banner instead.
 */
async function boxInView(locator) {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  return locator.boundingBox();
}

/** Drags from the point (x, y) by (dx, dy) pixels with the mouse, in steps. */
async function drag(page, x, y, dx, dy) {
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
  await page.mouse.move(x + dx, y + dy, { steps: 5 });
  await page.mouse.up();
}

test('bookings move and resize by drag and by tap-and-choose; a collision changes nothing; offline reload keeps the moves', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const { context, page, errors } = await offlineDemoPage(browser, server, { locale: 'zh-CN', viewport: { width: 1280, height: 1000 } });
  try {

    // A day the demo left empty: two bookings in the first therapist's column.
    const day = isoDay(25);
    await page.goto(server.url + `/calendar?day=${day}`);
    await page.getByTestId('day-view').waitFor();
    const columns = page.locator('.day-view__column');
    const a = await book(page, 0, '王', '10:00');
    const b = await book(page, 0, '李', '14:00');
    assert.notEqual(a, b);
    const bookingOf = (name) => page.getByTestId('booking').filter({ hasText: name });
    await bookingOf(a).waitFor();
    await bookingOf(b).waitFor();
    const lengthOf = async (name) => {
      const [from, to] = (await bookingOf(name).locator('.booking__time').textContent()).split('–').map((t) => t.trim());
      const minutes = (t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
      return minutes(to) - minutes(from);
    };
    const lengthA = await lengthOf(a);
    const hhmm = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

    // Drag A one hour later and into the second therapist's column.
    const secondTherapist = (await columns.nth(1).locator('.day-view__name').textContent()).trim();
    let box = await boxInView(bookingOf(a));
    const col0 = await columns.nth(0).boundingBox();
    const col1 = await columns.nth(1).boundingBox();
    await drag(page, box.x + box.width / 2, box.y + 10, col1.x - col0.x, 60 * PX_PER_MINUTE);
    await columns.nth(1).getByTestId('booking').filter({ hasText: a }).filter({ hasText: `11:00 – ${hhmm(11 * 60 + lengthA)}` }).waitFor();
    assert.equal(await columns.nth(0).getByTestId('booking').filter({ hasText: a }).count(), 0);
    // The drag did not also open the booking's panel.
    assert.equal(await page.getByTestId('appointment-panel').count(), 0);

    // Drag A's bottom edge down half an hour: it ends 30 minutes later, starts as before.
    box = await boxInView(bookingOf(a));
    await drag(page, box.x + box.width / 2, box.y + box.height - 3, 0, 30 * PX_PER_MINUTE);
    await bookingOf(a).filter({ hasText: `11:00 – ${hhmm(11 * 60 + lengthA + 30)}` }).waitFor();

    // Tap-and-choose: B to the second therapist at 11:30 collides with A: refused with the reason.
    await bookingOf(b).click();
    const panel = page.getByTestId('appointment-panel');
    await panel.getByRole('button', { name: '改约' }).click();
    const move = page.getByTestId('move-dialog');
    await move.waitFor();
    await assertAccessible(page, 'move dialog');
    await move.getByLabel('开始时间').fill('11:30');
    await move.getByLabel('美容师').selectOption({ label: secondTherapist });
    await move.getByRole('button', { name: '保存' }).click();
    await move.getByTestId('move-error').filter({ hasText: `美容师此时已有预约：${secondTherapist}` }).waitFor();
    await move.getByRole('button', { name: '取消' }).click();
    await columns.nth(0).getByTestId('booking').filter({ hasText: b }).filter({ hasText: '14:00' }).waitFor();
    assert.equal(await columns.nth(1).getByTestId('booking').filter({ hasText: b }).count(), 0);

    // The same dialog, by keyboard: 16:00 with the second therapist, Enter saves.
    await bookingOf(b).click();
    await panel.getByRole('button', { name: '改约' }).click();
    await move.getByLabel('开始时间').fill('16:00');
    await move.getByLabel('美容师').selectOption({ label: secondTherapist });
    await move.getByLabel('开始时间').press('Enter');
    await move.waitFor({ state: 'detached' });
    await columns.nth(1).getByTestId('booking').filter({ hasText: b }).filter({ hasText: '16:00' }).waitFor();

    // Change length: 90 minutes — or 75 when B already takes 90, since an unchanged length is
    // refused as "nothing changed". B's length varies: the booking dialog starts on the
    // catalog's first service, and the demo's services get ids in the same millisecond, so
    // which one sorts first differs between runs.
    const newLength = (await lengthOf(b)) === 90 ? 75 : 90;
    const newSpan = `16:00 – ${hhmm(16 * 60 + newLength)}`;
    await bookingOf(b).click();
    await panel.getByRole('button', { name: '调整时长' }).click();
    await move.getByLabel('时长（分钟）').fill(String(newLength));
    await move.getByTestId('move-ends').filter({ hasText: hhmm(16 * 60 + newLength) }).waitFor();
    await move.getByRole('button', { name: '保存' }).click();
    await move.waitFor({ state: 'detached' });
    await bookingOf(b).filter({ hasText: newSpan }).waitFor();

    // A drag onto a taken time is refused with the reason: B dragged up onto A.
    box = await boxInView(bookingOf(b));
    await drag(page, box.x + box.width / 2, box.y + 10, 0, -4.5 * 60 * PX_PER_MINUTE);
    await page.getByTestId('calendar-error').filter({ hasText: '美容师此时已有预约' }).waitFor();
    await bookingOf(b).filter({ hasText: newSpan }).waitFor();

    // A cancelled booking cannot move: no Move action in its panel.
    await bookingOf(b).click();
    await panel.getByRole('button', { name: '取消预约' }).click();
    await panel.getByTestId('appointment-status').filter({ hasText: '已取消' }).waitFor();
    assert.equal(await panel.getByRole('button', { name: '改约' }).count(), 0);
    await panel.getByRole('button', { name: '关闭' }).click();

    // Offline reload: A stays moved and lengthened, in English now.
    await page.getByTestId('lang-select').selectOption('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor();
    await columns.nth(1).getByTestId('booking').filter({ hasText: a }).filter({ hasText: `11:00 – ${hhmm(11 * 60 + lengthA + 30)}` }).waitFor();
    await bookingOf(a).click();
    await panel.getByRole('button', { name: 'Move' }).click();
    await move.getByRole('heading', { name: 'Move the booking' }).waitFor();
    await assertAccessible(page, 'move dialog (en)');
    await move.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
