// The PWA shell: loads cleanly, speaks both languages, is accessible, signs the owner in,
// works offline from a deep link, and offers an update when a new build appears.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startServer, launchBrowser, watchErrors, assertAccessible, waitForServiceWorker, copyOfDist,
  OWNER_PASSWORD, unexpectedErrors,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});

// A test that waits for something that never comes fails after this, rather than hanging CI.
const LIMIT = { timeout: 120_000 };
after(async () => {
  await browser?.close();
});

async function newContext(locale) {
  const context = await browser.newContext({ locale });
  context.setDefaultTimeout(20_000);
  return context;
}

const AREAS = [
  ['/', '今日', 'Today'],
  ['/customers', '顾客档案', 'Customers'],
  ['/calendar', '预约日历', 'Calendar'],
  ['/bedside', '床边服务', 'Bedside'],
  ['/complaints', '投诉处理', 'Complaints'],
  ['/follow-ups', '回访工作台', 'Follow-up worklist'],
  ['/reports', '满意度报表', 'Satisfaction report'],
  ['/settings', '设置', 'Settings'],
  ['/setup', '门店设置', 'Store set-up'],
  ['/sign-in', '登录', 'Sign in'],
];

test('every area loads without console errors, accessible, in Chinese and English', LIMIT, async () => {
  const server = await startServer();
  const context = await newContext('zh-CN');
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    for (const [path, zh] of AREAS) {
      await page.goto(server.url + path);
      await page.getByRole('heading', { level: 1, name: zh }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      await assertAccessible(page, `${path} (zh-CN)`);
    }
    await page.goto(server.url + '/');
    await page.getByTestId('lang-select').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    for (const [path, , en] of AREAS) {
      await page.goto(server.url + path);
      // The choice is remembered across page loads.
      await page.getByRole('heading', { level: 1, name: en }).waitFor();
      await assertAccessible(page, `${path} (en)`);
    }
    assert.equal(await page.getByTestId('net-status').textContent(), 'Online');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('the owner signs in; a wrong password gets a clear sentence in the user language', LIMIT, async () => {
  const server = await startServer();
  const context = await newContext('zh-CN');
  try {
    const page = await context.newPage();
    await page.goto(server.url + '/sign-in');
    await page.getByLabel('登录名').fill('owner');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('登录名或密码不正确，请核对后重试。').waitFor();

    await page.getByLabel('密码').fill(OWNER_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { level: 1, name: '今日' }).waitFor();
    await page.getByText('老板 Owner').waitFor();
    // Still signed in after a reload.
    await page.reload();
    await page.getByText('老板 Owner').waitFor();
  } finally {
    await context.close();
    await server.stop();
  }
});

test('offline, with the server stopped, a reload of a deep link still shows the app', LIMIT, async () => {
  const server = await startServer();
  const context = await newContext('en-US');
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/');
    await waitForServiceWorker(page);
    // The wasm must come from Cache Storage, not from the browser's HTTP cache by luck.
    const cached = await page.evaluate(async () => {
      const urls = [];
      for (const key of await caches.keys()) {
        const cache = await caches.open(key);
        for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    assert.ok(cached.some((u) => u.endsWith('.wasm')), `wasm precached: ${cached}`);
    assert.ok(cached.includes('/index.html'));
    // Every wasm of the build — the main module and each lazy page's chunk — and the chunks'
    // loader are precached, so a page never opened online still opens offline.
    const built = await readdir(process.env.ORCHID_DIST);
    const wasmFiles = built.filter((f) => f.endsWith('.wasm') || f.startsWith('split-loader-'));
    assert.ok(wasmFiles.length > 2, `the build has lazy chunks: ${wasmFiles}`);
    for (const file of wasmFiles.filter((f) => !f.endsWith('.br') && !f.endsWith('.gz'))) {
      assert.ok(cached.includes('/' + file), `${file} precached`);
    }

    await server.stop();
    await context.setOffline(true);
    // The header follows the browser's offline event at once.
    await page.getByTestId('net-status').filter({ hasText: 'Offline' }).waitFor();
    await page.getByText('Working offline').waitFor();
    // (After a navigation Chromium's emulation reports navigator.onLine as true again, so the
    // status is not asserted on the reloaded page: the service worker serving it is the point.)
    await page.goto(server.url + '/customers');
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    await page.getByRole('link', { name: 'Calendar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor();
    // Lazy pages (their code in chunks never fetched before this point) open offline too.
    await page.goto(server.url + '/reports');
    await page.getByRole('heading', { level: 1, name: 'Satisfaction report' }).waitFor();
    await page.goto(server.url + '/setup');
    await page.getByRole('heading', { level: 1, name: 'Store set-up' }).waitFor();
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a new build makes "A new version is ready" appear, and reload switches to it', LIMIT, async () => {
  const dist = await copyOfDist();
  const server = await startServer({ dist });
  const context = await newContext('en-US');
  try {
    const page = await context.newPage();
    await page.goto(server.url + '/');
    await waitForServiceWorker(page);
    const before = await page.evaluate(() => caches.keys());

    // What a second build changes for the browser: sw.js carries a new build version (the
    // hash of the build's files), so the browser installs the new worker beside the old one.
    const swPath = join(dist, 'sw.js');
    const sw = await readFile(swPath, 'utf8');
    const next = sw.replace(/const VERSION = '([0-9a-f]+)'/, (_, v) => `const VERSION = '${v}next'`);
    assert.notEqual(next, sw);
    await writeFile(swPath, next);
    await rm(swPath + '.br', { force: true });
    await rm(swPath + '.gz', { force: true });

    await page.reload();
    const banner = page.getByTestId('update-banner');
    await banner.waitFor({ timeout: 30_000 });
    assert.match(await banner.textContent(), /A new version is ready/);
    await banner.getByRole('button', { name: 'Reload' }).click();
    await page.waitForFunction(
      async (old) => {
        const keys = await caches.keys();
        return keys.length === 1 && !old.includes(keys[0]);
      },
      before,
      { timeout: 30_000 },
    );
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    assert.equal(await page.getByTestId('update-banner').count(), 0);
  } finally {
    await context.close();
    await server.stop();
    await rm(dist, { recursive: true, force: true });
  }
});
