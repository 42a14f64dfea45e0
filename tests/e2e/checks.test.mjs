// Internal checks, end to end (issue 24 item 1): the owner counts missed hygiene checks from two
// days ago, so Today shows the room's check overdue; a therapist on a tablet held upright does the
// room's hygiene check with the network off, in Chinese — a failed item without a note is refused
// in words, then saved with one — and the failed item is a corrective action on the device at
// once; back online it reaches the server under her name. The manager, on another device and
// login, assigns it to her with a deadline already past (Today: the action is overdue); the
// therapist closes it with what was done (she has no way to verify it); the manager verifies it.
// Axe on every screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  screenshots,
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, signInAsOwner,
  makeLogin, firstSignIn, syncNow, serverLog, isoDay,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const ROOM = 'Room 1 一号房';
const THERAPIST = '李娜';
const MANAGER = '刘店长';
const HYGIENE = 'Daily hygiene and disinfection of the room and tools';
const FAILED_ITEM = 'Tools and instruments cleaned, disinfected and stored apart';

/** With ORCHID_SCREENSHOTS=<folder>, saves the page there as <name>.png to look at. */
async function shot(page, name) {
  const dir = process.env.ORCHID_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

test('a hygiene check offline with a failed item → corrective action → done → verified', { timeout: 600_000 }, async () => {
  const server = await startServer();
  const desk = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  const tablet = await browser.newContext({ locale: 'en-US', viewport: { width: 768, height: 1024 } });
  desk.setDefaultTimeout(30_000);
  tablet.setDefaultTimeout(30_000);
  try {
    // The owner sets up a room and the two logins, and counts missed hygiene checks from two
    // days ago: the room's check is overdue.
    const page = await desk.newPage();
    const deskErrors = watchErrors(page);
    await signInAsOwner(page, server.url);
    await page.goto(server.url + '/setup');
    await page.getByRole('tab', { name: 'Rooms and beds' }).click();
    await page.locator('#room-name').fill(ROOM);
    await page.getByRole('button', { name: 'Add room or bed' }).click();
    await page.getByText(ROOM, { exact: true }).first().waitFor();
    const linaFirst = await makeLogin(page, server.url, THERAPIST, 'therapist', 'lina');
    const liuFirst = await makeLogin(page, server.url, MANAGER, 'manager', 'liu');
    await page.getByRole('link', { name: 'Checks', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Internal checks' }).waitFor();
    const hygiene = page.locator(`[data-testid="template"][data-name="${HYGIENE}"]`);
    await hygiene.getByTestId('edit-template').click();
    await hygiene.getByTestId('template-counted-from').fill(isoDay(-2));
    await assertAccessible(page, 'checklist form');
    await shot(page, 'checklist-form-1024-en');
    await hygiene.getByTestId('save-template').click();
    await page.locator(`[data-testid="due-check"][data-room="${ROOM}"][data-state="overdue"]`).waitFor();
    await assertAccessible(page, 'checks page, owner');
    await syncNow(page, server.url);

    // The therapist's tablet: Today shows the missed check.
    const t = await tablet.newPage();
    const tabletErrors = watchErrors(t);
    await firstSignIn(t, server.url, 'lina', linaFirst, 'lina chose this one');
    const alerts = t.getByTestId('check-alerts');
    await alerts.getByTestId('alert-overdue-check').filter({ hasText: ROOM }).waitFor({ timeout: 60_000 });
    await assertAccessible(t, 'Today with a missed check');
    await shot(t, 'today-768-en');

    // From here on, no network; the tablet speaks Chinese.
    await tablet.setOffline(true);
    await t.getByTestId('net-status').filter({ hasText: 'Offline' }).waitFor();
    await t.getByRole('link', { name: 'Checks', exact: true }).click();
    await t.locator(`[data-testid="due-check"][data-room="${ROOM}"][data-state="overdue"]`).waitFor();
    await shot(t, 'checks-768-en');
    await t.getByTestId('lang-select').selectOption('zh-CN');
    await t.getByRole('link', { name: '检查', exact: true }).click();
    await t.getByRole('heading', { level: 1, name: '内部检查' }).waitFor();
    // A spot check is a supervisor's: the therapist is offered only her room's hygiene check.
    const due = t.locator(`[data-testid="due-check"][data-room="${ROOM}"]`);
    await due.getByTestId('start-check').click();
    const form = t.getByTestId('check-form');
    await form.waitFor();
    const items = form.getByTestId('check-item');
    const count = await items.count();
    assert.equal(count, 7);
    for (let i = 0; i < count; i++) {
      const item = items.nth(i);
      const failed = (await item.getAttribute('data-item')) === FAILED_ITEM;
      await item.getByTestId(failed ? 'answer-fail' : 'answer-pass').click();
    }
    const failedItem = form.locator(`[data-testid="check-item"][data-item="${FAILED_ITEM}"]`);
    assert.equal(await failedItem.getByTestId('answer-fail').getAttribute('aria-pressed'), 'true');
    await form.getByTestId('save-check').click();
    await form.getByTestId('check-error').filter({ hasText: '不合格的项目请写明问题所在' }).waitFor();
    await failedItem.getByLabel('备注（不合格时必填：问题所在）').fill('镊子未消毒，与已消毒工具混放');
    await assertAccessible(t, '检查表（平板竖放）');
    await shot(t, 'checks-form-768-zh');
    await form.getByTestId('save-check').click();
    await t.getByTestId('check-saved').filter({ hasText: '不合格项已生成整改' }).waitFor();
    const action = t.locator(`[data-testid="action"][data-item="${FAILED_ITEM}"]`);
    await action.filter({ hasText: '镊子未消毒' }).waitFor();
    assert.equal(await action.getAttribute('data-status'), 'open');
    // Her list is her rooms' hygiene checks only (the spot checks are the supervisors'): done.
    await t.getByTestId('nothing-due').waitFor();
    await t.getByTestId('history-row').filter({ hasText: ROOM }).filter({ hasText: '6 合格 · 1 不合格' }).waitFor();
    // Stored on the device: a reload offline finds them.
    await t.reload();
    await t.locator(`[data-testid="action"][data-item="${FAILED_ITEM}"]`).waitFor();
    await assertAccessible(t, '内部检查（离线）');

    // Back online: the check and its action reach the server under her name.
    await tablet.setOffline(false);
    await syncNow(t, server.url);
    const { mutations } = await serverLog(t);
    const check = mutations.find((m) => m.kind === 'check.record');
    assert.ok(check, 'the check reached the server');
    assert.equal(check.payload.by, check.actor.staff_id);
    assert.equal(check.actor.role, 'therapist');
    assert.deepEqual(check.payload.results.filter((r) => r.outcome === 'fail').map((r) => r.note), ['镊子未消毒，与已消毒工具混放']);
    const raised = mutations.find((m) => m.kind === 'corrective.event' && m.payload.type === 'raised');
    assert.equal(raised.payload.check_id, check.payload.id);

    // The manager, on the front desk's PC: assigns it to her, with a deadline already past.
    await firstSignIn(page, server.url, 'liu', liuFirst, 'liu chose this one');
    await syncNow(page, server.url);
    await page.getByRole('link', { name: 'Checks', exact: true }).click();
    const managerAction = page.locator(`[data-testid="action"][data-item="${FAILED_ITEM}"]`);
    await managerAction.waitFor();
    await managerAction.getByTestId('assign').click();
    await managerAction.getByRole('alert').filter({ hasText: 'Choose the responsible person' }).waitFor();
    await managerAction.getByLabel('Responsible').selectOption({ label: THERAPIST });
    await managerAction.getByLabel('Deadline').fill(isoDay(-1));
    await managerAction.getByTestId('assign').click();
    await managerAction.getByTestId('action-responsible').filter({ hasText: THERAPIST }).waitFor();
    await managerAction.getByTestId('action-overdue').waitFor();
    await page.getByRole('link', { name: 'Today', exact: true }).click();
    await page.getByTestId('check-alerts').getByTestId('alert-overdue-action').filter({ hasText: ROOM }).waitFor();
    await assertAccessible(page, 'Today with an overdue action');
    await shot(page, 'today-1024-en');
    await syncNow(page, server.url);

    // The therapist closes it with what was done; she cannot verify her own work.
    await syncNow(t, server.url);
    await t.getByRole('link', { name: '检查', exact: true }).click();
    const mine = t.locator(`[data-testid="action"][data-item="${FAILED_ITEM}"]`);
    await mine.getByTestId('action-responsible').filter({ hasText: THERAPIST }).waitFor();
    await mine.getByTestId('mark-done').click();
    await mine.getByTestId('close-error').filter({ hasText: '请写明做了什么整改' }).waitFor();
    await mine.getByLabel('整改内容（做了什么）').fill('镊子重新高温消毒，与已消毒工具分开存放');
    await mine.getByTestId('mark-done').click();
    await mine.getByTestId('action-status').filter({ hasText: '待验收' }).waitFor();
    assert.equal(await mine.getByTestId('verify').count(), 0);
    await shot(t, 'checks-actions-768-zh');
    await syncNow(t, server.url);

    // The manager verifies it: closed, with who did what.
    await syncNow(page, server.url);
    await page.getByRole('link', { name: 'Checks', exact: true }).click();
    await managerAction.getByTestId('action-status').filter({ hasText: 'Waiting for verification' }).waitFor();
    await managerAction.getByTestId('action-done').filter({ hasText: THERAPIST }).waitFor();
    await managerAction.getByTestId('action-what').filter({ hasText: '镊子重新高温消毒' }).waitFor();
    await assertAccessible(page, 'checks page, action to verify');
    await shot(page, 'checks-verify-1024-en');
    await managerAction.getByTestId('verify').click();
    await page.getByTestId('verified-action').filter({ hasText: '镊子重新高温消毒' }).filter({ hasText: MANAGER }).waitFor();
    assert.equal(await managerAction.count(), 0);
    await syncNow(page, server.url);
    const after = (await serverLog(page)).mutations;
    const verified = after.find((m) => m.kind === 'corrective.event' && m.payload.type === 'verified');
    assert.ok(verified, 'the verification reached the server');
    assert.equal(verified.actor.role, 'manager');
    assert.equal(verified.payload.done_by, check.actor.staff_id);
    // The manager's screens in Chinese too: the verified action in the history, Today.
    await page.getByTestId('lang-select').selectOption('zh-CN');
    await page.getByRole('link', { name: '检查', exact: true }).click();
    await page.getByTestId('verified-action').filter({ hasText: '验收人' }).waitFor();
    await assertAccessible(page, '内部检查（店长）');
    await shot(page, 'checks-1024-zh');
    await page.getByRole('link', { name: '今日', exact: true }).click();
    await page.getByTestId('check-alerts').waitFor();
    await shot(page, 'today-1024-zh');

    // Scorecards: the therapist reads her own and nobody else's; the manager reads the team's.
    await t.getByRole('link', { name: '今日', exact: true }).click();
    await t.getByTestId('my-scorecard').click();
    await t.getByRole('heading', { level: 1, name: '员工考核' }).waitFor();
    await t.getByTestId('scorecard').first().waitFor();
    assert.deepEqual(await t.getByTestId('scorecard').evaluateAll((cards) => cards.map((c) => c.dataset.staff)), [THERAPIST]);
    assert.equal(await t.getByTestId('scorecard-summary').count(), 0);
    await t.getByText('只有主管和店长能看到同事的考核。').waitFor();
    await assertAccessible(t, '我的考核（美容师）');
    await page.goto(server.url + '/scorecards');
    const team = page.getByTestId('scorecard-summary');
    await team.locator(`tr[data-staff="${THERAPIST}"]`).waitFor();
    await team.locator(`tr[data-staff="${MANAGER}"]`).waitFor();
    await assertAccessible(page, '员工考核（店长）');

    // The month's supervision report counts the check, its failed item and the verified action,
    // and prints to A4 pages, in Chinese and in English.
    await page.goto(server.url + '/reports/monthly');
    const cell = (table, row) => page.getByTestId(table).locator('tr', { has: page.getByRole('rowheader', { name: row, exact: true }) }).locator('td');
    await cell('monthly-checks', '完成检查').filter({ hasText: /^1$/ }).waitFor();
    assert.equal(await cell('monthly-checks', '不合格项').innerText(), '1');
    assert.equal(await cell('monthly-checks', '已验收').innerText(), '1');
    assert.equal(await page.getByTestId('monthly-trend').locator('tbody tr').count(), 6);
    await assertAccessible(page, '月度监督报告');
    const pdfPages = async () => {
      const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
      return (pdf.match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    };
    const zhPages = await pdfPages();
    assert.ok(zhPages >= 1 && zhPages <= 8, `${zhPages} pages`);
    await screenshots(page, 'monthly-report', 'monthly-checks');
    await page.getByTestId('lang-select').selectOption('en');
    await cell('monthly-checks', 'Checks done').filter({ hasText: /^1$/ }).waitFor();
    assert.equal(await cell('monthly-checks', 'Verified').innerText(), '1');
    const enPages = await pdfPages();
    assert.ok(enPages >= 1 && enPages <= 8, `${enPages} pages`);
    // Each table downloads as CSV.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('monthly-checks').locator('..').getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = (await import('node:fs')).readFileSync(await download.path(), 'utf8');
    assert.match(csv, /Checks done,1/);
    assert.match(csv, /Verified,1/);

    assert.deepEqual(unexpectedErrors(deskErrors), []);
    assert.deepEqual(unexpectedErrors(tabletErrors), []);
  } finally {
    await desk.close();
    await tablet.close();
    await server.stop();
  }
});
