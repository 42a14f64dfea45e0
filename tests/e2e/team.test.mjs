// A whole team on Orchid ([team]): the owner makes logins in the app, each person chooses her own
// password at her first sign-in and works as herself in her own role's app; pages of other roles
// say so plainly; a deactivated person can no longer sign in. Then a shared tablet: two
// therapists sign in once, switch by PIN with the network off, and the server attributes each
// change to the one who made it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, signInAsOwner,
  waitForServiceWorker, addCustomer, serverLog, makeLogin, firstSignIn,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Every change the server holds for the store (read with `page`'s session), oldest first. */
async function serverChanges(page) {
  return (await serverLog(page)).mutations;
}

const staffIdOf = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('orchid.session')).staff_id);

/** The staff id the server names as the author of the customer file called `name`. */
function authorOf(changes, name) {
  const made = changes.find((m) => m.kind === 'customer.upsert' && JSON.stringify(m.payload).includes(name));
  return made?.actor?.staff_id;
}

test('the owner makes the team in the app; each works as herself in her own role', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const owner = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  const therapistContext = await browser.newContext({ locale: 'en-US', viewport: { width: 768, height: 1024 } });
  const receptionContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  for (const c of [owner, therapistContext, receptionContext]) c.setDefaultTimeout(30_000);
  try {
    const page = await owner.newPage();
    const errors = watchErrors(page);
    await signInAsOwner(page, server.url);
    // The owner is the owner (老板), not the manager, in the header.
    await page.getByTestId('active-person').filter({ hasText: 'Owner' }).waitFor();
    // A deep link to a new customer's file, opened before the store has loaded, still offers the
    // owner the health section: the form follows the role once it is known.
    await page.goto(server.url + '/customers/new');
    await page.getByRole('group', { name: 'Health (sensitive)' }).waitFor();
    const wangPassword = await makeLogin(page, server.url, 'Wang Li', 'therapist', 'wangli');
    await assertAccessible(page, 'set-up: logins');
    const zhouPassword = await makeLogin(page, server.url, 'Zhou Min', 'reception', 'zhoumin');

    // The therapist, on her own tablet (portrait).
    const therapist = await therapistContext.newPage();
    const therapistErrors = watchErrors(therapist);
    await firstSignIn(therapist, server.url, 'wangli', wangPassword, 'wang li chose this');
    await therapist.getByTestId('active-person').filter({ hasText: 'Wang Li' }).filter({ hasText: 'Therapist' }).waitFor();
    const nav = therapist.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Bedside', exact: true }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Complaints', exact: true }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Reports', exact: true }).count(), 0);
    for (const path of ['/setup', '/complaints', '/reports']) {
      await therapist.goto(server.url + path);
      await therapist.getByTestId('not-for-role').filter({ hasText: 'Not available for your role' }).waitFor();
      await therapist.getByTestId('not-for-role').filter({ hasText: 'Therapist' }).waitFor();
    }
    await assertAccessible(therapist, 'not available for your role');
    // Her follow-ups list starts with those assigned to her.
    await therapist.goto(server.url + '/follow-ups');
    await therapist.locator('[data-testid="fu-only-mine"]:checked').waitFor();
    // Her typical task: a new customer's file (with the health section her role may fill).
    await addCustomer(therapist, 'Team Test Therapist Customer');

    // Reception, on the front desk's PC.
    const reception = await receptionContext.newPage();
    await firstSignIn(reception, server.url, 'zhoumin', zhouPassword, 'zhou min chose this');
    await reception.goto(server.url + '/bedside');
    await reception.getByTestId('not-for-role').waitFor();
    await addCustomer(reception, 'Team Test Reception Customer');
    await reception.getByRole('link', { name: 'Settings', exact: true }).click();
    await reception.getByTestId('sync-now').click();
    await reception.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor({ timeout: 60_000 });
    await therapist.getByRole('link', { name: 'Settings', exact: true }).click();
    await therapist.getByTestId('sync-now').click();
    await therapist.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor({ timeout: 60_000 });

    // The server names each as the author of her own change.
    const changes = await serverChanges(page);
    assert.equal(authorOf(changes, 'Team Test Therapist Customer'), await staffIdOf(therapist));
    assert.equal(authorOf(changes, 'Team Test Reception Customer'), await staffIdOf(reception));

    // Offline, reception files one more customer; meanwhile the owner deactivates her login:
    // she cannot sign in again; her records stay hers.
    const receptionId = await staffIdOf(reception);
    await receptionContext.setOffline(true);
    await addCustomer(reception, 'Team Test Queued Before Deactivation');
    await page.goto(server.url + '/setup');
    await page.getByTestId('tab-logins').click();
    const row = page.locator('[data-testid="login-row"][data-name="Zhou Min"]');
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByTestId('login-state').filter({ hasText: 'Deactivated' }).waitFor();
    await receptionContext.setOffline(false);
    await reception.goto(server.url + '/sign-in');
    await reception.getByLabel('Login name').fill('zhoumin');
    await reception.getByLabel('Password', { exact: true }).fill('zhou min chose this');
    await reception.getByRole('button', { name: 'Sign in' }).click();
    await reception.getByTestId('sign-in-error').filter({ hasText: /.+/ }).waitFor();
    assert.equal(authorOf(await serverChanges(page), 'Team Test Reception Customer'), authorOf(changes, 'Team Test Reception Customer'));
    // What her desk queued before the deactivation was hers to make: the owner, signing in at
    // that desk, sends it, and it stays hers.
    await signInAsOwner(reception, server.url);
    await reception.getByRole('link', { name: 'Settings', exact: true }).click();
    await reception.getByTestId('sync-now').click();
    await reception.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor({ timeout: 60_000 });
    assert.equal(authorOf(await serverChanges(page), 'Team Test Queued Before Deactivation'), receptionId);

    assert.deepEqual(unexpectedErrors(errors), []);
    assert.deepEqual(unexpectedErrors(therapistErrors), []);
  } finally {
    await owner.close();
    await therapistContext.close();
    await receptionContext.close();
    await server.stop();
  }
});

