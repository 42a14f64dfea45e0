// A salon with one tablet and no server (issue 21 item 2: a standalone device works "with local
// people and PINs"). Offline, the owner sets her own PIN and then a therapist's in Set-up → Logins
// (a colleague's waits for hers, or the tablet could lock her out); the tablet locks; the
// therapist opens it with her PIN and works as herself: her name and role in the header, her
// role's app (Set-up is not hers), a reload keeping her, the health file she opens logged under her
// name. The owner opens the tablet again with her own PIN and reads that in the audit log. Both
// languages, axe on each new screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, offlineDemoPage, unexpectedErrors, assertAccessible,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const THERAPIST = '李娜';
const OWNER_PIN = '258036';
const THERAPIST_PIN = '314159';

/** With ORCHID_SCREENSHOTS, the page as it is at both tablet sizes in both languages (Set-up's
 * tab is not kept by a reload, so the language is switched in place, not by the harness's reload). */
async function shots(page, name) {
  const dir = process.env.ORCHID_SCREENSHOTS;
  if (!dir) return;
  const size = page.viewportSize();
  for (const lang of ['zh-CN', 'en']) {
    await page.getByTestId('lang-select').selectOption(lang);
    for (const [width, height] of [[1024, 768], [768, 1024]]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `${dir}/${name}-${lang}-${width}x${height}.png`, fullPage: true });
    }
  }
  if (size) await page.setViewportSize(size);
}

async function unlockAs(page, name, pin) {
  await page.getByTestId('switch-person').click();
  await page.getByTestId('who-is-working').waitFor();
  await page.getByTestId('who-unlock').getByRole('button', { name }).click();
  await page.locator('#who-unlock-pin').fill(pin);
  await page.getByTestId('who-unlock').getByRole('button', { name: 'Unlock' }).click();
  await page.getByTestId('who-is-working').waitFor({ state: 'detached' });
}

test('a tablet with no server: a therapist opens it with her own PIN and works as herself', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const { context, page, errors } = await offlineDemoPage(browser, server, { locale: 'en-US', viewport: { width: 1024, height: 768 } });
  try {
    // Nobody has a PIN: the tablet is the owner's and does not lock.
    assert.equal(await page.getByTestId('switch-person').count(), 0);
    await page.goto(server.url + '/setup');
    await page.getByRole('tab', { name: 'Logins' }).click();
    const pins = page.getByTestId('local-pins');
    const row = (name) => pins.getByTestId('local-pin-row').filter({ hasText: name });
    await pins.getByTestId('own-pin-first').waitFor();
    // A colleague's PIN waits for the owner's own.
    assert.equal(await row(THERAPIST).getByTestId('local-pin-set').isDisabled(), true);
    const me = pins.getByTestId('local-pin-row').first();
    assert.match(await me.innerText(), /\(you\)/);
    await me.getByTestId('local-pin-set').click();
    // A straight run and two PINs that differ are refused, each with its sentence.
    await page.locator('#local-pin').fill('123456');
    await page.locator('#local-pin-again').fill('123456');
    await page.getByTestId('local-pin-save').click();
    await page.getByTestId('local-pin-error').filter({ hasText: /PIN/ }).waitFor();
    await page.locator('#local-pin').fill(OWNER_PIN);
    await page.locator('#local-pin-again').fill('258037');
    await page.getByTestId('local-pin-save').click();
    await page.getByTestId('local-pin-error').filter({ hasText: 'The two PINs differ.' }).waitFor();
    await page.locator('#local-pin-again').fill(OWNER_PIN);
    await page.getByTestId('local-pin-save').click();
    await page.getByTestId('local-pin-saved').waitFor();
    await me.getByTestId('local-pin-state').filter({ hasText: 'PIN set' }).waitFor();
    await pins.getByTestId('own-pin-first').waitFor({ state: 'detached' });

    await row(THERAPIST).getByTestId('local-pin-set').click();
    await page.locator('#local-pin').fill(THERAPIST_PIN);
    await page.locator('#local-pin-again').fill(THERAPIST_PIN);
    await page.getByTestId('local-pin-save').click();
    await row(THERAPIST).getByTestId('local-pin-state').filter({ hasText: 'PIN set' }).waitFor();
    await assertAccessible(page, 'Set-up, PINs of a device with no server');
    await shots(page, 'setup-local-pins');

    // The therapist opens the tablet: her name and role, her app.
    await page.getByRole('tab', { name: 'Logins' }).click();
    await unlockAs(page, THERAPIST, THERAPIST_PIN);
    const who = page.getByTestId('active-person');
    await who.filter({ hasText: THERAPIST }).filter({ hasText: 'Therapist' }).waitFor();
    await page.goto(server.url + '/setup');
    await page.getByTestId('not-for-role').waitFor();
    // A reload keeps her.
    await page.reload();
    await who.filter({ hasText: THERAPIST }).waitFor();

    // She opens a customer's file with its health section: the read is logged as hers.
    await page.goto(server.url + '/customers');
    const first = page.locator('.customer-row').first();
    const customer = (await first.locator('.customer-row__name').textContent()).trim();
    await first.click();
    await page.getByRole('heading', { level: 1, name: customer }).waitFor();
    await page.getByTestId('health-section').waitFor();

    // The owner opens the tablet again with her PIN: Set-up is back, and the log names the therapist.
    await unlockAs(page, 'Owner', OWNER_PIN);
    await page.goto(server.url + '/setup');
    await page.getByRole('tab', { name: 'Logins' }).waitFor();
    assert.equal(await page.getByTestId('not-for-role').count(), 0);
    await page.goto(server.url + '/audit');
    await page.getByTestId('audit-row').filter({ hasText: THERAPIST }).filter({ hasText: customer }).first().waitFor();

    // In Chinese: the lock and the therapist's name and role in the header.
    await page.getByTestId('lang-select').selectOption('zh-CN');
    await page.getByTestId('switch-person').click();
    await page.getByTestId('who-is-working').waitFor();
    await assertAccessible(page, '谁在使用（无服务器的设备）');
    await page.getByTestId('who-unlock').getByRole('button', { name: THERAPIST }).click();
    await page.locator('#who-unlock-pin').fill(THERAPIST_PIN);
    await page.getByTestId('who-unlock').getByRole('button', { name: '解锁' }).click();
    await who.filter({ hasText: THERAPIST }).filter({ hasText: '美容师' }).waitFor();
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
