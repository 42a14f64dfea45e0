// The chain ([team]): the owner opens a second store from the first one's services, switches to
// it, books there, and reads both stores in the head office and in the chain's monthly report, in
// both languages; she switches back offline and finds the first store's records on the device. A
// manager of the first store sees neither the head office nor the second store, on the page and on
// the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, signInAsOwner,
  addCustomer, makeLogin, firstSignIn, isoDay, waitForServiceWorker, OWNER_PASSWORD,
  syncNow,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The name of the store the header's switch shows as the current one. */
const currentStore = (page) => page.evaluate(() => {
  const select = document.querySelector('[data-testid="store-switch"]');
  return select?.selectedOptions[0]?.textContent ?? null;
});

const rowOf = (page, name) => page.getByTestId('head-office-row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

test('the owner opens a store, works in it and reads both in the head office; a manager sees neither', { timeout: 420_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(60_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    // Store one: the demo store, on the server.
    await page.getByTestId('load-demo').click();
    await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });
    await syncNow(page, server.url);
    const managerPassword = await makeLogin(page, server.url, 'Manager One', 'manager', 'manager1');

    await page.goto(server.url + '/head-office');
    await page.getByRole('heading', { level: 1, name: 'Head office' }).waitFor();
    await page.getByTestId('head-office-row').first().waitFor();
    assert.equal(await page.getByTestId('head-office-row').count(), 1);
    const storeOne = (await page.getByTestId('head-office-row').first().getByRole('rowheader').textContent()).trim();
    // The demo books today: the row counts it as the store's devices do.
    assert.ok(Number(await page.getByTestId('head-office-row').first().getByTestId('ho-bookings').textContent()) > 0);

    // Opening a store: a name is needed; then it starts from store one's services.
    await page.getByTestId('open-store-submit').click();
    await page.getByTestId('open-store-error').filter({ hasText: 'Give the store a name.' }).waitFor();
    await page.getByTestId('new-store-name').fill('Suzhou Guanqian');
    await page.getByTestId('new-store-address').fill('1 Guanqian Street, Suzhou');
    await page.getByTestId('open-store-submit').click();
    await page.getByTestId('store-opened').filter({ hasText: 'Suzhou Guanqian' }).waitFor();
    await rowOf(page, 'Suzhou Guanqian').waitFor();
    await assertAccessible(page, 'head office');

    // Work there: the app starts again on the new store's records, which come from the server.
    await rowOf(page, 'Suzhou Guanqian').getByTestId('work-here').click();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="store-switch"]')?.selectedOptions[0]?.textContent === 'Suzhou Guanqian');
    await page.goto(server.url + '/setup');
    await page.getByRole('heading', { level: 1, name: 'Store set-up' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Therapist Su');
    await page.getByLabel('Role', { exact: true }).selectOption('therapist');
    await page.getByRole('button', { name: 'Add staff member' }).click();
    await page.getByRole('cell', { name: 'Therapist Su', exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Service catalog' }).click();
    // Store one's services were copied (the demo's first one among them).
    await page.getByRole('row').filter({ hasText: 'Hydrating facial' }).waitFor();
    // Store one's customers were not.
    await page.goto(server.url + '/customers');
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    await page.getByTestId('customer-count').filter({ hasText: /^0 \/ 0 / }).waitFor();
    await addCustomer(page, 'Guest of Suzhou');
    const day = isoDay(30);
    await page.goto(server.url + `/calendar?day=${day}`);
    await page.getByTestId('day-view').waitFor();
    await page.locator('.day-view__free').first().click({ position: { x: 20, y: 400 } });
    const dialog = page.getByTestId('booking-dialog');
    await dialog.getByLabel('Customer', { exact: true }).fill('Guest');
    await dialog.locator('.suggestions button').first().click();
    await dialog.getByLabel('Start', { exact: true }).fill('10:00');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await syncNow(page, server.url);

    // The head office on that day: the new store's booking, store one's nothing (the demo left
    // that day empty); the store worked in is marked.
    await page.goto(server.url + '/head-office');
    await page.getByTestId('head-office-day').fill(day);
    await rowOf(page, 'Suzhou Guanqian').getByTestId('ho-bookings').filter({ hasText: /^1$/ }).waitFor();
    await rowOf(page, storeOne).getByTestId('ho-bookings').filter({ hasText: /^0$/ }).waitFor();
    await rowOf(page, 'Suzhou Guanqian').getByText('Current store').waitFor();
    // In Chinese.
    await page.getByTestId('lang-select').selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: '总部' }).waitFor();
    await page.getByRole('columnheader', { name: '逾期回访' }).waitFor();
    await rowOf(page, storeOne).getByRole('button', { name: '到此门店工作' }).waitFor();
    await assertAccessible(page, 'head office (zh)');
    await page.getByTestId('lang-select').selectOption('en');

    // Back to store one with the network off: its records are still on the device.
    await context.setOffline(true);
    const firstStore = await page.evaluate(() => [...document.querySelector('[data-testid="store-switch"]').options]
      .find((o) => o.textContent !== 'Suzhou Guanqian').value);
    await page.getByTestId('store-switch').selectOption(firstStore);
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await page.waitForFunction((id) => document.querySelector('[data-testid="store-switch"]')?.value === id, firstStore);
    await page.goto(server.url + '/customers');
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    await page.getByTestId('customer-search').fill('Guest of Suzhou');
    // Store one's two thousand customers, and not the other store's guest.
    await page.getByTestId('customer-count').filter({ hasText: /^0 \/ [1-9]/ }).waitFor();
    await context.setOffline(false);
    assert.notEqual(await currentStore(page), 'Suzhou Guanqian');

    // The chain's monthly report: store by store, then the chain's total in the report's own
    // tables. Store one's row is what store one's own report shows; the total adds Suzhou's.
    await page.goto(server.url + '/reports/monthly');
    const cell = (table, row) => page.getByTestId(table).locator('tr', { has: page.getByRole('rowheader', { name: row, exact: true }) }).locator('td');
    await cell('monthly-complaints', 'Received').waitFor();
    const ownReceived = (await cell('monthly-complaints', 'Received').innerText()).trim();
    const ownResponses = (await cell('monthly-satisfaction', 'Responses').innerText()).trim();
    await page.getByTestId('monthly-scope-chain').check();
    const stores = page.getByTestId('monthly-chain-stores');
    const storeRow = (name) => stores.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) }).locator('td');
    await storeRow('Whole chain').first().waitFor();
    assert.equal(await stores.locator('tbody tr').count(), 3);
    assert.equal((await storeRow(storeOne).nth(0).innerText()).trim(), ownResponses);
    assert.equal((await storeRow(storeOne).nth(3).innerText()).trim(), ownReceived);
    assert.equal((await storeRow('Suzhou Guanqian').nth(3).innerText()).trim(), '0');
    assert.equal((await storeRow('Whole chain').nth(3).innerText()).trim(), ownReceived);
    assert.equal((await cell('monthly-complaints', 'Received').innerText()).trim(), ownReceived);
    await page.getByTestId('monthly-chain-staff').waitFor();
    await assertAccessible(page, 'chain monthly report');
    const shots = async (name) => {
      if (!process.env.ORCHID_SCREENSHOTS) return;
      for (const [width, height] of [[1024, 768], [768, 1024]]) {
        await page.setViewportSize({ width, height });
        await page.screenshot({ path: `${process.env.ORCHID_SCREENSHOTS}/${name}-${width}x${height}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 1024, height: 768 });
    };
    await shots('chain-monthly-en');
    await page.getByTestId('lang-select').selectOption('zh-CN');
    await page.getByRole('heading', { level: 2, name: '全部门店（连锁）' }).waitFor();
    await storeRow('全连锁').first().waitFor();
    await assertAccessible(page, 'chain monthly report (zh)');
    await shots('chain-monthly-zh');
    await page.getByTestId('lang-select').selectOption('en');
    // Offline, the chain's report needs the server and says so; the store's own still opens.
    await context.setOffline(true);
    await page.getByTestId('monthly-chain-error').waitFor();
    await page.getByTestId('monthly-scope-store').check();
    await cell('monthly-complaints', 'Received').filter({ hasText: new RegExp(`^${ownReceived}$`) }).waitFor();
    await context.setOffline(false);
    assert.deepEqual(unexpectedErrors(errors), []);

    // The manager of store one: no head office (page and server), no other store.
    const managerContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
    managerContext.setDefaultTimeout(60_000);
    try {
      const manager = await managerContext.newPage();
      await firstSignIn(manager, server.url, 'manager1', managerPassword, 'manager one chose this');
      assert.equal(await manager.getByRole('link', { name: 'Head office' }).count(), 0);
      assert.equal(await manager.getByTestId('store-switch').count(), 0);
      await manager.goto(server.url + '/head-office');
      await manager.getByTestId('not-for-role').waitFor();
      const answers = await manager.evaluate(async () => {
        const { token } = JSON.parse(localStorage.getItem('orchid.session'));
        const headers = { authorization: `Bearer ${token}` };
        const office = await fetch('/api/v1/head-office', { headers });
        const stores = await (await fetch('/api/v1/stores', { headers })).json();
        return { office: office.status, stores: stores.stores.map((s) => s.name) };
      });
      assert.equal(answers.office, 403);
      assert.deepEqual(answers.stores.length, 1);
      assert.ok(!answers.stores.includes('Suzhou Guanqian'));
    } finally {
      await managerContext.close();
    }
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a therapist the owner lets work in a second store switches to it and back', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 768, height: 1024 } });
  context.setDefaultTimeout(60_000);
  try {
    const owner = await context.newPage();
    const errors = watchErrors(owner);
    await owner.goto(server.url + '/sign-in');
    await waitForServiceWorker(owner);
    await owner.getByLabel('登录名').fill('owner');
    await owner.getByLabel('密码').fill(OWNER_PASSWORD);
    await owner.getByRole('button', { name: '登录' }).click();
    await owner.getByRole('heading', { level: 1, name: '今日' }).waitFor();
    await owner.goto(server.url + '/head-office');
    await owner.getByTestId('new-store-name').fill('徐汇店');
    await owner.getByTestId('open-store-submit').click();
    await owner.getByTestId('store-opened').waitFor();
    await owner.getByTestId('lang-select').selectOption('en');
    const password = await makeLogin(owner, server.url, 'Lin Therapist', 'therapist', 'lin');
    // Set-up → Logins: the chain's other store offered for her; ticked.
    const row = owner.locator('[data-testid="login-row"][data-name="Lin Therapist"]');
    const box = row.getByTestId('also-works-in').getByRole('checkbox', { name: '徐汇店' });
    const posted = owner.waitForResponse((r) => r.url().endsWith('/stores') && r.request().method() === 'POST');
    await box.check();
    assert.equal((await posted).status(), 200);
    await row.getByTestId('also-works-in').getByRole('checkbox', { name: '徐汇店', checked: true }).waitFor();
    assert.deepEqual(unexpectedErrors(errors), []);

    const therapistContext = await browser.newContext({ locale: 'en-US', viewport: { width: 768, height: 1024 } });
    therapistContext.setDefaultTimeout(60_000);
    try {
      const therapist = await therapistContext.newPage();
      await firstSignIn(therapist, server.url, 'lin', password, 'lin chose this one');
      // Her two stores in the header; the second one opens on its own records.
      const storeSwitch = therapist.getByTestId('store-switch');
      await storeSwitch.locator('option', { hasText: '徐汇店' }).waitFor({ state: 'attached' });
      await storeSwitch.selectOption({ label: '徐汇店' });
      await therapist.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
      await therapist.waitForFunction(() => document.querySelector('[data-testid="store-switch"]')?.selectedOptions[0]?.textContent === '徐汇店');
      await addCustomer(therapist, 'Guest in Xuhui');
      await therapist.goto(server.url + '/settings');
      await therapist.getByTestId('sync-now').click();
      await therapist.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor();
      // The server took it as hers, in that store.
      const logged = await therapist.evaluate(async () => {
        const { token, staff_id: staffId } = JSON.parse(localStorage.getItem('orchid.session'));
        const stores = await (await fetch('/api/v1/stores', { headers: { authorization: `Bearer ${token}` } })).json();
        const xuhui = stores.stores.find((s) => s.name === '徐汇店').id;
        const pull = await fetch('/api/v1/sync/pull', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ format_version: 1, client_id: crypto.randomUUID(), store_id: xuhui, cursor: null, limit: 1000 }),
        });
        const body = await pull.json();
        return body.changes.map((c) => c.mutation).filter((m) => m.kind === 'customer.upsert' && m.actor.staff_id === staffId).length;
      });
      assert.equal(logged, 1);
      // Back to her own store: the other store's guest is not among its customers.
      await therapist.getByTestId('store-switch').selectOption({ index: 0 });
      await therapist.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
      await therapist.waitForFunction(() => document.querySelector('[data-testid="store-switch"]')?.selectedIndex === 0);
      await therapist.goto(server.url + '/customers');
      await therapist.getByTestId('customer-search').fill('Guest in Xuhui');
      await therapist.getByTestId('customer-count').filter({ hasText: /^0 \// }).waitFor();
    } finally {
      await therapistContext.close();
    }
  } finally {
    await context.close();
    await server.stop();
  }
});
