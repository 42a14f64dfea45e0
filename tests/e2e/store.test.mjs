// The device store and sync, end to end: a record written offline survives closing the tab,
// is still queued when the app is opened again offline, and reaches the server exactly once
// when the network returns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, signInAsOwner, addCustomer, serverLog,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const LIMIT = { timeout: 180_000 };

/** The names of every `customer.upsert` the server logged. */
async function serverCustomers(page) {
  const { mutations } = await serverLog(page);
  return mutations
    .filter((m) => m.kind === 'customer.upsert')
    .map((m) => m.payload.fields.find((f) => f.field === 'name')?.value);
}

/** `client/mutation` of every device mutation the server logged (not the server's own changes:
 * staff, complaint numbers, which carry the store's id as client). */
async function serverMutationIds(page) {
  const { storeId, mutations } = await serverLog(page);
  return mutations.filter((m) => m.client_id !== storeId).map((m) => `${m.client_id}/${m.mutation_id}`);
}

/** How many rows an object store of the app's IndexedDB holds. */
async function deviceRows(page, store) {
  return page.evaluate(
    (store) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('orchid');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction(store).objectStore(store).count();
          count.onerror = () => reject(count.error);
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
        };
      }),
    store,
  );
}

/** The owner signed in on a fresh browser context, which registers the device with the store;
 * Settings open. The caller closes the context and stops the server. */
async function registeredDevice(server) {
  const context = await browser.newContext({ locale: 'en-US' });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signInAsOwner(page, server.url);
  await page.goto(server.url + '/settings');
  await page.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();
  // Who is signed in, with the role's name rather than its wire code.
  await page.getByTestId('signed-in-as').filter({ hasText: /\(Owner\)$/ }).waitFor();
  return { context, page, errors };
}

