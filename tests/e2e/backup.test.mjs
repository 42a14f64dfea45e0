// A tablet replaced while the network is down: its records and its queued changes leave in a
// backup file (Settings → Export a backup) and arrive on another device from that file, offline.
// A file that is not a backup is refused in words and changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, waitForServiceWorker, addCustomer,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const LIMIT = { timeout: 180_000 };

/** A device of its own (a standalone tablet): the app loaded once, then the network cut. */
async function offlineTablet(server) {
  const context = await browser.newContext({ locale: 'en-US' });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors = watchErrors(page);
  // Every restore asks first; the test answers yes.
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(server.url + '/');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  return { context, page, errors };
}

/** The queue's length on Settings, once it reads as `expected` (a pattern): the count shows 0
 * until the device's store has loaded. */
async function pending(page, expected) {
  await page.goto(new URL(page.url()).origin + '/settings');
  const cell = page.getByTestId('settings-pending');
  await cell.filter({ hasText: expected }).waitFor();
  return Number(await cell.innerText());
}

async function customerNames(page) {
  await page.goto(new URL(page.url()).origin + '/customers');
  await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
  // The list fills once the device's store has loaded (every test device holds a customer).
  await page.locator('.customer-row__name').first().waitFor();
  return page.locator('.customer-row__name').allInnerTexts();
}

test('a backup carries a tablet\'s records and queued changes to another device, offline', LIMIT, async () => {
  const server = await startServer();
  const old = await offlineTablet(server);
  const replacement = await offlineTablet(server);
  try {
    // The old tablet: two customers written offline, so both are still queued.
    await addCustomer(old.page, 'Backup Bea');
    await addCustomer(old.page, 'Backup Cai');
    const queued = await pending(old.page, /^[1-9]\d*$/);
    assert.ok(queued >= 2, `queued: ${queued}`);
    const [download] = await Promise.all([
      old.page.waitForEvent('download'),
      old.page.getByTestId('backup-export').click(),
    ]);
    assert.match(download.suggestedFilename(), /^orchid-backup-\d{8}-\d{4}\.json$/);
    const file = await download.path();
    const text = await readFile(file, 'utf8');
    assert.ok(text.length > 100, 'the backup has content');
    assert.ok(!text.includes('"token"'), 'no sign-in token in the file');

    // The replacement holds a record of its own: a file that is not a backup leaves it alone.
    await addCustomer(replacement.page, 'Already Here');
    await replacement.page.goto(server.url + '/settings');
    await replacement.page.getByTestId('backup-file').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"not":"a backup"}'),
    });
    await replacement.page.getByTestId('backup-message')
      .filter({ hasText: 'This file is not an Orchid backup this version can restore.' }).waitFor();
    assert.deepEqual(await customerNames(replacement.page), ['Already Here']);

    // The real file: the old tablet's records and queue, in place of the replacement's own.
    await replacement.page.goto(server.url + '/settings');
    await replacement.page.getByTestId('backup-file').setInputFiles(file);
    await replacement.page.getByTestId('backup-message').filter({ hasText: 'The backup was restored.' }).waitFor();
    assert.deepEqual((await customerNames(replacement.page)).sort(), ['Backup Bea', 'Backup Cai']);
    assert.equal(await pending(replacement.page, new RegExp(`^${queued}$`)), queued);

    // It lasts: the tab closed and the app opened again, still offline.
    await replacement.page.close();
    const again = await replacement.context.newPage();
    await again.goto(server.url + '/customers');
    await again.getByText('Backup Cai').first().waitFor();
    assert.equal(await pending(again, new RegExp(`^${queued}$`)), queued);

    assert.deepEqual(unexpectedErrors(old.errors), []);
    assert.deepEqual(unexpectedErrors(replacement.errors), []);
  } finally {
    await old.context.close();
    await replacement.context.close();
    await server.stop();
  }
});
