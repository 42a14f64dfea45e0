// Shared set-up of the end-to-end tests: the real orchid-server on a free port with a fresh
// SQLite file, and Debian's Chromium driven by playwright-core.
//
// Why Playwright (through playwright-core) rather than a Rust WebDriver client: it can take a
// browser context offline (`setOffline`), reads Cache Storage and service-worker state in one
// call, and @axe-core/playwright checks accessibility in the same page. It never downloads a
// browser: it drives /usr/bin/chromium.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';

export const OWNER_PASSWORD = 'orchid-e2e-owner-pw';

const SERVER_BIN = process.env.ORCHID_SERVER_BIN;
const DIST = process.env.ORCHID_DIST;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

if (!SERVER_BIN || !DIST) {
  throw new Error('run through `cargo xtask test` (it sets ORCHID_SERVER_BIN and ORCHID_DIST)');
}

/** A private copy of dist/, for tests that change the build under a running server. */
export async function copyOfDist() {
  const dir = await mkdtemp(join(tmpdir(), 'orchid-dist-'));
  await cp(DIST, dir, { recursive: true });
  return dir;
}

/** Starts orchid-server on a free port; resolves once it prints its URL. */
/** Starts the server. `demo`: a server for trying Orchid (`ORCHID_DEMO`), whose devices may load
 * the demo store, as most tests do; a salon's real server does not offer it. */
export async function startServer({ dist = DIST, dataDir = null, addr = '127.0.0.1:0', demo = true } = {}) {
  dataDir ??= await mkdtemp(join(tmpdir(), 'orchid-e2e-'));
  const child = spawn(SERVER_BIN, [], {
    env: {
      ...process.env,
      ORCHID_ADDR: addr,
      ORCHID_DATABASE_URL: `sqlite://${join(dataDir, 'orchid.db')}`,
      ORCHID_DIST: dist,
      ORCHID_OWNER_PASSWORD: OWNER_PASSWORD,
      ORCHID_DEMO: demo ? 'true' : 'false',
      RUST_LOG: 'orchid_server=warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(/Orchid is running at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
  });
  return {
    url,
    /** Kills the process at once (no graceful shutdown), keeping its data: a crash. */
    async crash() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    },
    /** Starts the server again on the same address and data, after `crash`. */
    async restart() {
      return startServer({ dist, dataDir, addr: new URL(url).host });
    },
    async stop() {
      // Killed by a signal, a process has signalCode set and exitCode still null.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A browser with a profile of its own in a fresh folder on disk, as a salon's browser has:
 * `browser.newContext()` is an incognito context, whose IndexedDB lives in memory and writes
 * indexed records several times slower than an on-disk profile (10.5 s against 2.4–4.3 s for
 * 10,000 rows with five indexes, measured in Chromium 156). `close()` also deletes the folder. */
export async function launchProfile(options = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'orchid-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Collects console errors and uncaught exceptions of a page. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}

/** The errors of `watchErrors` that are not the browser reporting requests made while offline
 * (the sync loop tries the server and fails, as it should). */
export function unexpectedErrors(errors) {
  return errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED') && !e.includes('Failed to fetch'));
}

/** Fails on any serious or critical accessibility violation of the page as it is now. */
export async function assertAccessible(page, what) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `accessibility of ${what}`,
  );
}

/** Waits until a service worker controls the page. */
export async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

/** Signs in as the store's owner on `url`'s sign-in page and waits for Today and the service worker. */
export async function signInAsOwner(page, url) {
  await page.goto(url + '/sign-in');
  await page.getByLabel('Login name').fill('owner');
  await page.getByLabel('Password').fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
  await waitForServiceWorker(page);
}

/** Saves a new customer named `name` through the app's form (English), on the origin `page` is
 * on, and waits for the customer's file to open: the record and its outbox change are stored. */
export async function addCustomer(page, name) {
  await page.goto(new URL(page.url()).origin + '/customers/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** The date `offsetDays` from now (UTC), as YYYY-MM-DD: a day the demo store left empty. */
export function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/**
 * Where most front-desk tests start: the app opened once from `server` (so the service worker
 * caches it), then the server stopped, the context taken offline and the demo store loaded.
 * The caller closes the returned context.
 */
export async function offlineDemoPage(browser, server, { locale = 'zh-CN', viewport = { width: 1180, height: 900 } } = {}) {
  const context = await browser.newContext({ locale, viewport });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + '/');
  await waitForServiceWorker(page);
  await server.stop();
  await context.setOffline(true);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });
  return { context, page, errors };
}

/** Every mutation the server logged for the store, pulled with the session `page` is signed in
 * with, oldest first, and the store's id. */
export async function serverLog(page) {
  return page.evaluate(async () => {
    const session = JSON.parse(localStorage.getItem('orchid.session'));
    const mutations = [];
    let cursor = null;
    for (;;) {
      const response = await fetch('/api/v1/sync/pull', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify({
          format_version: 1,
          client_id: crypto.randomUUID(),
          store_id: session.store_id,
          cursor,
          limit: 1000,
        }),
      });
      if (!response.ok) throw new Error(`pull: ${response.status}`);
      const body = await response.json();
      mutations.push(...body.changes.map((c) => c.mutation));
      cursor = body.cursor;
      if (!body.has_more) break;
    }
    return { storeId: session.store_id, mutations };
  });
}

