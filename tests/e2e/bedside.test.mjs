// The treatment room, end to end with the network off: a therapist's tablet unlocked by PIN,
// a whole visit from the appointment (consultation, a contraindication that stops the service
// and a logged supervisor override, plan, timed SOP steps, notes, evaluation) to the feedback
// kiosk that only a staff PIN leaves, the follow-up in the worklist, auto-lock hiding the
// customer, and the visit reaching a second browser once the network is back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, assertAccessible, waitForServiceWorker, OWNER_PASSWORD, unexpectedErrors,
  demoMorning, unlockWithPin, screenshots,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const PIN = '246810';


async function signIn(page, url) {
  await page.goto(url + '/sign-in');
  await page.getByLabel('Login name').fill('owner');
  await page.getByLabel('Password').fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
}

async function setLockSeconds(page, seconds) {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const card = page.getByTestId('lock-setting');
  await card.getByLabel(/idle seconds/).fill(String(seconds));
  await card.getByRole('button', { name: 'Save' }).click();
  await card.getByTestId('lock-setting-message').filter({ hasText: 'Saved.' }).waitFor();
}


/** What the server holds for the store, by mutation kind. */
async function serverKinds(page) {
  return page.evaluate(async () => {
    const session = JSON.parse(localStorage.getItem('orchid.session'));
    const kinds = {};
    let cursor = null;
    for (;;) {
      const response = await fetch('/api/v1/sync/pull', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify({
          format_version: 1, client_id: crypto.randomUUID(), store_id: session.store_id, cursor, limit: 1000,
        }),
      });
      if (!response.ok) throw new Error(`pull: ${response.status}`);
      const body = await response.json();
      for (const c of body.changes) {
        const m = c.mutation;
        const key = m.kind === 'service_record.entry' ? `entry:${m.payload.type}` : m.kind;
        kinds[key] = (kinds[key] ?? 0) + 1;
      }
      cursor = body.cursor;
      if (!body.has_more) break;
    }
    return kinds;
  });
}

