// The complaint's call-back (回访), end to end: closing a case plans a call-back follow-up three
// days later, for the person who closed it; it appears in the follow-up worklist with a link to
// the case; marked "not satisfied" there, the case shows the call's outcome and offers to reopen
// it, and reopening it puts it back in progress; the case library counts the call. In English,
// then the same screens in Chinese. A therapist, who neither reads nor handles complaints, is not
// given the call-back at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, assertAccessible, unexpectedErrors, signInAsOwner, addCustomer,
  waitForServiceWorker,
  makeLogin,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Opens a step of the complaint page and returns it. */
async function step(page, testid) {
  const s = page.getByTestId(testid);
  if ((await s.getAttribute('open')) === null) await s.locator('summary').click();
  return s;
}

/** Logs a general technical complaint about `customer` (on file), works it to "resolved" and
 * closes it as the owner; returns the case's address. */
async function closedComplaint(page, url, customer, description) {
  await page.goto(url + '/complaints/new');
  await page.getByLabel(/^Find a customer on file/).fill(customer);
  await page.locator('.suggestions').getByRole('button', { name: new RegExp(customer) }).click();
  await page.getByTestId('complaint-chosen-customer').filter({ hasText: customer }).waitFor();
  await page.getByLabel('What happened').fill(description);
  await page.getByLabel('Nature').selectOption('Technical');
  await page.getByLabel('Severity').selectOption('General');
  await page.getByRole('button', { name: 'Log the complaint' }).click();
  const status = page.getByTestId('complaint-status');
  await status.filter({ hasText: 'Received' }).waitFor();
  // The server's number arrives with the next pull and redraws the page (and its forms): the
  // work on the case starts after it.
  await page.getByTestId('complaint-ref').filter({ hasText: /^TS-\d{4}-\d{4}$/ }).waitFor();
  // No call-back before closing.
  assert.equal(await page.getByTestId('complaint-call-back').count(), 0);
  let s = await step(page, 'step-resolve');
  await s.getByLabel('What was done').fill('Soothing treatment given free of charge.');
  await s.getByRole('button', { name: 'Mark resolved' }).click();
  await status.filter({ hasText: 'Resolved' }).waitFor();
  // Closed by the owner without the customer's confirmation (management may).
  s = await step(page, 'step-close');
  await s.getByLabel('Note').fill('She could not come in to confirm; closed after the free treatment.');
  await s.getByRole('button', { name: 'Close' }).click();
  await status.filter({ hasText: 'Closed' }).waitFor();
  // Nobody contacted her, but the case is closed: no clock runs for a first answer any more.
  await page.locator('.complaint-head').getByTestId('countdown').waitFor({ state: 'detached', timeout: 5_000 });
  return page.url();
}

/** The local date `days` after today in the browser, as YYYY-MM-DD. */
async function localDayAfter(page, days) {
  return page.evaluate((n) => {
    const d = new Date();
    d.setDate(d.getDate() + n);
    const pad = (x) => String(x).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }, days);
}

