// Check-out, memberships, stored value and packages, end to end with the network off: the owner
// sets up a retail product with a batch in stock and the store's top-up offer; offline, the desk checks a booked customer in,
// sells her a package of two sessions for the visit's service and tops up her card (1,000 paid,
// 200 bonus); the visit's check-out redeems a session, the card pays the cream, points are
// earned and the receipt shows her balances after; an anonymous retail sale moves the stock.
// Then two devices offline (the owner's and the manager's) each redeem her last session: after
// both sync, both check-outs exist, her package shows −1 and the manager sees the overdrawn item,
// settles it, and voids one check-out with a reason. Both languages, axe on every screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, signInAsOwner,
  firstSignIn, makeLogin, syncNow, demoMorning, screenshots,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const CREAM = 'Rose cream 玫瑰面霜';

async function goOffline(context, page) {
  await context.setOffline(true);
  await page.getByTestId('net-status').filter({ hasText: /Offline|离线/ }).waitFor();
}

async function goOnline(context, page) {
  await context.setOffline(false);
  await page.getByTestId('net-status').filter({ hasText: /Online|在线/ }).waitFor();
}

/** Opens the check-out of her with the visit's service on the bill and confirms it (English). */
async function redeemForHer(page, url, customerId, service) {
  await page.goto(`${url}/checkout?customer=${customerId}`);
  const bill = page.getByTestId('bill');
  await bill.waitFor();
  await bill.getByTestId('checkout-service').selectOption({ label: service.option });
  await bill.getByTestId('add-service').click();
  await bill.getByTestId('bill-payment').filter({ hasText: 'Package session' }).waitFor();
  await bill.getByTestId('confirm-checkout').click();
  const receipt = page.getByTestId('receipt');
  await receipt.waitFor();
  return receipt;
}

