// Complaints as people handle them, on two devices of one store: a critical complaint logged
// offline shows its 1-hour deadline and the alarm at once; after sync the second device shows the
// same deadline and alarm; acknowledging it there silences it everywhere; a complaint past its
// deadline is escalated to the store manager; an unsatisfied confirmation reopens the case; the
// case library finds the archived case by its product batch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, assertAccessible, unexpectedErrors, signInAsOwner,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function signedInDevice(server, locale = 'en-US') {
  const context = await browser.newContext({ locale, viewport: { width: 1180, height: 900 } });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signInAsOwner(page, server.url);
  await page.goto(server.url + '/settings');
  await page.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();
  return { context, page, errors };
}

/** Sends and fetches now, and waits until nothing is left to send. */
async function syncNow(page, server) {
  await page.goto(server.url + '/settings');
  await page.getByTestId('sync-now').click();
  await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor();
  await page.getByTestId('sync-phase').filter({ hasText: 'Up to date' }).waitFor();
}

/** Opens a step of the complaint page and returns it. */
async function step(page, testid) {
  const s = page.getByTestId(testid);
  if ((await s.getAttribute('open')) === null) await s.locator('summary').click();
  return s;
}

test('a critical complaint from intake to archive, on two devices', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const a = await signedInDevice(server);
  let b;
  try {
    // Device A, offline: the intake.
    await a.context.setOffline(true);
    const pa = a.page;
    await pa.goto(server.url + '/complaints');
    await pa.getByRole('link', { name: 'New complaint' }).click();
    await pa.getByRole('heading', { level: 1, name: 'New complaint' }).waitFor();
    // Errors next to their fields.
    await pa.getByRole('button', { name: 'Log the complaint' }).click();
    await pa.locator('#complaint-description-error').filter({ hasText: 'Describe what happened.' }).waitFor();
    await pa.locator('#complaint-customer-error').filter({ hasText: /customer/ }).waitFor();
    await assertAccessible(pa, 'intake with errors');

    await pa.getByLabel('Channel').selectOption('phone');
    await pa.getByLabel("Customer's name").fill('Lin Xiaomei');
    await pa.getByLabel('Phone or contact').fill('13912345678');
    await pa.getByLabel('What happened').fill('After the hydrating mask her cheeks blistered; she went to hospital.');
    await pa.getByLabel('What the customer expects').fill('A refund and an apology.');
    // The core's suggestion and the routing it implies.
    await pa.getByTestId('severity-suggestion').filter({ hasText: 'Critical' }).waitFor();
    await pa.getByTestId('routed-to').filter({ hasText: 'Store manager' }).waitFor();
    await pa.getByLabel('Batch not on file: product').fill('Hydra serum');
    await pa.getByLabel('Batch number').fill('B-2026-17');
    await pa.getByRole('button', { name: 'Log the complaint' }).click();

    // Its page: the 1-hour deadline, and the alarm, with no network.
    await pa.getByTestId('complaint-severity').filter({ hasText: 'Critical' }).waitFor();
    const head = pa.locator('.complaint-head');
    await head.getByTestId('countdown').filter({ hasText: /(59 min|1 h 0 min) left/ }).waitFor();
    const dueA = await pa.getByTestId('complaint-due').innerText();
    assert.match(dueA, /\(1 h\)/);
    const alarmA = pa.getByTestId('complaint-alarm');
    await alarmA.waitFor();
    assert.equal(await alarmA.getAttribute('role'), 'alert');
    await alarmA.getByText('Lin Xiaomei').waitFor();
    await pa.getByTestId('sync-pending').waitFor();
    await assertAccessible(pa, 'complaint page with the alarm');
    // The alarm follows to every page.
    await pa.getByRole('link', { name: 'Customers' }).first().click();
    await alarmA.waitFor();
    const reference = (await alarmA.locator('a').first().innerText()).split(' ')[0];

    // Back online: it reaches the server; device B signs in and sees the same deadline and alarm.
    await a.context.setOffline(false);
    await syncNow(pa, server);
    b = await signedInDevice(server);
    const pb = b.page;
    await syncNow(pb, server);
    await pb.goto(server.url + '/complaints');
    const row = pb.getByTestId('complaint-row').filter({ hasText: 'Lin Xiaomei' });
    await row.waitFor();
    await row.getByTestId('countdown').filter({ hasText: /min left/ }).waitFor();
    const alarmB = pb.getByTestId('complaint-alarm');
    await alarmB.getByText('Lin Xiaomei').waitFor();
    await assertAccessible(pb, 'inbox with the alarm');
    await row.getByRole('link').click();
    await pb.getByTestId('complaint-due').filter({ hasText: dueA }).waitFor();
    await pb.getByTestId('complaint-history').getByText(/Device [0-9a-f]{6}/).first().waitFor();

    // B acknowledges: the alarm goes off there, and on A after sync.
    await alarmB.getByTestId('alarm-acknowledge').click();
    await alarmB.waitFor({ state: 'detached' });
    await pb.locator('.complaint-head').getByTestId('countdown').filter({ hasText: 'Responded' }).waitFor();
    await syncNow(pb, server);
    await syncNow(pa, server);
    await pa.goto(server.url + '/complaints');
    await pa.getByTestId('complaint-row').filter({ hasText: 'Lin Xiaomei' }).waitFor();
    await pa.getByTestId('complaint-alarm').waitFor({ state: 'detached' });

    // A general complaint received 25 hours ago, never answered: escalated to the manager.
    await pb.goto(server.url + '/complaints/new');
    const nowLocal = await pb.locator('#complaint-received').inputValue();
    const earlier = new Date(Date.parse(nowLocal + ':00Z') - 25 * 3_600_000).toISOString().slice(0, 16);
    await pb.locator('#complaint-received').fill(earlier);
    await pb.getByLabel("Customer's name").fill('Zhao Min');
    await pb.getByLabel('What happened').fill('The massage technique was too rough.');
    await pb.getByLabel('Nature').selectOption('Technical');
    await pb.getByLabel('Severity').selectOption('General');
    await pb.getByTestId('routed-to').filter({ hasText: 'Technical' }).waitFor();
    await pb.getByRole('button', { name: 'Log the complaint' }).click();
    await pb.getByTestId('escalated').filter({ hasText: 'Escalated to Store manager' }).waitFor();
    await pb.locator('.complaint-head').getByTestId('countdown').filter({ hasText: /overdue/ }).waitFor();
    await pb.goto(server.url + '/complaints');
    await pb.getByRole('button', { name: 'Store manager' }).click();
    const escalatedRow = pb.getByTestId('complaint-row').filter({ hasText: 'Zhao Min' });
    await escalatedRow.getByTestId('escalated').waitFor();
    await escalatedRow.locator('.deadline--breached').waitFor();
    await pb.getByRole('button', { name: 'Finance' }).click();
    await escalatedRow.waitFor({ state: 'detached' });

    // The work on the critical case: options, choice, resolution.
    await pb.getByRole('button', { name: 'All', exact: true }).click();
    await pb.getByTestId('complaint-row').filter({ hasText: 'Lin Xiaomei' }).getByRole('link').click();
    const status = pb.getByTestId('complaint-status');
    let s = await step(pb, 'step-contact');
    await s.getByLabel('What was said').fill('Called her; the manager will visit her at home tonight.');
    await s.getByRole('button', { name: 'Add' }).click();
    await pb.getByTestId('complaint-history').getByText('Called her;', { exact: false }).waitFor();
    s = await step(pb, 'step-solutions');
    await s.locator('#option-1-text').fill('Full refund of the mask');
    await s.locator('#option-1-amount').fill('680');
    await s.locator('#option-2-text').fill('Three free soothing treatments');
    await s.getByRole('button', { name: 'Offer the solutions' }).click();
    s = await step(pb, 'step-choice');
    await s.getByLabel('1. Full refund of the mask').check();
    await s.getByRole('button', { name: 'Record the choice' }).click();
    await pb.getByText("Customer's choice").first().waitFor();
    s = await step(pb, 'step-resolve');
    await s.getByLabel('What was done').fill('Refunded ¥680 to her card.');
    await s.getByRole('button', { name: 'Mark resolved' }).click();
    await status.filter({ hasText: 'Resolved' }).waitFor();

    // Not satisfied: the case opens again, as an appeal.
    s = await step(pb, 'step-confirm');
    await s.getByLabel('2', { exact: true }).check();
    await s.getByText('Not satisfied: saving reopens the case.').waitFor();
    await s.getByLabel('The customer appeals').check();
    await s.getByRole('button', { name: 'Record the confirmation' }).click();
    await status.filter({ hasText: 'In progress' }).waitFor();
    const history = pb.getByTestId('complaint-history');
    await history.getByText('Reopened').waitFor();
    await history.getByText('Customer confirmed').waitFor();
    await assertAccessible(pb, 'reopened complaint');

    // Resolved again, confirmed, closed with its root cause, archived.
    s = await step(pb, 'step-resolve');
    await s.getByLabel('What was done').fill('Refund plus three soothing treatments booked.');
    await s.getByRole('button', { name: 'Mark resolved' }).click();
    await status.filter({ hasText: 'Resolved' }).waitFor();
    s = await step(pb, 'step-confirm');
    await s.getByLabel('5', { exact: true }).check();
    await s.getByRole('button', { name: 'Record the confirmation' }).click();
    await status.filter({ hasText: 'Confirmed' }).waitFor();
    s = await step(pb, 'step-close');
    await s.getByLabel('Root cause').selectOption('ProductQuality');
    await s.getByRole('button', { name: 'Close' }).click();
    await status.filter({ hasText: 'Closed' }).waitFor();
    s = await step(pb, 'step-archive');
    await s.getByLabel('Tags (comma separated)').fill('blisters, mask');
    await s.getByRole('button', { name: 'Archive' }).click();
    await status.filter({ hasText: 'Archived' }).waitFor();

    // The case library finds it by its product batch, and by the batch number as text.
    await pb.goto(server.url + '/complaints/library');
    await pb.getByRole('heading', { level: 1, name: 'Case library' }).waitFor();
    await pb.getByLabel('Product batch').selectOption({ label: 'Hydra serum · B-2026-17' });
    const cases = pb.getByTestId('library-case');
    await cases.filter({ hasText: 'blistered' }).waitFor();
    assert.equal(await cases.count(), 1);
    // Its number: the server's (TS-<year>-<n>, once synced) or, before that, the local reference.
    assert.match(await cases.first().innerText(), new RegExp(`TS-\\d{4}-\\d{4}|${reference.replace('#', '\\#')}`));
    await pb.getByLabel('Product batch').selectOption({ label: 'Any' });
    await pb.getByLabel(/^Text/).fill('b-2026-17');
    await cases.filter({ hasText: 'blistered' }).waitFor();
    await pb.getByTestId('complaint-figures').getByText('50%').waitFor();
    await assertAccessible(pb, 'case library');

    assert.deepEqual(unexpectedErrors(a.errors), []);
    assert.deepEqual(unexpectedErrors(b.errors), []);
  } finally {
    await a.context.close();
    await b?.context.close();
    await server.stop();
  }
});
