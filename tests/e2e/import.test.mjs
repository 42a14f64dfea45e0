// Importing a customer list (issue 25), on a standalone device with the network off after the
// first load: a UTF-8 CSV with a BOM (English and Chinese cells, a balance column that becomes
// the new customer's stored-value card's opening balance, 3月5日), a GBK CSV as Chinese Excel saves it (a row merged into a customer of the
// first file, a row merged into an earlier row, three bad rows with their reasons) and an .xlsx
// with Chinese headers (a phone stored as a number, a birthday as a date cell, a duplicate
// skipped). Fixtures: tests/e2e/fixtures/, written by make_import_fixtures.py beside them.
// Checks the counts, a merge, the error list and its download, that imported customers are found
// by pinyin initials, the Chinese page, and axe on every step. Then a tab closed while a
// 3,000-row import is saving: after it, the store holds all of the file or none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, waitForServiceWorker,
} from './harness.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function pickFile(page, name) {
  await page.getByTestId('import-file').setInputFiles(join(FIXTURES, name));
  await page.getByTestId('import-mapping').waitFor();
}

async function counts(page) {
  const result = page.getByTestId('import-result');
  await result.waitFor();
  const n = async (id) => Number((await result.getByTestId(id).textContent()).trim());
  return {
    new: await n('import-new'),
    merged: await n('import-merged'),
    skipped: await n('import-skipped'),
    bad: await n('import-bad'),
  };
}

async function search(page, query) {
  await page.goto(new URL(page.url()).origin + '/customers');
  await page.getByTestId('customer-search').fill(query);
}

