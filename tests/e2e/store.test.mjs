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

/** `client/mutation` of every device mutation the server logged for the store. */
async function serverMutationIds(page) {
  return page.evaluate(async () => {
    const session = JSON.parse(localStorage.getItem('orchid.session'));
    const seen = [];
    let cursor = null;
    for (;;) {
      const response = await fetch('/api/v1/sync/pull', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ format_version: 1, client_id: crypto.randomUUID(), store_id: session.store_id, cursor, limit: 1000 }),
      });
      if (!response.ok) throw new Error(`pull: ${response.status}`);
      const body = await response.json();
      for (const c of body.changes) {
        // The server's own changes (staff, complaint numbers) carry the store's id as client.
        if (c.mutation.client_id !== session.store_id) seen.push(`${c.mutation.client_id}/${c.mutation.mutation_id}`);
      }
      cursor = body.cursor;
      if (!body.has_more) break;
    }
    return seen;
  });
}

test('the server crashing while the outbox drains loses nothing and doubles nothing', { timeout: 300_000 }, async () => {
  const first = await startServer();
  let server = first;
  const context = await browser.newContext({ locale: 'en-US' });
  context.setDefaultTimeout(60_000);
  try {
    const page = await context.newPage();
    await page.goto(server.url + '/sign-in');
    await page.getByLabel('Login name').fill('owner');
    await page.getByLabel('Password').fill(OWNER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await waitForServiceWorker(page);
    await page.goto(server.url + '/settings');
    await page.getByTestId('sync-now').click();
    await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor();
    const before = (await serverMutationIds(page)).length;

    // Offline, the demo store: thousands of mutations queued.
    await context.setOffline(true);
    await page.goto(server.url + '/');
    await page.getByTestId('load-demo').click();
    await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });
    await page.goto(server.url + '/settings');
    const pending = async () => Number(await page.getByTestId('settings-pending').innerText());
    // The count shows once the device's store has loaded.
    await page.getByTestId('settings-pending').filter({ hasText: /^[1-9]/ }).waitFor();
    const queued = await pending();
    assert.ok(queued > 1000, `queued: ${queued}`);

    // Online: the drain starts; the server dies in the middle of it.
    await context.setOffline(false);
    await page.getByTestId('sync-now').click();
    let left = queued;
    for (let i = 0; i < 2000 && left === queued; i++) {
      await page.waitForTimeout(20);
      left = await pending();
    }
    await server.crash();
    const atCrash = await pending();
    assert.ok(atCrash > 0 && atCrash < queued, `crashed with ${atCrash} of ${queued} left`);

    // Back up on the same address and database: the device's retries finish the drain.
    server = await first.restart();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor({ timeout: 180_000 });
    const names = await serverCustomers(page);
    const ids = await serverMutationIds(page);
    // Every queued mutation is on the server exactly once (the server's own changes aside).
    assert.equal(new Set(ids).size, ids.length, 'no mutation twice');
    assert.equal(ids.length, before + queued, 'every queued mutation arrived');
    assert.ok(names.length >= 2000, `customers on the server: ${names.length}`);
  } finally {
    await context.close();
    await server.stop();
  }
});
