// The sales and stock report, levels and points, end to end with the network off: the owner sets
// the Gold discount (10%) and points that pay (10 points take 1 yuan off); offline, she makes a
// customer Gold in her file, checks her out by WeChat Pay (the 10% comes off, points are earned),
// again with her points taken off and the rest in cash, and a third time by Alipay, which she
// voids; a walk-in buys two creams (ten received for ¥500) by bank card. The sales report's figures
// move by exactly those sums: WeChat Pay, cash, bank card and points up by what the receipts say,
// Alipay sold and voided alike; the points held are hers; eight creams are worth ¥400. Both
// languages, axe on every screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, signInAsOwner,
  addCustomer, syncNow, demoMorning, screenshots,
} from './harness.mjs';

const CREAM = 'Rose cream 玫瑰面霜';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** "¥1,234.50" or "¥-80.00" → fen. */
function fen(text) {
  const m = text.replace(/,/g, '').match(/(-?\d+)\.(\d\d)/);
  assert.ok(m, `no amount in ${text}`);
  const sign = m[1].startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(m[1])) * 100 + Number(m[2]));
}

function yuan(f) {
  return `¥${(f / 100).toFixed(2)}`;
}

/** The sales-by-means table as { means: { sold, voided, net, count } } in fen. */
async function salesByMeans(page) {
  const table = page.getByTestId('sales-by-means');
  await table.waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => c.textContent.trim())));
  const out = {};
  for (const [means, sold, voided, net, count] of rows) {
    out[means] = { sold: fen(sold), voided: fen(voided), net: fen(net), count: Number(count) };
  }
  return out;
}

/** A figure of a two-column table, by its row header. */
async function figure(page, testid, name) {
  const row = page.getByTestId(testid).locator('tbody tr').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  return (await row.locator('td').first().textContent()).trim();
}