test('a whole visit at the bedside, offline, from the appointment to the kiosk and back', { timeout: 420_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(30_000);
  await context.clock.install({ time: demoMorning() });
  let other;
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await page.getByTestId('load-demo').click();
    await page.getByTestId('load-demo').waitFor({ state: 'detached', timeout: 120_000 });

    // The owner sets her PIN while the server is reachable; the device keeps the hash.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();
    await page.locator('#pin-new').fill(PIN);
    await page.locator('#pin-again').fill(PIN);
    await page.getByRole('button', { name: 'Save PIN' }).click();
    await page.getByTestId('pin-setup-message').filter({ hasText: 'PIN saved' }).waitFor();
    // Long enough for the step timer below to run past its standard time unlocked.
    await setLockSeconds(page, 1800);

    // Everything below happens with no network.
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Bedside', exact: true }).click();
    await page.getByTestId('bedside-lock').waitFor();
    await assertAccessible(page, 'bedside lock screen');
    await unlockWithPin(page, 'unlock', '999999');
    await page.getByTestId('unlock-error').filter({ hasText: 'Wrong PIN.' }).waitFor();
    await unlockWithPin(page, 'unlock', PIN);
    await page.getByTestId('bedside-day').waitFor();
    await assertAccessible(page, 'bedside day');

    // A visit from the first appointment still ahead today.
    const row = page.getByTestId('bedside-appointment').filter({ has: page.getByTestId('start-visit') }).first();
    const customer = (await row.locator('.bedside-who strong').innerText()).trim();
    await row.getByTestId('start-visit').click();
    await page.getByTestId('visit-customer').filter({ hasText: customer }).waitFor();

    // "Pregnant? Yes" stops the service: the reasons show and no step can start.
    await page.getByTestId('consultation').getByText('Yes', { exact: true }).click();
    await page.getByTestId('run-check').click();
    await page.getByTestId('check-blocked').filter({ hasText: '孕期' }).waitFor();
    await page.getByTestId('service-stopped').waitFor();
    assert.equal(await page.getByTestId('step-start').count(), 0);
    await assertAccessible(page, 'visit, blocked');

    // The override needs a written reason and a supervisor's PIN, and is shown as logged.
    await unlockWithPin(page, 'override-pin', PIN);
    await page.getByTestId('override-error').filter({ hasText: 'Write why' }).waitFor();
    await page.getByLabel('Reason for the override').fill('Doctor cleared her in writing; fragrance-free products only.');
    await unlockWithPin(page, 'override-pin', PIN);
    await page.getByTestId('override-logged').filter({ hasText: 'Doctor cleared her' }).waitFor();

    // Plan, a timed step that runs past its standard time, a note and the evaluation.
    await page.getByLabel('Sessions').fill('6 sessions, weekly');
    await page.getByLabel('Home care').fill('SPF 50 every morning');
    await page.getByTestId('save-plan').click();
    await page.getByTestId('plan-saved').filter({ hasText: 'SPF 50' }).waitFor();
    await page.getByTestId('step-start').first().click();
    await page.getByTestId('step-timer').waitFor();
    // Sixteen minutes later (past every demo service's first step), then a tick of the timer.
    await context.clock.fastForward('16:00');
    await page.waitForTimeout(1500);
    await page.getByTestId('step-over').waitFor();
    await page.getByTestId('step-finish').click();
    await page.getByTestId('sop-step').first().locator('.step-done').waitFor();
    await page.getByLabel('New note').fill('Sensitive around the eyes');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('notes').getByText('Sensitive around the eyes').waitFor();
    await page.getByTestId('evaluation').locator('.star').nth(3).click();
    await page.getByLabel('Before', { exact: true }).fill('Dry, tight');
    await page.getByLabel('After', { exact: true }).fill('Supple');
    await page.getByLabel("In the customer's words").fill('Feels soft');
    await page.getByTestId('save-evaluation').click();
    await page.getByTestId('evaluation-saved').filter({ hasText: 'Feels soft' }).waitFor();
    await assertAccessible(page, 'visit, under way');

    // Complete: the tablet turns to the customer; nothing of the app around it.
    await page.getByTestId('complete-visit').click();
    await page.getByTestId('kiosk').waitFor();
    assert.equal(await page.locator('.app-header').count(), 0);
    await assertAccessible(page, 'feedback kiosk');
    // Neither the back button nor a wrong PIN leaves it.
    await page.goBack();
    await page.getByTestId('kiosk').waitFor();
    assert.equal(await page.locator('.app-header').count(), 0);
    // Nor a reload (F5, pull-to-refresh), nor a deep link into the app.
    await page.reload();
    await page.getByTestId('kiosk').waitFor();
    assert.equal(await page.locator('.app-header').count(), 0);
    await page.goto(`${server.url}/customers`);
    await page.getByTestId('kiosk').waitFor();
    assert.equal(await page.locator('.app-header').count(), 0);
    await page.getByTestId('kiosk-staff').click();
    await unlockWithPin(page, 'kiosk-pin', '135791');
    await page.getByTestId('kiosk-pin-error').filter({ hasText: 'Wrong PIN.' }).waitFor();
    await page.getByTestId('kiosk-staff').click();

    await screenshots(page, 'kiosk-expectations', 'kiosk-expectations');
    // Her first feedback: the kiosk asks her expectations first (the gap report's other half),
    // and each must be given.
    await page.getByTestId('kiosk-submit').click();
    await page.getByTestId('kiosk-error').filter({ hasText: 'Please rate each expectation.' }).waitFor();
    const expected = page.getByTestId('kiosk-expectation');
    assert.equal(await expected.count(), 5);
    for (let i = 0; i < 5; i += 1) await expected.nth(i).locator('.star').nth(4).click();

    // A low score (2 of 5 everywhere, 3 of 10) — a complaint draft for customer service.
    await page.getByTestId('kiosk-submit').click();
    await page.getByTestId('kiosk-error').filter({ hasText: 'Please rate each item.' }).waitFor();
    const dims = page.getByTestId('kiosk-dimension');
    for (let i = 0; i < 5; i += 1) await dims.nth(i).locator('.star').nth(1).click();
    await page.getByTestId('kiosk-recommend').locator('.recommend-option').nth(3).click();
    await page.getByLabel('Your comments (optional)').fill('The room was cold.');
    // She answers forty minutes after the service ended: the feedback step is late (30 min).
    await context.clock.fastForward('40:00');
    await page.getByTestId('kiosk-submit').click();
    await page.getByTestId('kiosk-thanks').waitFor();

    // Staff PIN: back to the day, the visit done.
    await page.getByTestId('kiosk-staff').click();
    await unlockWithPin(page, 'kiosk-pin', PIN);
    await page.getByTestId('bedside-day').waitFor();
    await page.locator('.app-header').waitFor();
    await page.getByTestId('bedside-appointment').filter({ hasText: customer }).getByText('Done').waitFor();

    // The care call is in the worklist.
    await page.getByRole('link', { name: 'Follow-ups', exact: true }).click();
    await page.getByTestId('fu-purpose').selectOption('care_call');
    const call = page.getByTestId('follow-up').filter({ hasText: customer });
    await call.waitFor();
    await assertAccessible(page, 'follow-up worklist');

    // Her file lists the visit — the note, the evaluation and, for a role that may read health
    // data, the contraindication stop and who let the service go ahead.
    // (Through the follow-up's link: the demo store has other customers of the same name.)
    await call.getByRole('link', { name: customer }).first().click();
    const visit = page.getByTestId('visit').filter({ hasText: 'Sensitive around the eyes' });
    await visit.waitFor();
    const visitText = await visit.textContent();
    assert.match(visitText, /4\/5/);
    assert.match(visitText, /Feels soft|Supple/);
    assert.match(visitText, /Allowed by a supervisor/);
    await assertAccessible(page, 'customer file with visits');

    // The report counts the feedback.
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.getByTestId('report-summary').filter({ hasText: '1 responses' }).waitFor();
    await screenshots(page, 'report-gap', 'report-gap');
    // Expected 5, perceived 2: a gap of -3 on every dimension, for her therapist and the month.
    const gapCells = async (testid) => page.getByTestId(testid).locator('td').allTextContents();
    assert.deepEqual(await gapCells('report-gap'), Array(5).fill('-3.0'));
    for (const table of ['report-gap-therapist', 'report-gap-service', 'report-gap-month']) {
      const cells = (await gapCells(table)).filter((cell) => cell !== '');
      assert.ok(cells.length >= 5 && cells.every((cell) => cell === '-3.0'), `${table}: ${cells}`);
    }
    await assertAccessible(page, 'satisfaction report');

    // The therapist's scorecard: the low score and the late feedback step count against her,
    // each line traced to the visit.
    await page.getByTestId('scorecards-link').click();
    await page.getByRole('heading', { level: 1, name: 'Staff scorecards' }).waitFor();
    const card = page.getByTestId('scorecard').filter({ has: page.getByTestId('figure-satisfaction').filter({ hasText: /^Customer satisfaction\s*25\s*1\s*1/ }) });
    await card.waitFor();
    const evidence = card.getByTestId('scorecard-evidence');
    await card.locator('summary').click();
    await evidence.locator('.evidence--against').filter({ hasText: 'Feedback · 2.0 / 5' }).filter({ hasText: customer }).waitFor();
    await evidence.locator('.evidence--against').filter({ hasText: /^Timeliness.*Feedback · late/ }).waitFor();
    assert.equal(await card.getByTestId('figure-complaints').locator('td').first().innerText(), '100');
    await assertAccessible(page, 'staff scorecards');
    await screenshots(page, 'scorecards', 'scorecard');

    // Auto-lock: a short idle time hides the customer behind the PIN screen.
    await setLockSeconds(page, 10);
    await page.getByRole('link', { name: 'Bedside', exact: true }).click();
    if (await page.getByTestId('bedside-lock').isVisible()) await unlockWithPin(page, 'unlock', PIN);
    await page.getByTestId('bedside-day').filter({ hasText: customer }).waitFor();
    await context.clock.fastForward('00:15');
    // The whole device locks, not only the bedside page: "who is working?" covers every page,
    // and survives a reload and a deep link.
    await page.getByTestId('who-is-working').waitFor();
    assert.equal(await page.getByText(customer).count(), 0);
    assert.equal(await page.locator('.app-header').count(), 0);
    await page.goto(`${server.url}/customers`);
    await page.getByTestId('who-is-working').waitFor();
    assert.equal(await page.locator('.app-header').count(), 0);
    await assertAccessible(page, 'who is working');
    await unlockWithPin(page, 'who-unlock', PIN);
    await page.locator('.app-header').waitFor();

    // Back online: everything reaches the server, then a second browser.
    await context.setOffline(false);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('settings-pending').filter({ hasText: /^0$/ }).waitFor({ timeout: 120_000 });
    const kinds = await serverKinds(page);
    assert.equal(kinds['entry:override'], 1);
    assert.equal(kinds['entry:completed'], 1);
    assert.equal(kinds['feedback.submit'], 1);
    assert.ok(kinds['complaint.event'] >= 1, JSON.stringify(kinds));

    other = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
    other.setDefaultTimeout(60_000);
    const second = await other.newPage();
    await signIn(second, server.url);
    await second.getByRole('link', { name: 'Follow-ups', exact: true }).click();
    await second.getByTestId('fu-purpose').selectOption('care_call');
    await second.getByTestId('follow-up').filter({ hasText: customer }).waitFor({ timeout: 120_000 });
    await second.getByRole('link', { name: 'Reports', exact: true }).click();
    await second.getByTestId('report-summary').filter({ hasText: '1 responses' }).waitFor();

    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await other?.close();
    await context.close();
    await server.stop();
  }
});
