// Reception keeps the app open in two tabs: a change made in one shows in the other without a
// reload, offline too (the device store announces it over a BroadcastChannel).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

test('a customer saved in one tab shows in the other, offline, without a reload', { timeout: 120_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US' });
  context.setDefaultTimeout(30_000);
  try {
    const first = await context.newPage();
    const errors = watchErrors(first);
    await first.goto(server.url + '/');
    await waitForServiceWorker(first);
    await context.setOffline(true);

    // The second tab lists the customers; it is never reloaded below.
    const second = await context.newPage();
    const secondErrors = watchErrors(second);
    await second.goto(server.url + '/customers');
    await second.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    await second.getByText('0 / 0 customers').waitFor();
    const loads = await second.evaluate(() => performance.getEntriesByType('navigation').length);

    await addCustomer(first, 'Two Tabs Tao');

    await second.getByText('Two Tabs Tao').waitFor();
    await second.getByText('1 / 1 customers').waitFor();
    assert.equal(await second.evaluate(() => performance.getEntriesByType('navigation').length), loads);
    assert.equal(second.url(), server.url + '/customers', 'the second tab stayed where it was');

    assert.deepEqual(unexpectedErrors(errors), []);
    assert.deepEqual(unexpectedErrors(secondErrors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
