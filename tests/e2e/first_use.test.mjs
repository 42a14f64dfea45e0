// What a new user trips over on an empty store (issue 25, item 5), offline on a standalone
// device: an empty calendar leads to Set-up's team, an empty customer list invites the first
// customer, a phone reads as people write it, a dialog closes with Escape and gives the focus back
// to what opened it, and changes waiting in storage the browser may clear are flagged. A real
// store's server never gets the demo store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, waitForServiceWorker, isoDay,
  signInAsOwner, syncNow, serverLog,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('an empty store says what to do next, phones read as written, dialogs close with Escape', { timeout: 180_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/calendar');
    await waitForServiceWorker(page);
    await server.stop();
    await context.setOffline(true);

    // No therapists: the calendar leads to the team in Set-up.
    const noStaff = page.getByTestId('calendar-no-staff');
    await noStaff.filter({ hasText: 'No therapists yet.' }).waitFor();
    await assertAccessible(page, 'empty calendar');
    await noStaff.getByRole('link', { name: 'Add the team in Set-up' }).click();
    await page.waitForURL(/\/setup/);
    await page.getByLabel('Name').fill('Test Wang');
    await page.getByLabel('Role').selectOption('therapist');
    await page.getByRole('button', { name: 'Add staff member' }).click();
    await page.getByRole('cell', { name: 'Test Wang' }).waitFor();

    // No customers: the list invites the first one, instead of "No customer matches".
    await page.getByRole('link', { name: 'Customers' }).click();
    const none = page.getByTestId('customers-none-yet');
    await none.filter({ hasText: 'No customers yet.' }).waitFor();
    assert.equal(await page.getByText('No customer matches.').count(), 0);
    await assertAccessible(page, 'empty customer list');
    await none.getByRole('link', { name: 'Add the first customer' }).click();
    await page.waitForURL(/\/customers\/new$/);
    await page.getByLabel('Name', { exact: true }).fill('Test Lin');
    await page.getByLabel('Phone').fill('+8617143939962');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Test Lin' }).waitFor();
    // Changes wait on this device in storage the browser may clear (not persistent here): the
    // header says so, with the way to keep them.
    await page.getByTestId('storage-at-risk').filter({ hasText: 'live only in this browser' }).waitFor();
    await page.getByTestId('storage-keep').click();
    await page.waitForURL(/\/settings/);
    await page.getByTestId('storage-install-hint').filter({ hasText: 'Add to Home Screen' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Test Lin' }).waitFor();
    // Shown as people write it, in the file and in the list.
    await page.getByText('171 4393 9962').first().waitFor();
    assert.equal(await page.getByText('+8617143939962').count(), 0);
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.locator('.customer-row', { hasText: '171 4393 9962' }).waitFor();

    // The booking dialog takes the focus, closes with Escape and gives the focus back to the
    // free slot that opened it.
    await page.goto(page.url().replace(/\/customers.*$/, `/calendar?day=${isoDay(3)}`));
    const slot = page.locator('.day-view__free').first();
    await slot.click({ position: { x: 20, y: 100 } });
    const dialog = page.getByTestId('booking-dialog');
    await dialog.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="booking-dialog"]')?.contains(document.activeElement));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.classList.contains('day-view__free'));
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test("a salon's real server never gets the demo store: not offered on its devices, left behind by a device that loaded it", { timeout: 300_000 }, async () => {
  const server = await startServer({ demo: false });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(60_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/');
    await waitForServiceWorker(page);
    // A standalone device offers the demo, saying what it is.
    const load = page.getByTestId('load-demo');
    await load.filter({ hasText: 'invented' }).waitFor();
    await load.click();
    await load.waitFor({ state: 'detached', timeout: 120_000 });
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByTestId('customer-count').filter({ hasText: '2000' }).waitFor();

    // Signed in to the salon's server, the device holds the store's records, not the invented
    // ones; nothing of them reaches the server, and the demo is not offered there.
    await signInAsOwner(page, server.url);
    // The pairing runs in the app after the sign-in: wait for it before leaving the page.
    await page.getByTestId('sync-phase').filter({ hasText: 'Up to date' }).waitFor();
    await syncNow(page, server.url);
    const { mutations } = await serverLog(page);
    assert.equal(mutations.filter((m) => m.kind === 'customer.upsert').length, 0);
    await page.getByRole('link', { name: 'Today' }).click();
    await page.getByTestId('first-steps').filter({ hasText: 'This store has no customers yet.' }).waitFor();
    assert.equal(await page.getByTestId('load-demo').count(), 0);
    await assertAccessible(page, "today on a real store's empty device");
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByTestId('customers-none-yet').waitFor();
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
