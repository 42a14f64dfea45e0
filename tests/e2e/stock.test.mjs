// Products and stock, end to end with the network off after the first load: a manager adds a
// product counted in ml, receives a batch of 500 ml expiring soon and one already expired (said
// so); a therapist's bedside visit uses 5 ml (the batch in stock expiring first chosen for her,
// the expired one not offered); the Stock page shows 495 ml left of the batch; Today
// shows the expiring batch and, after a stocktake below the threshold, the low stock; the
// manager sets the visit's service to use 3 ml of the serum in Set-up and the sales and stock
// report sets 3 ml × the services done beside the 5 ml used, with the difference; bad input
// gets sentences in the user's language; both languages; axe; and once the network is back a
// second device sees the same levels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, signInAsOwner,
  firstSignIn, syncNow, serverLog,
  demoMorning,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const PRODUCT = 'Hyaluronic serum 玻尿酸精华';
const BATCH = 'HA-2026-01';
const OLD_BATCH = 'HA-2025-09';
const THERAPIST = '李娜';
const MANAGER = '刘店长';
const THERAPIST_PIN = '246810';
const MANAGER_PIN = '135792';


/** Gives a member of staff already on file (the demo's) a login; returns the first password. */
async function loginFor(page, url, name, login) {
  await page.goto(url + '/setup');
  await page.getByTestId('tab-logins').click();
  const row = page.locator(`[data-testid="login-row"][data-name="${name}"]`);
  await row.getByTestId('new-login-name').fill(login);
  await row.getByTestId('create-login').click();
  const shown = page.getByTestId('first-password').filter({ hasText: name });
  await shown.waitFor();
  return (await shown.getByTestId('first-password-value').textContent()).trim();
}

/** The active person's PIN, set in Settings while the server is reachable. */
async function setPin(page, pin) {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.locator('#pin-new').fill(pin);
  await page.locator('#pin-again').fill(pin);
  await page.getByRole('button', { name: 'Save PIN' }).click();
  await page.getByTestId('pin-setup-message').filter({ hasText: 'PIN saved' }).waitFor();
}

/** Unlocks the bedside tablet as `name` with her PIN (offline: checked on the device). */
async function unlockAs(page, name, pin) {
  const prompt = page.getByTestId('unlock');
  await prompt.getByRole('button', { name: new RegExp(name) }).click();
  await page.locator('#unlock-pin').fill(pin);
  await prompt.getByRole('button', { name: 'Unlock' }).click();
  await page.getByTestId('bedside-day').waitFor();
}

async function setLang(page, tag) {
  await page.getByTestId('lang-select').selectOption(tag);
}

/** Pictures of the page as it stands (a form open: no reload), in both languages and both
 *  sizes; `ready(lang)` waits until the page shows that language. */
async function shotsAsIs(page, name, ready) {
  const dir = process.env.ORCHID_SCREENSHOTS;
  if (!dir) return;
  const size = page.viewportSize();
  for (const lang of ['zh-CN', 'en']) {
    await setLang(page, lang);
    await ready(lang);
    for (const [width, height] of [[1024, 768], [768, 1024]]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `${dir}/${name}-${lang}-${width}x${height}.png`, fullPage: true });
    }
  }
  if (size) await page.setViewportSize(size);
}

/** The cells of the usage-per-service row of `product` in the sales and stock report. */
async function usageCells(page, product) {
  const row = page.getByTestId('sales-usage').locator('tbody tr').filter({ hasText: product });
  await row.waitFor();
  return (await row.locator('th, td').allTextContents()).map((c) => c.trim());
}

/** A difference as the report writes it: the sign, and a percentage rounded half away from 0. */
function signed(n, suffix) {
  return `${n > 0 ? '+' : ''}${n}${suffix}`;
}
function percentOf(diff, expected) {
  return Math.sign(diff) * Math.round((Math.abs(diff) * 100) / expected);
}