/** A picture of a form open on the page (the harness's `screenshots` reloads, closing it). */
async function shot(page, name) {
  const dir = process.env.ORCHID_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}-en-1024x768.png`, fullPage: true });
}

async function openReport(page, url) {
  await page.goto(url + '/reports');
  await page.getByTestId('sales-link').click();
  await page.getByRole('heading', { level: 1, name: /Sales and stock report/ }).waitFor();
  return salesByMeans(page);
}

/** Her check-out of the catalogue's first service; returns the bill's total (fen) and the receipt. */
async function checkOut(page, url, customerId, { means, usePoints = false, expectTotal }) {
  await page.goto(`${url}/checkout?customer=${customerId}`);
  const bill = page.getByTestId('bill');
  await bill.waitFor();
  const select = bill.getByTestId('checkout-service');
  const label = (await select.locator('option').nth(1).textContent()).trim();
  await select.selectOption({ label });
  await bill.getByTestId('add-service').click();
  await bill.getByTestId('bill-line').first().waitFor();
  await bill.getByTestId('checkout-means').selectOption(means);
  if (usePoints) await bill.getByTestId('use-points').check();
  if (expectTotal) await bill.getByTestId('bill-total').filter({ hasText: yuan(expectTotal) }).waitFor();
  if (usePoints) {
    await bill.getByTestId('bill-payment').filter({ hasText: 'Points' }).waitFor();
    await assertAccessible(page, 'check-out, points taken off');
    await shot(page, 'bill-with-points');
  }
  const total = fen(await bill.getByTestId('bill-total').textContent());
  const payments = await bill.getByTestId('bill-payment').allTextContents();
  await bill.getByTestId('confirm-checkout').click();
  const receipt = page.getByTestId('receipt');
  await receipt.waitFor();
  assert.equal(fen(await receipt.getByTestId('receipt-total').textContent()), total);
  return { total, payments, label, receipt };
}

test('sales report offline: a level set, points spent, sales by means equal the receipts, a void subtracted', { timeout: 900_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(30_000);
  await context.clock.install({ time: demoMorning() });
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    await page.getByTestId('load-demo').click();
    await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });

    // The store's rules: Gold takes 10% off; 10 points take 1 yuan off.
    await page.goto(server.url + '/setup');
    await page.getByRole('tab', { name: 'Hours and limits' }).click();
    await page.getByLabel('Gold discount (%)').fill('10');
    await page.getByLabel('Points that take 1 yuan off (0 = points do not pay)').fill('10');
    await page.getByRole('button', { name: 'Save hours and limits' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    // A retail cream: ten received for ¥500 the batch (¥50 each).
    await page.getByRole('link', { name: 'Stock', exact: true }).click();
    await page.getByTestId('new-product').click();
    const form = page.getByTestId('product-form');
    await form.getByLabel('Product name').fill(CREAM);
    await form.getByLabel('Unit').selectOption('piece');
    await form.getByLabel('Use', { exact: true }).selectOption('retail');
    await form.getByLabel('Retail price (yuan)').fill('150');
    await form.getByRole('button', { name: 'Save product' }).click();
    const card = page.locator(`[data-testid="stock-product"][data-name="${CREAM}"]`);
    await card.getByTestId('receive').click();
    const receive = card.getByTestId('receive-form');
    await receive.getByLabel('Batch number').fill('RC-07');
    await receive.getByLabel('Expires on').fill('2031-01-01');
    await receive.getByLabel('Quantity').fill('10');
    await receive.getByLabel('Cost (yuan, whole batch)').fill('500');
    await receive.getByTestId('save-receive').click();
    await card.getByTestId('product-total').filter({ hasText: /^10 pcs$/ }).waitFor();
    await syncNow(page, server.url);

    // From here on, no network.
    await context.setOffline(true);
    await page.getByTestId('net-status').filter({ hasText: /Offline|离线/ }).waitFor();

    const before = await openReport(page, server.url);
    const pointsBefore = Number(await figure(page, 'sales-owed', 'Points held'));

    // The manager (here the owner) makes her Gold in her file.
    await addCustomer(page, 'Lin Baoyu 林宝玉');
    const customerId = page.url().split('/customers/')[1];
    const balances = page.getByTestId('customer-balances');
    await balances.getByTestId('open-set-level').click();
    const levelForm = balances.getByTestId('level-form');
    await levelForm.getByTestId('level-choice').selectOption('gold');
    await assertAccessible(page, 'customer file, setting a level');
    await shot(page, 'level-form');
    await levelForm.getByTestId('save-level').click();
    await levelForm.waitFor({ state: 'detached' });
    await balances.getByTestId('balance-level').filter({ hasText: /^Gold$/ }).waitFor();
    await balances.getByTestId('balance-history').filter({ hasText: 'Level set to Gold' }).waitFor();

    // WeChat Pay: the service less Gold's 10%; a point per yuan paid.
    const first = await checkOut(page, server.url, customerId, { means: 'wechat_pay' });
    const price = fen(first.label);
    const discounted = price - Math.floor((price * 10) / 100);
    assert.equal(first.total, discounted, `${first.label}: 10% off`);
    assert.deepEqual(first.payments, [`WeChat Pay · ${yuan(discounted)}`]);
    const earned = Math.floor(discounted / 100);
    await first.receipt.getByTestId('receipt-balances').getByTestId('balance-points').filter({ hasText: new RegExp(`^${earned}$`) }).waitFor();

    // Her points taken off in whole yuan (10 points a yuan), the rest in cash.
    const off = Math.min(Math.floor(earned / 10), Math.floor(discounted / 100));
    assert.ok(off > 0, 'she earned enough points for a yuan off');
    const second = await checkOut(page, server.url, customerId, { means: 'cash', usePoints: true, expectTotal: discounted });
    const cash = discounted - off * 100;
    assert.deepEqual(second.payments, [`Points ${off * 10} · ${yuan(off * 100)}`, `Cash · ${yuan(cash)}`]);
    await second.receipt.getByTestId('receipt-payment').filter({ hasText: `Points ${off * 10}` }).waitFor();
    await assertAccessible(page, 'check-out, a receipt with points');
    const herPoints = earned - off * 10 + Math.floor(cash / 100);
    await second.receipt.getByTestId('receipt-balances').getByTestId('balance-points').filter({ hasText: new RegExp(`^${herPoints}$`) }).waitFor();

    // Alipay, then voided with a reason.
    const third = await checkOut(page, server.url, customerId, { means: 'alipay', expectTotal: discounted });
    assert.deepEqual(third.payments, [`Alipay · ${yuan(discounted)}`]);
    await page.goto(server.url + '/checkout');
    // Newest first: the Alipay one is her latest.
    const recent = page.getByTestId('recent-checkout').filter({ hasText: 'Lin Baoyu' }).first();
    await recent.filter({ hasText: yuan(discounted) }).waitFor();
    await recent.getByTestId('void-checkout').click();
    await recent.getByTestId('void-reason').fill('顾客改用微信');
    await recent.getByTestId('confirm-void').click();
    await page.getByTestId('voided-badge').first().waitFor();

    // A walk-in buys two creams by bank card.
    await page.goto(server.url + '/checkout');
    const bill = page.getByTestId('bill');
    await bill.getByTestId('checkout-anonymous').waitFor();
    await bill.getByTestId('checkout-product').selectOption({ label: `${CREAM} · ¥150.00` });
    await bill.getByTestId('checkout-qty').fill('2');
    await bill.getByTestId('add-product').click();
    await bill.getByTestId('checkout-means').selectOption('bank_card');
    await bill.getByTestId('bill-payment').filter({ hasText: 'Bank card · ¥300.00' }).waitFor();
    await bill.getByTestId('confirm-checkout').click();
    await page.getByTestId('receipt').waitFor();

    // The report moved by exactly those sums.
    const after = await openReport(page, server.url);
    const moved = (means) => ({
      sold: after[means].sold - before[means].sold,
      voided: after[means].voided - before[means].voided,
      net: after[means].net - before[means].net,
      count: after[means].count - before[means].count,
    });
    assert.deepEqual(moved('WeChat Pay'), { sold: discounted, voided: 0, net: discounted, count: 1 });
    assert.deepEqual(moved('Cash'), { sold: cash, voided: 0, net: cash, count: 1 });
    assert.deepEqual(moved('Points'), { sold: off * 100, voided: 0, net: off * 100, count: off * 10 });
    assert.deepEqual(moved('Alipay'), { sold: discounted, voided: discounted, net: 0, count: 0 });
    assert.deepEqual(moved('Bank card'), { sold: 30000, voided: 0, net: 30000, count: 1 });
    assert.deepEqual(moved('Stored value'), { sold: 0, voided: 0, net: 0, count: 0 });
    const money = (t) => Object.entries(t).filter(([m]) => m !== 'Points' && m !== 'Package sessions').reduce((s, [, f]) => s + f.net, 0);
    assert.equal(fen(await figure(page, 'sales-totals', 'Money taken this month (package sessions and points not counted)')), money(after));
    assert.equal(money(after) - money(before), discounted + cash + 30000);
    // The void took back the points the Alipay check-out earned: hers are what the store holds more.
    assert.equal(Number(await figure(page, 'sales-owed', 'Points held')) - pointsBefore, herPoints);
    // Eight creams left at ¥50 each; the month's movements: 10 in, 2 sold.
    const stockRow = page.getByTestId('sales-stock').locator('tbody tr').filter({ hasText: CREAM });
    assert.deepEqual(await stockRow.locator('th, td').allTextContents(), [CREAM, '8 pcs', '¥400.00', '0 pcs']);
    const total = page.getByTestId('sales-stock').locator('tbody tr').filter({ hasText: 'Total stock value' });
    assert.equal((await total.locator('td').nth(1).textContent()).trim(), '¥400.00');
    const moves = page.getByTestId('sales-movements').locator('tbody tr').filter({ hasText: CREAM });
    assert.deepEqual(await moves.locator('th, td').allTextContents(), [CREAM, '10 pcs', '0 pcs', '-2 pcs', '0 pcs', '0 pcs', '8 pcs']);
    await page.getByTestId('money-chart').waitFor();
    await assertAccessible(page, 'sales report');
    await screenshots(page, 'sales-report', 'sales-by-means');

    // Chinese.
    await page.getByTestId('lang-select').selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: /营业与库存报表/ }).waitFor();
    await page.getByTestId('sales-by-means').getByRole('rowheader', { name: '积分抵扣' }).waitFor();
    await assertAccessible(page, 'sales report in Chinese');

    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