test('check-out offline: package, card, points, receipt, retail stock; two devices overdraw the last session', { timeout: 900_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(30_000);
  await context.clock.install({ time: demoMorning() });
  let managerContext;
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    await page.getByTestId('load-demo').click();
    await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });

    // A retail cream at ¥150 with ten in stock.
    await page.getByRole('link', { name: 'Stock', exact: true }).click();
    await page.getByTestId('new-product').click();
    const form = page.getByTestId('product-form');
    await form.getByLabel('Product name').fill(CREAM);
    await form.getByLabel('Unit').selectOption('piece');
    await form.getByLabel('Use', { exact: true }).selectOption('retail');
    await form.getByLabel('Retail price (yuan)').fill('150');
    await form.getByLabel('Low-stock threshold').fill('2');
    await form.getByRole('button', { name: 'Save product' }).click();
    const card = page.locator(`[data-testid="stock-product"][data-name="${CREAM}"]`);
    await card.getByTestId('receive').click();
    const receive = card.getByTestId('receive-form');
    await receive.getByLabel('Batch number').fill('RC-01');
    await receive.getByLabel('Expires on').fill('2031-01-01');
    await receive.getByLabel('Quantity').fill('10');
    await receive.getByTestId('save-receive').click();
    await card.getByTestId('product-total').filter({ hasText: /^10 pcs$/ }).waitFor();

    // The store's top-up offer: pay 1,000, get 200 more; a malformed one is answered.
    await page.goto(server.url + '/setup');
    await page.getByRole('tab', { name: 'Hours and limits' }).click();
    await page.getByLabel('Top-up offers').fill('1000 gets 200');
    await page.getByRole('button', { name: 'Save hours and limits' }).click();
    await page.locator('#store-top-up-offers-error').filter({ hasText: 'Write “paid=bonus”' }).waitFor();
    await page.getByLabel('Top-up offers').fill('1000=200');
    await page.getByRole('button', { name: 'Save hours and limits' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    // The manager's login, for her own device later.
    const managerFirst = await makeLogin(page, server.url, 'Zhou Manager', 'manager', 'zhou');
    await syncNow(page, server.url);

    // From here on, no network.
    await goOffline(context, page);

    // The desk checks in today's first booking; the panel offers its check-out.
    await page.goto(server.url + '/calendar');
    await page.getByTestId('booking').first().click();
    const panel = page.getByTestId('appointment-panel');
    const herName = (await panel.locator('#appointment-title').textContent()).trim();
    await panel.getByRole('button', { name: 'Check in', exact: true }).click();
    await panel.getByTestId('panel-checkout').click();
    const bill = page.getByTestId('bill');
    await bill.waitFor();
    await bill.getByTestId('bill-visit').waitFor();
    await bill.getByTestId('checkout-chosen').filter({ hasText: herName }).waitFor();
    const visitUrl = page.url();
    assert.match(visitUrl, /\/checkout\?appointment=/);
    const serviceName = (await bill.getByTestId('bill-line').first().locator('td').first().textContent()).trim();
    const optionText = await bill.getByTestId('checkout-service').locator('option').filter({ hasText: serviceName }).first().textContent();
    const service = { name: serviceName, option: optionText.trim() };
    // No package yet: the rest is paid by the means picked.
    await bill.getByTestId('bill-payment').filter({ hasText: 'WeChat Pay' }).waitFor();

    // Today shows the visit waiting for its check-out; her file opens from there.
    await page.getByRole('link', { name: 'Today', exact: true }).click();
    const waiting = page.getByTestId('today-list').locator('li').filter({ has: page.getByTestId('today-checkout') }).filter({ hasText: herName });
    await waiting.waitFor();
    await waiting.getByRole('link', { name: herName }).click();
    await page.getByRole('heading', { level: 1, name: herName }).waitFor();
    const customerId = page.url().split('/customers/')[1];
    const balances = page.getByTestId('customer-balances');

    // A package of two sessions for the visit's service, valid twelve months; bad input answered.
    await balances.getByTestId('open-sell-package').click();
    const pkg = balances.getByTestId('package-form');
    await pkg.getByTestId('save-package').click();
    await pkg.getByTestId('package-error').filter({ hasText: 'Choose a service.' }).waitFor();
    await pkg.getByLabel('Service').selectOption({ label: service.name });
    await pkg.getByLabel('Sessions').fill('2');
    await pkg.getByLabel('Price (yuan)').fill('six hundred');
    await pkg.getByTestId('save-package').click();
    await pkg.getByTestId('package-error').filter({ hasText: 'Enter an amount' }).waitFor();
    await pkg.getByLabel('Price (yuan)').fill('600');
    await assertAccessible(page, 'customer file, selling a package');
    await pkg.getByTestId('save-package').click();
    await pkg.waitFor({ state: 'detached' });
    await balances.getByTestId('package-remaining').filter({ hasText: /^2$/ }).waitFor();

    // Her card: 1,000 paid, the offer's 200 bonus, both recorded.
    await balances.getByTestId('open-top-up').click();
    const topUp = balances.getByTestId('top-up-form');
    await topUp.getByLabel('Paid (yuan)').fill('999');
    await page.waitForFunction(() => document.querySelector('#top-up-bonus').value === '');
    // The store's offer fills in the bonus.
    await topUp.getByLabel('Paid (yuan)').fill('1000');
    await page.waitForFunction(() => document.querySelector('#top-up-bonus').value === '200.00');
    await topUp.getByTestId('save-top-up').click();
    await topUp.waitFor({ state: 'detached' });
    await balances.getByTestId('balance-stored-value').filter({ hasText: '¥1200.00' }).waitFor();
    await balances.getByTestId('balance-history').filter({ hasText: 'Top-up bonus' }).waitFor();
    await assertAccessible(page, 'customer file, balances');
    await screenshots(page, 'customer-balances', 'customer-balances');

    // The visit's check-out: the package pays the service, the card the cream; points earned.
    await page.goto(visitUrl);
    await bill.waitFor();
    await bill.getByTestId('bill-payment').filter({ hasText: 'Package session' }).waitFor();
    // (The screenshots reload the page: taken before anything is added to the visit's bill.)
    await screenshots(page, 'checkout-bill', 'bill');
    await bill.getByTestId('checkout-product').selectOption({ label: `${CREAM} · ¥150.00` });
    await bill.getByTestId('checkout-qty').fill('0');
    await bill.getByTestId('add-product').click();
    await bill.getByTestId('checkout-error').filter({ hasText: 'quantity must be 1–1000' }).waitFor();
    await bill.getByTestId('checkout-qty').fill('1');
    await bill.getByTestId('add-product').click();
    await bill.getByTestId('bill-payment').filter({ hasText: 'Stored-value card · ¥150.00' }).waitFor();
    await bill.getByTestId('bill-points').filter({ hasText: /^150$/ }).waitFor();
    await assertAccessible(page, 'check-out, the bill');
    await bill.getByTestId('confirm-checkout').click();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    await receipt.getByTestId('receipt-points').filter({ hasText: /^150$/ }).waitFor();
    const after = receipt.getByTestId('receipt-balances');
    await after.getByTestId('package-remaining').filter({ hasText: /^1$/ }).waitFor();
    await after.getByTestId('balance-stored-value').filter({ hasText: '¥1050.00' }).waitFor();
    await after.getByTestId('balance-points').filter({ hasText: /^150$/ }).waitFor();
    await assertAccessible(page, 'check-out, the receipt');
    const receiptId = await receipt.getAttribute('data-id');
    const visitTotal = (await receipt.getByTestId('receipt-total').textContent()).trim().replace('¥', '');
    await page.goto(`${server.url}/checkout?receipt=${receiptId}`);
    await screenshots(page, 'checkout-receipt', 'receipt');
    // Today: the visit is paid.
    await page.getByRole('link', { name: 'Today', exact: true }).click();
    await page.getByTestId('today-list').locator('li').filter({ hasText: herName }).getByTestId('today-paid').first().waitFor();

    // An anonymous retail sale of two creams, paid in cash; the stock follows.
    await page.goto(server.url + '/checkout');
    await bill.waitFor();
    await bill.getByTestId('checkout-anonymous').waitFor();
    await bill.getByTestId('checkout-product').selectOption({ label: `${CREAM} · ¥150.00` });
    await bill.getByTestId('checkout-qty').fill('2');
    await bill.getByTestId('add-product').click();
    await bill.getByTestId('checkout-means').selectOption('cash');
    await bill.getByTestId('bill-payment').filter({ hasText: 'Cash · ¥300.00' }).waitFor();
    await bill.getByTestId('bill-points').filter({ hasText: /^0$/ }).waitFor();
    await bill.getByTestId('confirm-checkout').click();
    await receipt.getByTestId('receipt-customer').filter({ hasText: 'Walk-in' }).waitFor();
    await page.getByRole('link', { name: 'Stock', exact: true }).click();
    await card.getByTestId('product-total').filter({ hasText: /^7 pcs$/ }).waitFor();

    // Online again: everything reaches the server.
    await goOnline(context, page);
    await syncNow(page, server.url);

    // The manager's own device, online once to sign in and take in the store.
    managerContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
    managerContext.setDefaultTimeout(30_000);
    await managerContext.clock.install({ time: demoMorning() });
    const mPage = await managerContext.newPage();
    const mErrors = watchErrors(mPage);
    await firstSignIn(mPage, server.url, 'zhou', managerFirst, 'zhou chose this one');
    await syncNow(mPage, server.url);
    await mPage.goto(`${server.url}/customers/${customerId}`);
    await mPage.getByTestId('customer-balances').getByTestId('package-remaining').filter({ hasText: /^1$/ }).waitFor();

    // Both devices offline; each redeems her last session.
    await goOffline(context, page);
    await goOffline(managerContext, mPage);
    const mine = await redeemForHer(page, server.url, customerId, service);
    await mine.getByTestId('receipt-balances').getByTestId('package-remaining').filter({ hasText: /^0$/ }).waitFor();
    const theirs = await redeemForHer(mPage, server.url, customerId, service);
    await theirs.getByTestId('receipt-balances').getByTestId('package-remaining').filter({ hasText: /^0$/ }).waitFor();

    // Both sync: both check-outs stand, the package is at −1, the manager has an item to settle.
    await goOnline(context, page);
    await goOnline(managerContext, mPage);
    await syncNow(page, server.url);
    await syncNow(mPage, server.url);
    await syncNow(page, server.url);
    await mPage.goto(`${server.url}/customers/${customerId}`);
    await mPage.getByTestId('customer-balances').getByTestId('package-remaining').filter({ hasText: /^-1$/ }).waitFor();
    await page.goto(`${server.url}/customers/${customerId}`);
    await page.getByTestId('customer-balances').getByTestId('package-remaining').filter({ hasText: /^-1$/ }).waitFor();
    await mPage.getByRole('link', { name: 'Today', exact: true }).click();
    const item = mPage.getByTestId('overdrawn').getByTestId('overdrawn-item').filter({ hasText: herName });
    await item.getByTestId('overdrawn-sessions').filter({ hasText: /^-1$/ }).waitFor();
    await assertAccessible(mPage, 'Today, an overdrawn package');
    await mPage.getByRole('link', { name: 'Check-out', exact: true }).click();
    const recent = mPage.getByTestId('recent-checkouts').getByTestId('recent-checkout').filter({ hasText: herName });
    await mPage.waitForFunction(() => document.querySelectorAll('[data-testid="recent-checkout"]').length >= 4);
    assert.equal(await recent.count(), 3);
    await screenshots(mPage, 'checkout-overdrawn', 'overdrawn');

    // The manager settles it with her (she paid for the extra session) and voids the first
    // check-out with a reason: its session, card money and points come back, nothing deleted.
    await item.getByTestId('settle-note').fill('她补付一次 ¥300 现金');
    await item.getByTestId('settle').click();
    await mPage.getByTestId('settled').waitFor();
    await mPage.getByTestId('overdrawn-item').waitFor({ state: 'detached' });
    // The visit's check-out: the facial and the cream (the devices' clocks differ, so not
    // necessarily the oldest).
    const first = recent.filter({ hasText: `¥${visitTotal}` });
    assert.equal(await first.count(), 1);
    await first.getByTestId('void-checkout').click();
    await first.getByTestId('confirm-void').click();
    await first.getByRole('alert').filter({ hasText: 'Give the reason' }).waitFor();
    await first.getByTestId('void-reason').fill('顾客要求退款');
    await first.getByTestId('confirm-void').click();
    await mPage.getByTestId('voided-badge').first().waitFor();
    await mPage.goto(`${server.url}/customers/${customerId}`);
    const mBalances = mPage.getByTestId('customer-balances');
    await mBalances.getByTestId('package-remaining').filter({ hasText: /^1$/ }).waitFor();
    await mBalances.getByTestId('balance-stored-value').filter({ hasText: '¥1200.00' }).waitFor();
    await mBalances.getByTestId('balance-points').filter({ hasText: /^0$/ }).waitFor();

    // Chinese.
    await mPage.getByTestId('lang-select').selectOption('zh-CN');
    await mPage.getByRole('heading', { name: '会员余额' }).waitFor();
    await mPage.getByRole('link', { name: '结账', exact: true }).click();
    await mPage.getByRole('heading', { level: 1, name: '结账' }).waitFor();
    await mPage.getByTestId('voided-badge').filter({ hasText: '已作废' }).first().waitFor();
    await assertAccessible(mPage, 'check-out in Chinese');

    assert.deepEqual(unexpectedErrors(errors), []);
    assert.deepEqual(unexpectedErrors(mErrors), []);
  } finally {
    await managerContext?.close();
    await context.close();
    await server.stop();
  }
});