test('一台共用平板：两位美容师各登录一次，断网后用 PIN 切换，各自的修改记在各自名下', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const owner = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  const tablet = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
  for (const c of [owner, tablet]) c.setDefaultTimeout(30_000);
  try {
    const ownerPage = await owner.newPage();
    await signInAsOwner(ownerPage, server.url);
    const first = { name: 'Li Na', login: 'lina', own: 'li na chose this one' };
    const second = { name: 'Chen Jing', login: 'chenjing', own: 'chen jing chose this' };
    for (const person of [first, second]) {
      person.firstPassword = await makeLogin(ownerPage, server.url, person.name, 'therapist', person.login);
    }

    const page = await tablet.newPage();
    const errors = watchErrors(page);
    // Each signs in once on the tablet while online, and sets her PIN.
    for (const [person, pin] of [[first, '258036'], [second, '714269']]) {
      await page.goto(server.url + '/sign-in');
      await waitForServiceWorker(page);
      await page.getByLabel('登录名').fill(person.login);
      await page.getByLabel('密码', { exact: true }).fill(person.firstPassword);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByLabel('当前密码').fill(person.firstPassword);
      await page.getByLabel('新密码', { exact: true }).fill(person.own);
      await page.getByLabel('再次输入新密码').fill(person.own);
      await page.getByRole('button', { name: '保存密码' }).click();
      await page.getByRole('heading', { level: 1, name: '今日' }).waitFor();
      await page.getByRole('link', { name: '设置', exact: true }).click();
      await page.locator('#pin-new').fill(pin);
      await page.locator('#pin-again').fill(pin);
      await page.getByTestId('pin-setup').getByRole('button').click();
      await page.getByTestId('pin-setup-message').filter({ hasText: 'PIN' }).waitFor();
      person.pin = pin;
      person.staffId = await staffIdOf(page);
    }
    await waitForServiceWorker(page);

    // The network goes off; they take turns by PIN.
    await tablet.setOffline(true);
    for (const person of [first, second]) {
      await page.getByTestId('switch-person').click();
      await page.getByTestId('who-is-working').waitFor();
      assert.equal(await page.locator('.app-header').count(), 0);
      await page.getByTestId('who-unlock').getByRole('button', { name: person.name }).click();
      await page.locator('#who-unlock-pin').fill(person.pin);
      await page.getByTestId('who-unlock').getByRole('button', { name: '解锁' }).click();
      await page.getByTestId('active-person').filter({ hasText: person.name }).waitFor();
      await page.goto(server.url + '/customers/new');
      await page.getByLabel('姓名', { exact: true }).fill(`共用平板 ${person.name} 的顾客`);
      await page.getByRole('button', { name: '保存' }).click();
      await page.getByRole('heading', { level: 1, name: `共用平板 ${person.name} 的顾客` }).waitFor();
    }
    // A reload keeps the lock: "who is working?" stays until a PIN.
    await page.getByTestId('switch-person').click();
    await page.reload();
    await page.getByTestId('who-is-working').waitFor();
    await assertAccessible(page, '谁在使用');
    await page.getByTestId('who-unlock').getByRole('button', { name: first.name }).click();
    await page.locator('#who-unlock-pin').fill(first.pin);
    await page.getByTestId('who-unlock').getByRole('button', { name: '解锁' }).click();
    await page.getByTestId('active-person').filter({ hasText: first.name }).waitFor();

    // Back online: each change reaches the server under its author's name.
    await tablet.setOffline(false);
    await page.getByRole('link', { name: '设置', exact: true }).click();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor({ timeout: 60_000 });
    const changes = await serverChanges(ownerPage);
    assert.equal(authorOf(changes, `共用平板 ${first.name} 的顾客`), first.staffId);
    assert.equal(authorOf(changes, `共用平板 ${second.name} 的顾客`), second.staffId);
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await owner.close();
    await tablet.close();
    await server.stop();
  }
});
