import { startServer, launchBrowser, waitForServiceWorker } from './harness.mjs';
const out = '/tmp/consent-shots';
const browser = await launchBrowser();
const server = await startServer();
try {
  for (const [w, h] of [[1024, 768], [768, 1024]]) {
    for (const lang of ['zh-CN', 'en']) {
      const context = await browser.newContext({ locale: lang, viewport: { width: w, height: h } });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      await page.goto(server.url + '/customers/new');
      await waitForServiceWorker(page);
      await page.locator('#customer-name').fill('林小美 Lin');
      await page.locator('[data-testid=customer-form] button[type=submit]').click();
      await page.getByTestId('consent-section').waitFor();
      const file = page.url();
      await page.goto(file + '/edit');
      await page.getByTestId('health-locked').waitFor();
      await page.screenshot({ path: `${out}/form-locked-${lang}-${w}x${h}.png`, fullPage: true });
      await page.getByTestId('health-locked').getByTestId('ask-consent').click();
      await page.getByTestId('consent-dialog').waitFor();
      await page.screenshot({ path: `${out}/dialog-${lang}-${w}x${h}.png` });
      await page.locator('#consent-name').fill('林小美');
      await page.getByTestId('consent-agree').click();
      await page.getByTestId('consent-dialog').waitFor({ state: 'detached' });
      await page.goto(file);
      await page.getByTestId('withdraw-consent').click();
      await page.getByTestId('withdraw-confirm').waitFor();
      await page.getByTestId('consent-section').screenshot({ path: `${out}/withdraw-${lang}-${w}x${h}.png` });
      await page.getByTestId('withdraw-yes').click();
      await page.getByTestId('consent-row').nth(1).waitFor();
      await page.getByTestId('consent-section').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${out}/file-${lang}-${w}x${h}.png`, fullPage: true });
      await context.close();
    }
  }
} finally {
  await server.stop();
  await browser.close();
}