test('a record written offline survives the tab, stays queued, and reaches the server once', LIMIT, async () => {
  const server = await startServer();
  const device = await registeredDevice(server);
  const { context, errors } = device;
  try {
    let { page } = device;

    // Offline: write a customer.
    await context.setOffline(true);
    await addCustomer(page, 'Offline Ada');
    await page.getByTestId('sync-pending').waitFor();
    // The form may write more than one change (the customer, an audit entry…).
    await page.goto(server.url + '/settings');
    await page.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();
    const queued = Number(await page.getByTestId('settings-pending').innerText());
    assert.ok(queued >= 1, `queued: ${queued}`);
    // Settings says how much the device holds, out of what the browser allows.
    await page.getByTestId('storage-usage').filter({ hasText: /^Used \d+\.\d [MG]B \/ \d+\.\d [MG]B$/ }).waitFor();

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
test('the server crashing while the outbox drains loses nothing and doubles nothing', { timeout: 300_000 }, async () => {
  const first = await startServer();
  let server = first;
  const context = await browser.newContext({ locale: 'en-US' });
  context.setDefaultTimeout(60_000);
  try {
    const page = await context.newPage();
    await signInAsOwner(page, server.url);
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

test('old records leave the device from Settings once the server has them, and stay on the server', LIMIT, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US' });
  context.setDefaultTimeout(60_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    // The demo's month of bookings, synced to the server.
    await page.getByTestId('load-demo').click();
    await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });
    await page.goto(server.url + '/settings');
    await page.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor({ timeout: 180_000 });
    // Nothing is old yet.
    await page.getByTestId('evictable').filter({ hasText: /: 0$/ }).waitFor();
    const kept = await deviceRows(page, 'rec_appointment');
    const onServer = (await serverLog(page)).mutations.filter((m) => m.kind === 'appointment.upsert').length;
    assert.ok(kept > 50 && onServer >= kept, `device ${kept}, server ${onServer}`);

    // Fourteen months later by this device's clock, offline (so the automatic clean-up after a
    // sync does not run first): every demo booking is past the store's 12 months.
    await context.setOffline(true);
    await page.clock.install({ time: new Date(Date.now() + 425 * 86_400_000) });
    await page.clock.resume();
    await page.reload();
    await page.getByTestId('evictable').filter({ hasText: /: [1-9]/ }).waitFor();
    await page.getByTestId('evict-old').click();
    await page.getByTestId('evict-message').filter({ hasText: /removed from this device: [1-9]/ }).waitFor();
    await page.getByTestId('evictable').filter({ hasText: /: 0$/ }).waitFor();
    assert.equal(await deviceRows(page, 'rec_appointment'), 0, 'the old bookings left the device');

    // Back online: the server still has every one, and a sync does not bring them back.
    await context.setOffline(false);
    await page.getByTestId('sync-now').click();
    // The reload happened offline: "Last synced" shows once this sync has gone through.
    await page.getByTestId('sync-status').filter({ hasText: 'Last synced' }).waitFor();
    const stillOnServer = (await serverLog(page)).mutations.filter((m) => m.kind === 'appointment.upsert').length;
    assert.equal(stillOnServer, onServer);
    await page.reload();
    await page.getByTestId('evictable').filter({ hasText: /: 0$/ }).waitFor();
    assert.equal(await deviceRows(page, 'rec_appointment'), 0, 'still gone after a reload');
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a tablet whose clock runs fast keeps its changes waiting and says why', LIMIT, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US' });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    await page.goto(server.url + '/settings');
    await page.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();

    // The tablet's clock is set 20 minutes fast (the server allows 5).
    await page.clock.install({ time: new Date(Date.now() + 20 * 60_000) });
    await page.clock.resume();
    await addCustomer(page, 'Fast Clock Fay');
    await page.getByTestId('sync-pending').waitFor();
    await page.goto(server.url + '/settings');
    await page.getByTestId('sync-now').click();
    await page.getByTestId('sync-problem').filter({ hasText: "This device's clock is ahead" }).waitFor();

    // Nothing reached the server, and nothing was dropped: still queued after a reload, and the
    // customer is still on the device.
    assert.ok(!(await serverCustomers(page)).includes('Fast Clock Fay'));
    const queued = Number(await page.getByTestId('settings-pending').innerText());
    assert.ok(queued >= 1, `queued: ${queued}`);
    await page.reload();
    await page.getByTestId('settings-pending').filter({ hasText: new RegExp(`^${queued}$`) }).waitFor();
    await page.goto(server.url + '/customers');
    await page.getByText('Fast Clock Fay').first().waitFor();
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a device unpaired in Settings stops sending; signing in again pairs it and what waited is sent once', LIMIT, async () => {
  const server = await startServer();
  const { context, page, errors } = await registeredDevice(server);
  try {
    await page.getByTestId('sync-now').click();
    await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor();

    await page.getByRole('button', { name: 'Stop syncing on this device' }).click();
    await page.getByTestId('pairing').filter({ hasText: 'This device works on its own' }).waitFor();
    await page.getByTestId('sync-phase').filter({ hasText: 'On this device only (no server)' }).waitFor();

    // Online, but unpaired: a new customer stays on the device, even after "Sync now".
    await addCustomer(page, 'Unpaired Uma');
    await page.goto(server.url + '/settings');
    await page.getByTestId('settings-pending').filter({ hasText: /^[1-9]/ }).waitFor();
    const queued = Number(await page.getByTestId('settings-pending').innerText());
    await page.getByTestId('sync-now').click();
    await page.waitForTimeout(2000);
    assert.equal(Number(await page.getByTestId('settings-pending').innerText()), queued);
    assert.ok(!(await serverCustomers(page)).includes('Unpaired Uma'), 'nothing was sent while unpaired');

    // The owner signs in again: the device is registered again and sends what waited, once.
    await signInAsOwner(page, server.url);
    await page.goto(server.url + '/settings');
    await page.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor();
    assert.deepEqual((await serverCustomers(page)).filter((n) => n === 'Unpaired Uma'), ['Unpaired Uma']);
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