test('a closed complaint is called back, the customer is not satisfied, the case is reopened', { timeout: 300_000 }, async () => {
  const server = await startServer();
  // The store's time zone is China's (+08:00); the browser's too, so "three days later" is the
  // same day for both.
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1180, height: 900 } });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors = watchErrors(page);
  try {
    await signInAsOwner(page, server.url);
    await addCustomer(page, 'Chen Jing');

    const caseUrl = await closedComplaint(page, server.url, 'Chen Jing', 'Her cheeks stayed red for two days after the peel.');
    const status = page.getByTestId('complaint-status');

    // The case shows its call-back: three days later at 10:00, by whoever closed it.
    const due = `${await localDayAfter(page, 3)} 10:00`;
    const plan = page.getByTestId('call-back-plan');
    await plan.filter({ hasText: `Planned for ${due}` }).waitFor();
    assert.match(await plan.innerText(), / · by \S/);
    assert.equal(await page.getByTestId('call-back-outcome').count(), 0);
    await assertAccessible(page, 'closed complaint with its call-back');

    // The worklist: the call-back, with a link to the case; the customer is not satisfied.
    await page.goto(server.url + '/follow-ups');
    const row = page.getByTestId('follow-up').filter({ hasText: 'Chen Jing' });
    await row.getByTestId('fu-purpose-label').filter({ hasText: 'Complaint call-back' }).waitFor();
    await row.filter({ hasText: due }).waitFor();
    assert.equal(await row.getByTestId('fu-case').getAttribute('href'), new URL(caseUrl).pathname);
    await row.getByTestId('fu-record').click();
    const answer = row.getByTestId('fu-call-back-answer');
    assert.deepEqual(
      await answer.locator('option').allInnerTexts(),
      ['Satisfied', 'Not satisfied', 'The customer could not be reached'],
    );
    await answer.selectOption('not_satisfied');
    await row.getByLabel('Note').fill('Still some redness; she wants it looked at again.');
    await assertAccessible(page, 'follow-ups with the call-back form');
    await row.getByTestId('fu-save').click();
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Show done').check();
    await row.filter({ hasText: 'Done' }).waitFor();

    // The case: the call's outcome, and the offer to reopen it, first among the steps.
    await row.getByTestId('fu-case').click();
    const outcome = page.getByTestId('call-back-outcome');
    await outcome.filter({ hasText: 'Outcome Not satisfied' }).waitFor();
    assert.match(await outcome.innerText(), /Still some redness/);
    assert.match(await outcome.innerText(), /on time/);
    const reopen = page.getByTestId('step-reopen');
    assert.notEqual(await reopen.getAttribute('open'), null, 'the reopen step is open');
    await reopen.getByText('Not satisfied at the call-back: reopen the case').waitFor();
    assert.match(await reopen.getByLabel('Reason').inputValue(), /^Not satisfied at the call-back: Still some redness/);
    const firstStep = page.locator('.complaint-steps > *').first();
    assert.equal(await firstStep.getAttribute('data-testid'), 'step-reopen');
    await page.getByTestId('complaint-history').getByText('Call-back', { exact: true }).waitFor();
    await assertAccessible(page, 'complaint with an unsatisfied call-back');
    await reopen.getByRole('button', { name: 'Reopen the case' }).click();
    await status.filter({ hasText: 'In progress' }).waitFor();
    await page.getByTestId('complaint-history').getByText('Reopened', { exact: true }).waitFor();
    // The call stays on the case; nothing asks to reopen any more.
    await outcome.filter({ hasText: 'Not satisfied' }).waitFor();
    assert.equal(await page.getByText('Not satisfied at the call-back: reopen the case').count(), 0);

    // The case library counts the call: one made, on time, none satisfied.
    await page.goto(server.url + '/complaints/library');
    await page.getByTestId('stat-call-backs').filter({ hasText: /^1$/ }).waitFor();
    await page.getByTestId('stat-call-backs-on-time').filter({ hasText: /^1$/ }).waitFor();
    await page.getByTestId('stat-call-back-satisfaction').filter({ hasText: /^0%$/ }).waitFor();

    // The same in Chinese.
    await page.getByTestId('lang-select').selectOption('zh-CN');
    await page.getByTestId('stat-call-backs').waitFor();
    await page.getByText('回访满意率').waitFor();
    await page.goto(caseUrl);
    await page.getByTestId('complaint-status').filter({ hasText: '处理中' }).waitFor();
    await page.getByTestId('call-back-plan').filter({ hasText: `计划回访 ${due} · 回访人` }).waitFor();
    await page.getByTestId('call-back-outcome').filter({ hasText: '回访结果 不满意' }).waitFor();
    await page.getByTestId('call-back-outcome').filter({ hasText: '按时回访' }).waitFor();
    await page.getByTestId('complaint-history').getByText('回访', { exact: true }).waitFor();
    await page.goto(server.url + '/follow-ups');
    await page.getByLabel('显示已完成').check();
    const zhRow = page.getByTestId('follow-up').filter({ hasText: 'Chen Jing' });
    await zhRow.getByTestId('fu-purpose-label').filter({ hasText: '投诉回访' }).waitFor();
    await zhRow.getByTestId('fu-case').filter({ hasText: '查看投诉' }).waitFor();
    await assertAccessible(page, 'follow-ups in Chinese');

    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a therapist is not given a complaint\'s call-back', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const owner = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1180, height: 900 } });
  const tablet = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1024, height: 768 } });
  owner.setDefaultTimeout(30_000);
  tablet.setDefaultTimeout(30_000);
  try {
    const page = await owner.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    await addCustomer(page, 'Wu Fang');
    const caseUrl = await closedComplaint(page, server.url, 'Wu Fang', 'The wax was too hot.');
    await page.goto(server.url + '/follow-ups');
    await page.getByTestId('follow-up').filter({ hasText: 'Complaint call-back' }).waitFor();
    assert.equal(await page.getByTestId('fu-purpose').locator('option', { hasText: 'Complaint call-back' }).count(), 1);
    // Everything reaches the server before the therapist's first pull.
    await page.goto(server.url + '/settings');
    await page.getByTestId('sync-now').click();
    await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor();
    await page.getByTestId('sync-phase').filter({ hasText: 'Up to date' }).waitFor();
    const password = await makeLogin(page, server.url, 'Wang Li', 'therapist', 'wangli');

    // The therapist signs in on her tablet and chooses her password.
    const her = await tablet.newPage();
    const herErrors = watchErrors(her);
    await her.goto(server.url + '/sign-in');
    await waitForServiceWorker(her);
    await her.getByLabel('Login name').fill('wangli');
    await her.getByLabel('Password', { exact: true }).fill(password);
    await her.getByRole('button', { name: 'Sign in' }).click();
    await her.getByLabel('Current password').fill(password);
    await her.getByLabel('New password', { exact: true }).fill('wang li chose this');
    await her.getByLabel('New password again').fill('wang li chose this');
    await her.getByRole('button', { name: 'Save password' }).click();
    await her.getByRole('heading', { level: 1, name: 'Today' }).waitFor();

    // Her device has the owner's records (the customer came before the call-back, in the same
    // pull), yet everyone's follow-ups hold no call-back, and no way to the case.
    await her.goto(server.url + '/customers');
    await her.getByTestId('customer-search').fill('Wu Fang');
    await her.getByRole('link', { name: /Wu Fang/ }).first().waitFor();
    await her.goto(server.url + '/follow-ups');
    await her.getByTestId('fu-only-mine').uncheck();
    await her.getByTestId('follow-ups').getByText('No follow-ups to do.').waitFor();
    assert.equal(await her.getByTestId('follow-ups').getByText('Complaint call-back').count(), 0);
    assert.equal(await her.getByTestId('fu-purpose').locator('option', { hasText: 'Complaint call-back' }).count(), 0);
    assert.equal(await her.getByTestId('fu-case').count(), 0);
    await assertAccessible(her, "a therapist's follow-ups");
    // The case itself is not hers to open.
    await her.goto(caseUrl);
    await her.getByRole('heading', { name: 'Not available for your role' }).waitFor();

    assert.deepEqual(unexpectedErrors(errors), []);
    assert.deepEqual(unexpectedErrors(herErrors), []);
  } finally {
    await owner.close();
    await tablet.close();
    await server.stop();
  }
});
