// The service butler and her tasks, end to end (issue 24 item 2): the owner, acting as the
// store's manager, gives a customer a butler (a therapist) in her file and assigns that therapist
// two tasks — a care call for the customer due tomorrow and a notice to pass on whose deadline is
// already past (late at once). The therapist, signed in as herself on a tablet held upright, sees
// the late task on Today and in her list, and with the network off and the app in Chinese marks it
// done; it stays done after a reload offline and, back online, reaches the server under her name.
// The front desk then sees it done, and late. Axe on every screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, unexpectedErrors, assertAccessible, signInAsOwner,
  makeLogin, firstSignIn, syncNow, serverLog, isoDay, addCustomer, screenshots,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const BUTLER = '王芳';
const CUSTOMER = 'Zhou Min';
const CARE_CALL = 'Ask how her skin feels after the peel';
const NOTICE = 'Tell her of the new opening hours';

test('a butler and her tasks: assigned, seen, done offline, synced, late', { timeout: 600_000 }, async () => {
  const server = await startServer();
  const desk = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  const tablet = await browser.newContext({ locale: 'en-US', viewport: { width: 768, height: 1024 } });
  desk.setDefaultTimeout(30_000);
  tablet.setDefaultTimeout(30_000);
  try {
    const page = await desk.newPage();
    const deskErrors = watchErrors(page);
    await signInAsOwner(page, server.url);
    const firstPassword = await makeLogin(page, server.url, BUTLER, 'therapist', 'wangfang');

    // Her butler, set in her file.
    await addCustomer(page, CUSTOMER);
    const file = page.url();
    await page.goto(file + '/edit');
    await page.getByLabel('Service butler').selectOption({ label: BUTLER });
    await assertAccessible(page, 'customer form with the butler');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('file-butler').filter({ hasText: BUTLER }).waitFor();
    await assertAccessible(page, 'customer file with her butler');

    // A care call about her (from her file: the butler is the one proposed), due tomorrow.
    await page.getByTestId('assign-her-task').click();
    await page.getByRole('heading', { level: 1, name: 'Service tasks' }).waitFor();
    await page.getByTestId('task-customer-chosen').filter({ hasText: CUSTOMER }).waitFor();
    const form = page.getByTestId('assign-task');
    assert.equal(await form.getByTestId('task-kind').inputValue(), 'care_call');
    // Without what to do, a sentence says so; nothing is written.
    await form.getByTestId('task-assign').click();
    await form.getByTestId('task-error').filter({ hasText: 'Say what the task is.' }).waitFor();
    await form.getByTestId('task-title').fill(CARE_CALL);
    await form.getByTestId('task-date').fill(isoDay(1));
    await form.getByTestId('task-assign').click();
    await form.getByTestId('task-assigned').waitFor();
    // A notice to pass on, its deadline already past: late as soon as it is given.
    await form.getByTestId('task-kind').selectOption('notice');
    await form.getByTestId('task-title').fill(NOTICE);
    await form.getByTestId('task-assignee').selectOption({ label: BUTLER });
    await form.getByTestId('task-date').fill(isoDay(-1));
    await form.getByTestId('task-assign').click();
    const all = page.getByTestId('all-tasks');
    const lateRow = all.getByTestId('task').filter({ hasText: NOTICE });
    await lateRow.getByTestId('task-late').filter({ hasText: 'Overdue' }).waitFor();
    assert.equal(await all.getByTestId('task').filter({ hasText: CARE_CALL }).getAttribute('data-late'), 'false');
    // The care call's deadline moves a day later (giving it to someone else is the same form):
    // only the deadline is written.
    const care = all.getByTestId('task').filter({ hasText: CARE_CALL });
    await care.getByTestId('task-change').click();
    await care.getByTestId('change-date').fill(isoDay(2));
    await care.getByTestId('change-save').click();
    await all.getByTestId('task').filter({ hasText: CARE_CALL }).filter({ hasText: isoDay(2) }).waitFor();
    await assertAccessible(page, 'Tasks, the manager');
    await screenshots(page, 'tasks-manager', 'all-tasks');
    await syncNow(page, server.url);

    // The butler, signed in as herself on the tablet: Today shows the late task.
    const t = await tablet.newPage();
    const tabletErrors = watchErrors(t);
    await firstSignIn(t, server.url, 'wangfang', firstPassword, 'wang fang chose this one');
    await t.getByTestId('task-alerts').getByTestId('alert-overdue-task').filter({ hasText: NOTICE }).waitFor({ timeout: 60_000 });
    await assertAccessible(t, 'Today with a late task');
    await t.getByTestId('my-tasks-link').click();
    const mine = t.getByTestId('my-tasks');
    await mine.getByTestId('task').filter({ hasText: NOTICE }).waitFor();
    await t.getByTestId('my-later-tasks').getByTestId('task').filter({ hasText: CARE_CALL }).waitFor();
    // She does not assign tasks.
    assert.equal(await t.getByTestId('assign-task').count(), 0);
    await assertAccessible(t, 'Tasks, the butler');
    await screenshots(t, 'tasks-butler', 'my-tasks');

    // Offline, in Chinese: she marks the late one done.
    await tablet.setOffline(true);
    await t.getByTestId('net-status').filter({ hasText: 'Offline' }).waitFor();
    await t.getByTestId('lang-select').selectOption('zh-CN');
    await t.getByRole('heading', { level: 1, name: '服务任务' }).waitFor();
    const row = t.getByTestId('my-tasks').getByTestId('task').filter({ hasText: NOTICE });
    await row.getByRole('button', { name: '标记完成' }).click();
    await t.getByTestId('my-tasks').getByText('今天没有待完成的任务。').waitFor();
    await t.reload();
    await t.getByTestId('my-tasks').getByText('今天没有待完成的任务。').waitFor();
    await t.getByTestId('my-later-tasks').getByTestId('task').filter({ hasText: CARE_CALL }).waitFor();
    await assertAccessible(t, '服务任务（离线）');

    // Back online: it reaches the server, done by her.
    await tablet.setOffline(false);
    await syncNow(t, server.url);
    const { mutations } = await serverLog(t);
    const done = mutations.find((m) => m.kind === 'service_task.upsert'
      && m.payload.fields.some((f) => f.field === 'status' && f.value === 'done'));
    assert.ok(done, 'the task done reached the server');
    assert.equal(done.actor.role, 'therapist');
    const doneBy = done.payload.fields.find((f) => f.field === 'done_by');
    assert.equal(doneBy.value, done.actor.staff_id);
    const moved = mutations.filter((m) => m.kind === 'service_task.upsert'
      && m.payload.fields.length === 1 && m.payload.fields[0].field === 'due');
    assert.equal(moved.length, 1, 'the new deadline reached the server, alone');
    assert.equal(moved[0].actor.role, 'owner');

    // The front desk sees it done, and late.
    await syncNow(page, server.url);
    await page.goto(server.url + '/tasks');
    await page.getByTestId('tasks-show-closed').check();
    const closed = page.getByTestId('all-tasks').locator('[data-testid="task"][data-status="done"]').filter({ hasText: NOTICE });
    await closed.getByTestId('task-late').filter({ hasText: 'Done late' }).waitFor();
    await closed.getByTestId('task-done').filter({ hasText: BUTLER }).waitFor();
    await assertAccessible(page, 'Tasks with a task done late');

    assert.deepEqual(unexpectedErrors(deskErrors), []);
    assert.deepEqual(unexpectedErrors(tabletErrors), []);
  } finally {
    await desk.close();
    await tablet.close();
    await server.stop();
  }
});
