// An erasure erases everywhere: the desk erases a customer while a tablet is offline with a
// booking for her queued, its needs in her words. When the tablet comes back, neither device's
// IndexedDB nor the server's log holds her name or those words; the booking stays, as a fact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, signInAsOwner, addCustomer, isoDay,
  OWNER_PASSWORD, waitForServiceWorker, syncNow, serverLog,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Everything the page's origin keeps in IndexedDB, as text (byte fields decoded as UTF-8). */
async function storedText(page) {
  return page.evaluate(async () => {
    const open = (name) => new Promise((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const bytes = (v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder().decode(v) : v);
    let text = '';
    for (const { name } of await indexedDB.databases()) {
      const db = await open(name);
      for (const store of db.objectStoreNames) {
        const rows = await new Promise((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        text += JSON.stringify(rows, (_, v) => bytes(v));
      }
      db.close();
    }
    return text;
  });
}

const HER = 'Erasure Test Wu';
const NEEDS = '秘密的需要：她怀孕了';

test('an erasure reaches a tablet that was offline with a booking for her queued', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const desk = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });
  const tablet = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
  for (const c of [desk, tablet]) c.setDefaultTimeout(60_000);
  try {
    const deskPage = await desk.newPage();
    const deskErrors = watchErrors(deskPage);
    await signInAsOwner(deskPage, server.url);
    await deskPage.getByTestId('load-demo').click();
    await deskPage.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });
    await addCustomer(deskPage, HER);
    const herFile = deskPage.url();
    await syncNow(deskPage, server.url);

    const tabletPage = await tablet.newPage();
    const tabletErrors = watchErrors(tabletPage);
    await tabletPage.goto(server.url + '/sign-in');
    await tabletPage.getByLabel('登录名').fill('owner');
    await tabletPage.getByLabel('密码').fill(OWNER_PASSWORD);
    await tabletPage.getByRole('button', { name: '登录' }).click();
    await tabletPage.getByRole('heading', { level: 1, name: '今日' }).waitFor();
    await waitForServiceWorker(tabletPage);
    await syncNow(tabletPage, server.url);
    // The demo store is a long pull: it ends (stored as a whole) before the page is left.
    await tabletPage.getByTestId('sync-phase').filter({ hasText: '已同步' }).waitFor({ timeout: 180_000 });
    await tabletPage.goto(server.url + '/customers');
    await tabletPage.getByTestId('customer-search').fill('Erasure');
    await tabletPage.locator('.customer-row', { hasText: HER }).waitFor();

    // The tablet, offline, books her with her needs in her words.
    const day = isoDay(27);
    await tabletPage.goto(server.url + `/calendar?day=${day}`);
    await tabletPage.getByTestId('day-view').waitFor();
    await tablet.setOffline(true);
    await tabletPage.locator('.day-view__free').first().click({ position: { x: 20, y: 100 } });
    const dialog = tabletPage.getByTestId('booking-dialog');
    await dialog.getByLabel('顾客', { exact: true }).fill('Erasure');
    await dialog.locator('.suggestions button').first().click();
    assert.equal((await dialog.getByTestId('booking-chosen').textContent()).trim(), HER);
    await dialog.getByLabel('开始时间').fill('11:00');
    await dialog.getByLabel('顾客需求').fill(NEEDS);
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    // What the test looks for is there to be found before the erasure.
    const before = await storedText(tabletPage);
    assert.ok(before.includes(NEEDS) && before.includes(HER));

    // Meanwhile the desk erases her.
    await deskPage.goto(herFile);
    await deskPage.getByRole('heading', { level: 1, name: HER }).waitFor();
    deskPage.once('dialog', (d) => d.accept());
    await deskPage.getByTestId('customer-erase').click();
    await deskPage.waitForURL(/\/customers$/);
    await syncNow(deskPage, server.url);

    // The tablet comes back: its booking goes up, the erasure comes down.
    await tablet.setOffline(false);
    await syncNow(tabletPage, server.url);
    await syncNow(deskPage, server.url);

    const log = JSON.stringify(await serverLog(deskPage));
    assert.ok(!log.includes(NEEDS) && !log.includes(HER), 'the server logs none of her data');
    for (const [page, who] of [[tabletPage, 'tablet'], [deskPage, 'desk']]) {
      const text = await storedText(page);
      assert.ok(!text.includes(NEEDS), `${who}: her words are gone`);
      assert.ok(!text.includes(HER), `${who}: her name is gone`);
    }
    // The booking stays, as a fact, on both devices.
    for (const page of [tabletPage, deskPage]) {
      await page.goto(server.url + `/calendar?day=${day}`);
      await page.getByTestId('day-view').waitFor();
      await page.getByTestId('booking').first().waitFor();
      assert.equal(await page.getByTestId('booking').count(), 1);
    }
    assert.deepEqual(unexpectedErrors(deskErrors), []);
    assert.deepEqual(unexpectedErrors(tabletErrors), []);
  } finally {
    await desk.close();
    await tablet.close();
    await server.stop();
  }
});