test('import customers from CSV (UTF-8, GBK) and .xlsx, offline, with duplicates and bad rows', { timeout: 300_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 }, acceptDownloads: true });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/');
    await waitForServiceWorker(page);
    await server.stop();
    await context.setOffline(true);

    // From the customer list.
    await page.goto(server.url + '/customers');
    await page.getByTestId('open-import').click();
    await page.getByRole('heading', { level: 1, name: 'Import customers' }).waitFor();
    await assertAccessible(page, 'import, empty');

    // 1. UTF-8 with a BOM: the columns guessed from the Chinese headers, the balance said.
    await pickFile(page, 'customers_utf8.csv');
    assert.match(await page.getByTestId('import-file-summary').textContent(), /UTF-8/);
    assert.equal((await page.getByTestId('import-row-count').textContent()).trim(), '3');
    const guessed = [];
    for (let i = 0; i < 8; i++) guessed.push(await page.getByTestId(`import-column-${i}`).inputValue());
    assert.deepEqual(guessed, ['name', 'phone', 'birthday', 'gender', 'membership_no', 'notes', 'tags', 'balance']);
    await page.getByTestId('import-balance-note').waitFor();
    await assertAccessible(page, 'import, mapping');
    await page.getByTestId('import-run').click();
    assert.deepEqual(await counts(page), { new: 3, merged: 0, skipped: 0, bad: 0 });
    assert.equal((await page.getByTestId('import-balances').textContent()).trim(), '1 · ¥1200.00');
    await page.waitForFunction(() => document.activeElement?.id === 'import-result-title');
    await assertAccessible(page, 'import, result');

    // 2. GBK, merging duplicates (the default).
    await page.getByRole('button', { name: 'Import another file' }).click();
    await pickFile(page, 'customers_gbk.csv');
    assert.match(await page.getByTestId('import-file-summary').textContent(), /GBK/);
    assert.equal(await page.getByTestId('import-column-0').inputValue(), 'name');
    assert.equal(await page.getByTestId('import-column-2').inputValue(), 'birthday');
    assert.ok(await page.getByTestId('import-policy-merge').isChecked());
    await page.getByTestId('import-run').click();
    assert.deepEqual(await counts(page), { new: 1, merged: 2, skipped: 0, bad: 3 });
    const errorRows = page.getByTestId('import-errors');
    assert.match(await errorRows.getByTestId('import-error-row-3').textContent(), /Date not understood.*2024\.13\.1/);
    assert.match(await errorRows.getByTestId('import-error-row-4').textContent(), /The name is missing/);
    assert.match(await errorRows.getByTestId('import-error-row-5').textContent(), /Not a valid phone number.*12345/);
    await assertAccessible(page, 'import, result with errors');
    const downloaded = page.waitForEvent('download');
    await page.getByTestId('import-download-errors').click();
    const file = await readFile(await (await downloaded).path(), 'utf8');
    assert.equal(file.replace(/^\uFEFF/, '').split(/\r?\n/)[0], 'Row,Reason,Value');
    assert.match(file, /^5,Not a valid phone number,12345$/m);

    // 3. The .xlsx, skipping duplicates.
    await page.getByRole('button', { name: 'Import another file' }).click();
    await pickFile(page, 'customers.xlsx');
    assert.match(await page.getByTestId('import-file-summary').textContent(), /Excel/);
    await page.getByTestId('import-policy-skip').check();
    await page.getByTestId('import-run').click();
    assert.deepEqual(await counts(page), { new: 1, merged: 0, skipped: 1, bad: 0 });

    // Found by pinyin initials; 王芳's file has the tag the GBK file added, her notes kept.
    await search(page, 'wf');
    await page.locator('.customer-row', { hasText: '王芳' }).click();
    await page.getByRole('heading', { level: 1, name: '王芳' }).waitFor();
    const care = await page.locator('.file-grid').textContent();
    assert.match(care, /vip、敏感肌/);
    assert.match(care, /喜欢安静/);
    assert.match(care, /138 0000 0001/);
    // The old system's ¥1,200 is on her card, as an opening balance (not a top-up).
    const card = page.getByTestId('customer-balances');
    await card.getByTestId('balance-stored-value').filter({ hasText: '¥1200.00' }).waitFor();
    await card.getByTestId('balance-history').filter({ hasText: 'Opening balance (imported)' }).waitFor();
    // The .xlsx's number phone and date cell.
    await search(page, 'sl');
    await page.locator('.customer-row', { hasText: '孙丽' }).click();
    await page.getByRole('heading', { level: 1, name: '孙丽' }).waitFor();
    const sun = await page.locator('.file-grid').textContent();
    assert.match(sun, /1988-08-08/);
    assert.match(sun, /138 0000 0007/);
    // 赵敏: rows 6 and 7 of the GBK file made one file.
    await search(page, 'zm');
    await assert.doesNotReject(page.locator('.customer-row', { hasText: '赵敏' }).waitFor());
    assert.equal(await page.locator('.customer-row', { hasText: '赵敏' }).count(), 1);
    // 周杰 was skipped.
    await search(page, '周杰');
    await page.getByText('No customer matches').waitFor();

    // The Chinese page.
    await page.getByTestId('lang-select').selectOption('zh-CN');
    await page.goto(new URL(page.url()).origin + '/customers/import');
    await page.getByRole('heading', { level: 1, name: '导入顾客' }).waitFor();
    await pickFile(page, 'customers_gbk.csv');
    await page.getByTestId('import-column-0').selectOption('ignore');
    assert.match(await page.getByTestId('import-mapping-error').textContent(), /请指定哪一列是姓名/);
    assert.ok(await page.getByTestId('import-run').isDisabled());
    await assertAccessible(page, 'import in Chinese, mapping error');

    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a tab closed while the import is saving leaves all of the file or none of it', { timeout: 300_000 }, async (t) => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(60_000);
  const dir = await mkdtemp(join(tmpdir(), 'orchid-import-'));
  try {
    const rows = ['姓名,手机'];
    for (let i = 0; i < 3000; i++) rows.push(`顾客${i},139${String(i).padStart(8, '0')}`);
    const file = join(dir, 'big.csv');
    await writeFile(file, rows.join('\n'));
    const page = await context.newPage();
    await page.goto(server.url + '/customers/import');
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-mapping').waitFor();
    await page.getByTestId('import-run').click();
    // Closed as soon as the saving step shows, before the transaction can have finished.
    await page.getByText('Saving, all in one go…').waitFor();
    await page.close({ runBeforeUnload: false });

    const again = await context.newPage();
    await again.goto(server.url + '/customers');
    const count = again.getByTestId('customer-count');
    await count.waitFor();
    const total = Number((await count.textContent()).split('/')[1].trim().split(' ')[0]);
    assert.ok(total === 0 || total === 3000, `all or nothing, found ${total} customers`);
    t.diagnostic(`after the tab closed: ${total} customers`);
  } finally {
    await context.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
