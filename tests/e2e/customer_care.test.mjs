// Customer care that plans itself (issue 23 item 7): a birthday call is on the follow-up list
// without anyone pressing a button — on a store whose settings were never saved, too — and
// recording its outcome writes it once; customers not back for the store's days form a
// re-engagement list whose calls are planned once, offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, assertAccessible, offlineDemoPage, signInAsOwner, watchErrors,
  unexpectedErrors, serverLog, syncNow, screenshots,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Found by a colleague first: on a new server nobody has saved the store's settings yet, so the
// device has no store record; the store's defaults apply until someone saves them.
test('a birthday call is planned by itself and written once when it is made', { timeout: 240_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(60_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    // Her birthday in three days (the store's default window is a week); another's in a month.
    const inDays = (days) => {
      const d = new Date(Date.now() + days * 86_400_000);
      d.setUTCFullYear(d.getUTCFullYear() - 30);
      return d.toISOString().slice(0, 10);
    };
    for (const [name, birthday] of [['Birthday Guest', inDays(3)], ['Later Guest', inDays(30)]]) {
      await page.goto(server.url + '/customers/new');
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Birthday', { exact: true }).fill(birthday);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
    }
    const followUps = async () => (await serverLog(page)).mutations.filter((m) => m.kind === 'follow_up.upsert');
    // Nothing was written to plan it: the server's log holds no follow-up.
    await syncNow(page, server.url);
    assert.equal((await followUps()).length, 0);
    await page.goto(server.url + '/follow-ups');
    const list = page.getByTestId('follow-ups');
    const row = list.locator('li').filter({ hasText: 'Birthday Guest' });
    await row.waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(await list.getByText('Later Guest').count(), 0, 'a birthday a month away is not due yet');

    // The call is made: recording it writes the whole follow-up, once.
    await row.getByRole('button', { name: 'Record outcome' }).click();
    await row.getByRole('button', { name: 'Save' }).click();
    await list.getByText('Birthday Guest').waitFor({ state: 'detached' });
    await syncNow(page, server.url);
    const written = await followUps();
    assert.equal(written.length, 1);
    const fields = Object.fromEntries(written[0].payload.fields.map((f) => [f.field, f.value]));
    assert.equal(fields.purpose, 'birthday');
    assert.equal(fields.status, 'done');
    // Made is made: back on the list, the call is not listed again.
    await page.goto(server.url + '/follow-ups');
    await page.getByTestId('fu-only-mine').waitFor();
    await page.getByTestId('lapsed').waitFor();
    assert.equal(await list.getByText('Birthday Guest').count(), 0);
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('the re-engagement list plans each absent customer one call, offline, in Chinese', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const { context, page, errors } = await offlineDemoPage(browser, server, { locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
  try {
    // The demo store holds the last fortnight's visits: the store counts a customer as lapsed
    // after 14 days (its shortest setting), so those seen 14–15 days ago and not booked since are.
    const origin = new URL(page.url()).origin;
    await page.goto(origin + '/setup');
    await page.getByRole('tab', { name: '营业时间与时限' }).click();
    await page.getByLabel('多久未到店算流失（天）').fill('14');
    await page.getByRole('button', { name: '保存营业时间与时限' }).click();
    await page.getByText('已保存。').first().waitFor();
    await page.getByRole('link', { name: '回访跟进' }).first().click();
    const lapsed = page.getByTestId('lapsed');
    const rows = lapsed.getByTestId('lapsed-row');
    await rows.first().waitFor();
    // The heading counts every absent customer; the table shows the first 200.
    const absent = Number((await lapsed.getByRole('heading', { level: 2 }).innerText()).match(/\((\d+)\)/)[1]);
    assert.ok(absent >= 2, `absent customers in the demo store: ${absent}`);
    await screenshots(page, 'follow-ups-lapsed', 'lapsed');
    // One call for the first customer.
    const first = rows.first();
    const name = (await first.getByRole('rowheader').innerText()).trim();
    await first.getByTestId('lapsed-plan').click();
    await first.getByTestId('lapsed-planned').waitFor();
    await page.getByTestId('fu-purpose').selectOption('re_engagement');
    const calls = page.getByTestId('follow-ups').locator('li');
    await calls.filter({ hasText: name }).first().waitFor();
    assert.equal(await calls.filter({ hasText: name }).count(), 1);
    // Then everyone else's; pressing again plans nothing more.
    await lapsed.getByTestId('lapsed-plan-all').click();
    await page.getByTestId('lapsed-message').filter({ hasText: '已安排回访：' }).waitFor();
    await lapsed.getByTestId('lapsed-plan-all').waitFor({ state: 'detached' });
    assert.equal(await lapsed.getByTestId('lapsed-plan').count(), 0);
    const shown = Math.min(absent, 300);
    assert.equal(await calls.count(), shown, 'one call per absent customer');
    await assertAccessible(page, 'follow-ups with the re-engagement list');
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});
