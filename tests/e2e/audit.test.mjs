// The audit screen, offline on the demo store: the owner opens sixteen customers' files with
// their health data in a few minutes; the audit log lists every read with who, when, which
// customer and which device, marks the burst as reading that stands out, filters by customer and
// dates, downloads as CSV, and reads in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  startServer, launchBrowser, unexpectedErrors, assertAccessible, offlineDemoPage, isoDay,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('sixteen health files opened in minutes stand out in the audit log', { timeout: 240_000 }, async () => {
  const server = await startServer();
  const { context, page, errors } = await offlineDemoPage(browser, server, { locale: 'en-US', viewport: { width: 1024, height: 768 } });
  try {
    await page.goto(server.url + '/audit');
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    assert.equal(await page.getByTestId('audit-unusual').count(), 0);

    // Sixteen different customers' files, one after the other.
    await page.goto(server.url + '/customers');
    const rows = page.locator('.customer-row');
    await rows.nth(15).waitFor();
    const files = [];
    for (let i = 0; i < 16; i++) {
      files.push({ href: await rows.nth(i).getAttribute('href'), name: (await rows.nth(i).locator('.customer-row__name').textContent()).trim() });
    }
    for (const file of files) {
      await page.goto(server.url + file.href);
      await page.getByTestId('health-section').waitFor();
      await page.getByRole('heading', { level: 1, name: file.name }).waitFor();
    }

    await page.goto(server.url + '/reports');
    await page.getByTestId('audit-link').click();
    await page.waitForURL(/\/audit$/);
    const unusual = page.getByTestId('audit-unusual');
    await unusual.filter({ hasText: "16 customers' health data opened within 30 minutes by" }).waitFor();
    const flagged = page.locator('[data-testid="audit-row"][data-unusual="true"]');
    assert.ok(await flagged.count() >= 16);
    assert.match(await flagged.first().textContent(), /Read health data/);
    assert.match(await flagged.first().textContent(), /this device/);
    await assertAccessible(page, 'audit log');

    // By customer: only her reads.
    await page.getByLabel('Customer', { exact: true }).fill(files[3].name);
    const shown = page.getByTestId('audit-row');
    await page.waitForFunction((name) => {
      const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
      return rows.length > 0 && rows.every((r) => r.textContent.includes(name));
    }, files[3].name);
    // By dates: nothing before yesterday.
    await page.getByLabel('Customer', { exact: true }).fill('');
    await page.getByLabel('To', { exact: true }).fill(isoDay(-2));
    await page.getByTestId('audit-none').waitFor();
    await page.getByLabel('To', { exact: true }).fill('');
    await shown.nth(15).waitFor();

    // The CSV holds every line shown, with a header.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-download').click(),
    ]);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    const count = Number((await page.getByTestId('audit-count').textContent()).match(/\d+/)[0]);
    assert.equal(lines.length, count + 1);
    assert.match(lines[0], /^When,Staff member/);
    assert.ok(lines.slice(1).some((l) => l.includes(files[0].name)));

    // In Chinese.
    await page.getByTestId('lang-select').selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();
    await unusual.filter({ hasText: '位顾客的健康信息在 30 分钟内被同一人查看' }).waitFor();
    await assertAccessible(page, 'audit log, Chinese');
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});