/** Adds a member of staff in Set-up → Staff (English) and gives her a login in Set-up → Logins;
 * answers the first password the app shows once. */
export async function makeLogin(page, url, name, role, login) {
  await page.goto(url + '/setup');
  await page.getByRole('heading', { level: 1, name: 'Store set-up' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await page.getByRole('cell', { name, exact: true }).waitFor();
  await page.getByTestId('tab-logins').click();
  const row = page.locator(`[data-testid="login-row"][data-name="${name}"]`);
  await row.getByTestId('new-login-name').fill(login);
  await row.getByTestId('create-login').click();
  const shown = page.getByTestId('first-password');
  await shown.filter({ hasText: name }).waitFor();
  const password = (await shown.getByTestId('first-password-value').textContent()).trim();
  assert.match(password, /^[a-z2-9]{12}$/);
  await row.getByTestId('login-state').filter({ hasText: 'Has not chosen her password yet' }).waitFor();
  return password;
}

/** Signs in with a first password, is held on "choose your own password", chooses one. */
export async function firstSignIn(page, url, login, firstPassword, ownPassword) {
  await page.goto(url + '/sign-in');
  // The service worker takes the page before the navigations below: one that starts while it is
  // activating would leave its page uncontrolled for good (claim() has already run).
  await waitForServiceWorker(page);
  await page.getByLabel('Login name').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(firstPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Choose your own password' }).waitFor();
  // Nothing else opens meanwhile, whatever the address.
  await page.goto(url + '/customers');
  await page.getByRole('heading', { level: 1, name: 'Choose your own password' }).waitFor();
  await page.getByLabel('Current password').fill(firstPassword);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('New password again').fill('short');
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.getByTestId('change-password-message').filter({ hasText: 'too short' }).waitFor();
  await page.getByLabel('New password', { exact: true }).fill(ownPassword);
  await page.getByLabel('New password again').fill(ownPassword);
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
}

/** Sends what waits and takes in what the server has, from Settings (on `url`), and waits until
 * nothing is left to send. */
export async function syncNow(page, url) {
  await page.goto(url + '/settings');
  await page.getByTestId('sync-now').click();
  await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor({ timeout: 180_000 });
}

/** 09:30 in China on the last day when that is at least an hour ago, for a test that sets the
 * browser's clock there: the demo's appointments of that day are all ahead, and a half hour of
 * fast-forwarding keeps the tablet's clock behind the server's. (A tablet clock more than 5
 * minutes ahead makes the server keep its changes waiting; a test started at the real time
 * failed every evening, China's small hours.) */
export function demoMorning() {
  const hourAgo = Date.now() - 3_600_000;
  const day = new Date(hourAgo + 8 * 3_600_000).toISOString().slice(0, 10);
  const time = Date.parse(`${day}T09:30:00+08:00`);
  return time <= hourAgo ? time : time - 86_400_000;
}

/** Types `pin` into the PIN prompt whose test id is `prompt` and presses Unlock (English). */
export async function unlockWithPin(page, prompt, pin) {
  await page.locator(`#${prompt}-pin`).fill(pin);
  await page.getByTestId(prompt).getByRole('button', { name: 'Unlock' }).click();
}

/**
 * With ORCHID_SCREENSHOTS=<folder>, saves the page there as <name>-<lang>-<width>x<height>.png at
 * both tablet sizes and in both languages, for a person to look at before calling a screen done;
 * otherwise does nothing. The language is flipped through the device's setting and a reload (then
 * put back), so call it where a reload loses nothing the test still needs.
 */
export async function screenshots(page, name, readyTestId) {
  const dir = process.env.ORCHID_SCREENSHOTS;
  if (!dir) return;
  const size = page.viewportSize();
  const saved = await page.evaluate(() => localStorage.getItem('orchid.lang'));
  for (const lang of ['zh-CN', 'en']) {
    await page.evaluate((value) => localStorage.setItem('orchid.lang', JSON.stringify(value)), lang);
    await page.reload();
    await page.getByTestId(readyTestId).first().waitFor();
    for (const [width, height] of [[1024, 768], [768, 1024]]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `${dir}/${name}-${lang}-${width}x${height}.png`, fullPage: true });
    }
  }
  await page.evaluate((value) => (value === null ? localStorage.removeItem('orchid.lang') : localStorage.setItem('orchid.lang', value)), saved);
  await page.reload();
  await page.getByTestId(readyTestId).first().waitFor();
  if (size) await page.setViewportSize(size);
}
