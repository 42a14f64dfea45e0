// The device store and sync, end to end: a record written offline survives closing the tab,
// is still queued when the app is opened again offline, and reaches the server exactly once
// when the network returns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchErrors, waitForServiceWorker, OWNER_PASSWORD } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const LIMIT = { timeout: 180_000 };

/** Every `customer.upsert` the server logged for the store, as the signed-in owner sees it. */
async function serverCustomers(page) {
  return page.evaluate(async () => {
    const session = JSON.parse(localStorage.getItem('orchid.session'));
    const changes = [];
    let cursor = null;
    for (;;) {
      const response = await fetch('/api/v1/sync/pull', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify({
          format_version: 1,
          client_id: crypto.randomUUID(),
          store_id: session.store_id,
          cursor,
          limit: 1000,
        }),
      });
      if (!response.ok) throw new Error(`pull: ${response.status}`);
      const body = await response.json();
      changes.push(...body.changes);
      cursor = body.cursor;
      if (!body.has_more) break;
    }
    return changes
      .map((c) => c.mutation)
      .filter((m) => m.kind === 'customer.upsert')
      .map((m) => m.payload.fields.find((f) => f.field === 'name')?.value);
  });
}

test('a record written offline survives the tab, stays queued, and reaches the server once', LIMIT, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US' });
  context.setDefaultTimeout(30_000);
  try {
    let page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/sign-in');
    await page.getByLabel('Login name').fill('owner');
    await page.getByLabel('Password').fill(OWNER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await waitForServiceWorker(page);
    // The owner's sign-in registered the device with the store.
    await page.goto(server.url + '/settings');
    await page.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();

    // Offline: write a customer.
    await context.setOffline(true);
    await page.goto(server.url + '/customers/new');
    await page.getByLabel('Name', { exact: true }).fill('Offline Ada');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('sync-pending').waitFor();
    // The form may write more than one change (the customer, an audit entry…).
    await page.goto(server.url + '/settings');
    await page.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();
    const queued = Number(await page.getByTestId('settings-pending').innerText());
    assert.ok(queued >= 1, `queued: ${queued}`);

    // Close the tab; open the app again, still offline.
    await page.close();
    page = await context.newPage();
    await page.goto(server.url + '/settings');
    await page.getByTestId('settings-pending').filter({ hasText: new RegExp(`^${queued}$`) }).waitFor();
    await page.goto(server.url + '/customers');
    await page.getByText('Offline Ada').first().waitFor();

    // Back online: it is sent, once.
    await context.setOffline(false);
    await page.goto(server.url + '/settings');
    await page.getByTestId('sync-now').click();
    await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor();
    assert.deepEqual(await serverCustomers(page), ['Offline Ada']);
    // Another sync (and a reload) sends nothing again.
    await page.reload();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('sync-phase').filter({ hasText: 'Up to date' }).waitFor();
    assert.deepEqual(await serverCustomers(page), ['Offline Ada']);
    assert.deepEqual(
      errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED') && !e.includes('Failed to fetch')),
      [],
    );
  } finally {
    await context.close();
    await server.stop();
  }
});