test('stock by batch offline: receive, use at the bedside, stocktake, alerts on Today, sync', { timeout: 600_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(30_000);
  await context.clock.install({ time: demoMorning() });
  let second;
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    await page.getByTestId('load-demo').click();
    await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });
    await syncNow(page, server.url);

    // Logins for the demo's therapist and manager; each signs in once here and sets her PIN.
    const linaFirst = await loginFor(page, server.url, THERAPIST, 'lina');
    const liuFirst = await loginFor(page, server.url, MANAGER, 'liu');
    await firstSignIn(page, server.url, 'lina', linaFirst, 'lina chose this one');
    await setPin(page, THERAPIST_PIN);
    await firstSignIn(page, server.url, 'liu', liuFirst, 'liu chose this one');
    await setPin(page, MANAGER_PIN);

    // From here on, no network.
    await context.setOffline(true);
    await page.getByTestId('net-status').filter({ hasText: 'Offline' }).waitFor();

    // The manager adds the product; bad input is answered in words.
    await page.getByRole('link', { name: 'Stock', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Products and stock' }).waitFor();
    await page.getByTestId('no-products').waitFor();
    await page.getByTestId('new-product').click();
    const form = page.getByTestId('product-form');
    await form.getByLabel('Low-stock threshold').fill('-3');
    await form.getByRole('button', { name: 'Save product' }).click();
    await form.getByTestId('product-error').filter({ hasText: "Write the product's name." }).waitFor();
    await form.getByLabel('Product name').fill(PRODUCT);
    await form.getByRole('button', { name: 'Save product' }).click();
    await form.getByTestId('product-error').filter({ hasText: 'must be 0 or a whole number' }).waitFor();
    await form.getByLabel('Low-stock threshold').fill('100');
    assert.equal(await form.getByLabel('Unit').inputValue(), 'ml');
    await form.getByLabel('Supplier').fill('华熙生物');
    await assertAccessible(page, 'stock page, new product form');
    await form.getByRole('button', { name: 'Save product' }).click();
    const card = page.locator(`[data-testid="stock-product"][data-name="${PRODUCT}"]`);
    await card.waitFor();
    await card.getByTestId('product-total').filter({ hasText: /^0 ml$/ }).waitFor();
    // Editing: the brand added, the rest kept.
    await card.getByTestId('edit-product').click();
    const edit = card.getByTestId('product-form');
    assert.equal(await edit.getByLabel('Low-stock threshold').inputValue(), '100');
    await edit.getByLabel('Brand').fill('Biohyalux');
    await edit.getByRole('button', { name: 'Save product' }).click();
    await card.filter({ hasText: 'Biohyalux' }).filter({ hasText: '华熙生物' }).waitFor();

    // Receiving: a batch of 500 ml expiring in ten days (the browser's clock).
    const soon = await page.evaluate(() => new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10));
    await card.getByTestId('receive').click();
    const receive = card.getByTestId('receive-form');
    await receive.getByLabel('Supplier').inputValue().then((v) => assert.equal(v, '华熙生物'));
    await receive.getByLabel('Quantity').fill('500');
    await receive.getByTestId('save-receive').click();
    await receive.getByTestId('receive-error').filter({ hasText: 'batch number' }).waitFor();
    await receive.getByLabel('Batch number').fill(BATCH);
    await receive.getByLabel('Expires on').fill(soon);
    await receive.getByLabel('Quantity').fill('five hundred');
    await receive.getByTestId('save-receive').click();
    await receive.getByTestId('receive-error').filter({ hasText: 'whole number above 0' }).waitFor();
    await receive.getByLabel('Quantity').fill('500');
    await receive.getByLabel(/Cost/).fill('1200');
    await assertAccessible(page, 'stock page, receiving');
    await receive.getByTestId('save-receive').click();
    await receive.waitFor({ state: 'detached' });
    const batchRow = card.locator(`[data-testid="batch-row"][data-batch="${BATCH}"]`);
    await batchRow.getByTestId('batch-level').filter({ hasText: /^500 ml$/ }).waitFor();
    await card.getByTestId('product-total').filter({ hasText: /^500 ml$/ }).waitFor();
    await batchRow.filter({ hasText: '10 days left' }).waitFor();

    // A batch already past its date is received (it is on the shelf), and said so.
    const past = await page.evaluate(() => new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10));
    await card.getByTestId('receive').click();
    await receive.getByLabel('Batch number').fill(OLD_BATCH);
    await receive.getByLabel('Expires on').fill(past);
    await receive.getByLabel('Quantity').fill('20');
    await receive.getByTestId('save-receive').click();
    await receive.getByTestId('receive-expired').filter({ hasText: 'already expired' }).waitFor();
    await receive.getByRole('button', { name: 'Cancel' }).click();
    const oldRow = card.locator(`[data-testid="batch-row"][data-batch="${OLD_BATCH}"]`);
    await oldRow.filter({ hasText: 'Expired' }).getByTestId('batch-level').filter({ hasText: /^20 ml$/ }).waitFor();
    await card.getByTestId('product-total').filter({ hasText: /^520 ml$/ }).waitFor();

    // Today: the batch expiring within the store's window (30 days by default).
    await page.getByRole('link', { name: 'Today', exact: true }).click();
    const alerts = page.getByTestId('stock-alerts');
    await alerts.getByTestId('alert-expiring').filter({ hasText: BATCH }).waitFor();
    await alerts.getByTestId('alert-expired').filter({ hasText: OLD_BATCH }).waitFor();
    assert.equal(await alerts.getByTestId('alert-low').count(), 0);

    // The therapist at the bedside: the batch in stock expiring first is chosen — not the
    // expired one — and she uses 5 ml.
    await page.getByRole('link', { name: 'Bedside', exact: true }).click();
    await page.getByTestId('bedside-lock').waitFor();
    await unlockAs(page, THERAPIST, THERAPIST_PIN);
    const rows = page.getByTestId('bedside-appointment').filter({ has: page.getByTestId('start-visit') });
    let started = false;
    // A demo customer may have an allergy the service stops for: then the next appointment.
    for (let i = 0; i < (await rows.count()) && !started; i += 1) {
      await rows.nth(i).getByTestId('start-visit').click();
      await page.getByTestId('visit').waitFor();
      await page.getByTestId('consultation').getByText('No', { exact: true }).click();
      await page.getByTestId('run-check').click();
      await page.locator('[data-testid="check-ok"], [data-testid="check-blocked"]').first().waitFor();
      if (await page.getByTestId('check-ok').count()) {
        started = true;
      } else {
        await page.getByRole('button', { name: 'Back to today' }).click();
        await page.getByTestId('bedside-day').waitFor();
      }
    }
    assert.ok(started, 'a visit of the therapist that may go ahead');
    const products = page.getByTestId('products');
    await products.getByLabel('Product').selectOption({ label: PRODUCT });
    const batchPick = products.getByLabel('Batch');
    await page.waitForFunction(
      () => document.querySelector('#batch-pick').selectedOptions[0]?.textContent.includes('HA-2026-01'),
    );
    assert.match(await batchPick.locator('option:checked').textContent(), /500 ml/);
    // The expired batch is not offered.
    assert.equal(await batchPick.locator('option', { hasText: OLD_BATCH }).count(), 0);
    await products.getByLabel(/Amount/).fill('5');
    await assertAccessible(page, 'bedside products with batch');
    await products.getByTestId('add-product').click();
    await products.getByTestId('product-used').filter({ hasText: '5 ml' }).filter({ hasText: BATCH }).waitFor();

    // The therapist may see stock and count it, not add or receive products.
    await page.getByRole('link', { name: 'Stock', exact: true }).click();
    await card.getByTestId('product-total').filter({ hasText: /^515 ml$/ }).waitFor();
    await batchRow.getByTestId('batch-level').filter({ hasText: /^495 ml$/ }).waitFor();
    await oldRow.getByTestId('batch-level').filter({ hasText: /^20 ml$/ }).waitFor();
    assert.equal(await page.getByTestId('new-product').count(), 0);
    assert.equal(await card.getByTestId('receive').count(), 0);
    assert.equal(await card.getByTestId('edit-product').count(), 0);

    // In Chinese.
    await setLang(page, 'zh-CN');
    await page.getByRole('heading', { level: 1, name: '产品与库存' }).waitFor();
    await batchRow.getByTestId('batch-level').filter({ hasText: /^495 ml$/ }).waitFor();
    await oldRow.filter({ hasText: '已过期' }).waitFor();
    await assertAccessible(page, 'stock page in Chinese');

    // The manager takes the tablet back (her PIN) and counts the batch: 60 ml are left, 80 ml
    // with the expired batch, below the threshold of 100.
    await page.getByRole('link', { name: '床边服务', exact: true }).click();
    await page.getByTestId('lock-now').click();
    await page.getByTestId('bedside-lock').waitFor();
    await setLang(page, 'en');
    await unlockAs(page, MANAGER, MANAGER_PIN);
    await page.getByRole('link', { name: 'Stock', exact: true }).click();
    await batchRow.getByTestId('stocktake').click();
    const count = card.getByTestId('count-form');
    await count.getByLabel(/Counted/).fill('600');
    await count.getByLabel('Reason').selectOption({ label: 'Damaged' });
    await count.getByTestId('save-count').click();
    await count.getByTestId('count-error').filter({ hasText: 'does not fit' }).waitFor();
    await count.getByLabel(/Counted/).fill('-2');
    await count.getByTestId('save-count').click();
    await count.getByTestId('count-error').filter({ hasText: 'must be 0 or a whole number' }).waitFor();
    await count.getByLabel(/Counted/).fill('60');
    await count.getByLabel('Reason').selectOption({ label: 'Count correction' });
    await assertAccessible(page, 'stocktake');
    await count.getByTestId('save-count').click();
    await batchRow.getByTestId('batch-level').filter({ hasText: /^60 ml$/ }).waitFor();
    await card.getByTestId('product-total').filter({ hasText: /^80 ml$/ }).waitFor();
    await card.getByTestId('low-badge').waitFor();
    // Where the level comes from: every movement, with who made it.
    await card.getByTestId('movements').locator('summary').click();
    const history = card.getByTestId('movement');
    await history.filter({ hasText: 'Used in a service' }).filter({ hasText: '-5 ml' }).filter({ hasText: THERAPIST }).waitFor();
    await history.filter({ hasText: 'Count correction' }).filter({ hasText: '-435 ml' }).filter({ hasText: MANAGER }).waitFor();
    assert.equal(await history.count(), 4);

    // Where the batch went: the visit that used it; the recall plans a care call to its customer,
    // once however often it is pressed.
    await batchRow.getByTestId('trace').click();
    const trace = card.getByTestId('trace-panel');
    await trace.getByTestId('trace-use').filter({ hasText: THERAPIST }).filter({ hasText: '5 ml' }).waitFor();
    assert.equal(await trace.getByTestId('trace-use').count(), 1);
    await assertAccessible(page, 'batch trace');
    await trace.getByTestId('recall').click();
    await trace.getByTestId('recall-done').filter({ hasText: 'Care calls planned for customers: 1' }).waitFor();
    await trace.getByTestId('recall').click();
    await trace.getByTestId('recall-done').filter({ hasText: 'Care calls planned for customers: 1' }).waitFor();
    await trace.getByRole('link', { name: 'Open follow-ups' }).click();
    await page.getByText(`Batch recall: ${BATCH}`).first().waitFor();
    assert.equal(await page.getByText(`Batch recall: ${BATCH}`).count(), 1);

    // A walk-in complains about the batch: her case leads to its other customers — the one
    // whose visit used it — and to the same recall, which plans no second call.
    await page.getByRole('link', { name: 'Stock', exact: true }).click();
    await batchRow.getByTestId('trace').click();
    const served = (await card.getByTestId('trace-panel').getByTestId('trace-use').getByRole('link').innerText()).trim();
    await page.getByRole('link', { name: 'Complaints', exact: true }).click();
    await page.getByRole('link', { name: 'New complaint' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New complaint' }).waitFor();
    await page.getByLabel("Customer's name").fill('Wu Fang');
    await page.getByLabel('Phone or contact').fill('13900001111');
    await page.getByLabel('What happened').fill('Redness after the serum.');
    await page.getByLabel('What the customer expects').fill('To know what it was.');
    await page.getByLabel('Batch on file').selectOption({ label: `${PRODUCT} · ${BATCH}` });
    await page.getByRole('button', { name: 'Log the complaint' }).click();
    const others = page.getByTestId('complaint-batch-others');
    await others.getByRole('link', { name: served }).waitFor();
    await assertAccessible(page, 'complaint with the batch and its other customers');
    await others.getByTestId('complaint-recall').click();
    await others.getByTestId('complaint-recall-done').filter({ hasText: 'Care calls planned for customers: 1' }).waitFor();
    await page.getByRole('link', { name: 'Follow-ups', exact: true }).click();
    await page.getByText(`Batch recall: ${BATCH}`).first().waitFor();
    assert.equal(await page.getByText(`Batch recall: ${BATCH}`).count(), 1);
    await page.getByRole('link', { name: 'Stock', exact: true }).click();

    // Expected against actual use. The report, before any standard: the visit's 5 ml under its
    // service, no expected figure. (Links, not reloads: a reload opens this shared device on its
    // lock.)
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.getByTestId('sales-link').click();
    await page.getByRole('heading', { level: 1, name: /Sales and stock report/ }).waitFor();
    const before = await usageCells(page, PRODUCT);
    const service = before[0];
    const done = Number(before[2]);
    assert.ok(done >= 1, `the visit's service was done this month: ${before}`);
    assert.deepEqual(before.slice(1), [PRODUCT, String(done), 'No standard set', '5 ml', '', '']);

    // The manager gives that service a standard use of 3 ml of the serum in Set-up; a line
    // without a product, or a quantity outside the core's bounds, is answered in words and
    // nothing is saved.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'Store set-up' }).click();
    await page.getByRole('tab', { name: 'Service catalog' }).click();
    await page.locator('.setup-table tbody tr')
      .filter({ has: page.getByRole('cell', { name: service, exact: true }) })
      .getByRole('button', { name: 'Edit' }).click();
    const standard = page.getByTestId('standard-use');
    await standard.getByTestId('add-standard-use').click();
    const line = standard.getByTestId('standard-use-line');
    await line.getByTestId('standard-qty').fill('3');
    await page.getByRole('button', { name: 'Save service' }).click();
    await standard.getByTestId('standard-use-error').filter({ hasText: 'Choose a product on each line' }).waitFor();
    await line.getByTestId('standard-product').selectOption({ label: PRODUCT });
    await line.getByText('Quantity per service (ml)').waitFor();
    await line.getByTestId('standard-qty').fill('0');
    await page.getByRole('button', { name: 'Save service' }).click();
    await standard.getByTestId('standard-use-error').filter({ hasText: 'from 1 to 10,000' }).waitFor();
    await line.getByTestId('standard-qty').fill('10001');
    await page.getByRole('button', { name: 'Save service' }).click();
    await standard.getByTestId('standard-use-error').filter({ hasText: 'from 1 to 10,000' }).waitFor();
    // Removing a line takes it away; the one left is saved.
    await standard.getByTestId('add-standard-use').click();
    assert.equal(await line.count(), 2);
    await line.nth(1).getByTestId('remove-standard-use').click();
    assert.equal(await line.count(), 1);
    await line.getByTestId('standard-qty').fill('3');
    await assertAccessible(page, "set-up, a service's standard use");
    await shotsAsIs(page, 'standard-use', (lang) =>
      standard.locator('legend').filter({ hasText: lang === 'en' ? 'Standard product use' : '标准产品用量' }).waitFor());
    await page.getByRole('button', { name: 'Save service' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal(await standard.getByTestId('standard-use-error').textContent(), '');

    // The report: 3 ml × the services done expected, 5 ml used, the difference in ml and %.
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.getByTestId('sales-link').click();
    const expected = 3 * done;
    const diff = 5 - expected;
    assert.deepEqual(await usageCells(page, PRODUCT), [
      service, PRODUCT, String(done), `${expected} ml`, '5 ml', signed(diff, ' ml'), signed(percentOf(diff, expected), '%'),
    ]);
    assert.deepEqual(
      (await page.getByTestId('sales-usage').locator('thead th').allTextContents()).map((c) => c.trim()),
      ['Service', 'Product', 'Services done', 'Expected', 'Actual', 'Difference', 'Difference %'],
    );
    await assertAccessible(page, 'sales report with expected use');
    await shotsAsIs(page, 'sales-usage', (lang) =>
      page.getByTestId('sales-usage').getByRole('columnheader', { name: lang === 'en' ? 'Expected' : '标准用量' }).waitFor());
    await setLang(page, 'zh-CN');
    await page.getByTestId('sales-usage').getByRole('columnheader', { name: '标准用量' }).waitFor();
    await assertAccessible(page, 'sales report with expected use, in Chinese');
    await setLang(page, 'en');
    await page.getByRole('link', { name: 'Stock', exact: true }).click();

    await setLang(page, 'zh-CN');
    await page.getByRole('link', { name: '今日', exact: true }).click();
    await alerts.getByRole('heading', { name: '库存提醒' }).waitFor();
    await alerts.getByTestId('alert-low').filter({ hasText: PRODUCT }).filter({ hasText: '80 ml' }).waitFor();
    await alerts.getByTestId('alert-expiring').filter({ hasText: BATCH }).waitFor();
    await alerts.getByText('即将过期').waitFor();
    await alerts.getByText('库存不足').waitFor();
    await alerts.getByTestId('alert-expired').filter({ hasText: OLD_BATCH }).filter({ hasText: '20 ml' }).waitFor();
    await assertAccessible(page, 'Today with stock alerts');
    await alerts.getByTestId('alert-low').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: '产品与库存' }).waitFor();
    await setLang(page, 'en');
    assert.deepEqual(unexpectedErrors(errors), []);

    // Back online: everything reaches the server, and a second device sums the same levels.
    await context.setOffline(false);
    await syncNow(page, server.url);
    // The server accepted each movement from the person who made it: received by the manager,
    // used in the visit's record by the therapist, the count's correction by the manager.
    const { mutations } = await serverLog(page);
    const moves = mutations.filter((m) => m.kind === 'stock.move');
    assert.deepEqual(
      moves.map((m) => [m.payload.reason, m.payload.delta, m.actor.role]),
      [
        ['received', 500, 'manager'], ['received', 20, 'manager'], ['used_in_service', -5, 'therapist'],
        ['adjustment', -435, 'manager'],
      ],
    );
    const used = mutations.find((m) => m.kind === 'service_record.entry' && m.payload.type === 'product_used');
    assert.equal(used.payload.record_id, moves[2].payload.record_id);
    assert.equal(used.payload.batch_id, moves[0].payload.batch_id);
    assert.equal(mutations.filter((m) => m.kind === 'batch.add').length, 2);
    second = await browser.newContext({ locale: 'en-US', viewport: { width: 768, height: 1024 } });
    second.setDefaultTimeout(30_000);
    const other = await second.newPage();
    await signInAsOwner(other, server.url);
    await other.getByRole('link', { name: 'Stock', exact: true }).click();
    const there = other.locator(`[data-testid="stock-product"][data-name="${PRODUCT}"]`);
    await there.getByTestId('product-total').filter({ hasText: /^80 ml$/ }).waitFor({ timeout: 180_000 });
    await there.locator(`[data-testid="batch-row"][data-batch="${BATCH}"]`).getByTestId('batch-level')
      .filter({ hasText: /^60 ml$/ }).waitFor();
    await there.getByTestId('low-badge').waitFor();
  } finally {
    await second?.close();
    await context.close();
    await server.stop();
  }
});
