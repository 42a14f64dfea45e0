// Online booking (网上预约), end to end: the owner names the store, adds a therapist and a
// service, and turns online booking on in Set-up, which shows the page's link and QR code. A
// customer on a phone (390x844, Chinese) opens the link, books the first free time and gets her
// private link; the store's device pulls the booking and sees it on the calendar as a website
// booking waiting for confirmation, and confirms it; the customer cancels through her link, and
// the cancellation reaches the store's log and frees the calendar. The public page is checked with axe-core in both
// languages, and photographed at phone size in both (Set-up's section at 1024x768).
// Then a service with consultation questions: the customer answers them ahead on her phone,
// is told her answers need her consent, ticks it and books; the booking and her answers reach
// the store's device, and at the bedside (offline, on the booking's day) the therapist finds
// them pre-filled and marked, and confirms them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, watchErrors, assertAccessible, unexpectedErrors, signInAsOwner,
  syncNow, serverLog, unlockWithPin,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const SHOTS = process.env.ORCHID_SCREENSHOTS;

async function shoot(page, name) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/online-booking-${name}.png`, fullPage: true });
}

/** Tomorrow in the store's time zone (China), as YYYY-MM-DD. */
function storeTomorrow() {
  return new Date(Date.now() + (8 + 24) * 3_600_000).toISOString().slice(0, 10);
}

/** In Set-up (English): the therapist Lily Chen, the 60-minute 补水护理 with `questions` (Set-up's
 * lines: one yes/no question a line, "question | tag" when yes means a contraindication), and the
 * store 兰心美容 静安店 open 10:00–21:00 every day. */
async function setUpStore(desk, url, questions = '') {
  await desk.goto(url + '/setup');
  await desk.getByRole('heading', { level: 1, name: 'Store set-up' }).waitFor();
  await desk.getByLabel('Name', { exact: true }).fill('Lily Chen');
  await desk.getByLabel('Role', { exact: true }).selectOption('therapist');
  await desk.getByRole('button', { name: 'Add staff member' }).click();
  await desk.getByRole('cell', { name: 'Lily Chen', exact: true }).waitFor();
  await desk.getByRole('tab', { name: 'Service catalog' }).click();
  await desk.locator('#service-name').fill('补水护理');
  await desk.locator('#service-duration').fill('60');
  await desk.locator('#service-price').fill('380');
  if (questions) await desk.locator('#service-questions').fill(questions);
  await desk.getByRole('button', { name: 'Save service' }).click();
  await desk.getByRole('cell', { name: '补水护理', exact: true }).waitFor();
  await desk.getByRole('tab', { name: 'Hours and limits' }).click();
  await desk.getByLabel('Store name').fill('兰心美容 静安店');
  for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) {
    await desk.locator(`#hours-${day}-open`).fill('10:00');
    await desk.locator(`#hours-${day}-close`).fill('21:00');
  }
  await desk.getByRole('button', { name: 'Save hours and limits' }).click();
  await desk.getByText('Saved.').waitFor();
}

/** The salon's tablet: English, in Shanghai's time. */
async function salonTablet() {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(30_000);
  return context;
}

/** The customer's phone: Chinese, touch, a phone's screen. */
async function herPhone() {
  const context = await browser.newContext({
    locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  context.setDefaultTimeout(30_000);
  return context;
}

test('a customer books on her phone, the desk sees a website booking, her link cancels it', { timeout: 300_000 }, async () => {
  const server = await startServer({ demo: false });
  const salon = await salonTablet();
  const desk = await salon.newPage();
  const deskErrors = watchErrors(desk);
  const phone = await herPhone();
  try {
    await signInAsOwner(desk, server.url);
    // The store's name, a therapist and a service, in Set-up.
    await setUpStore(desk, server.url);

    // Online booking: on, unknown phones wait for the desk (the default).
    await desk.getByTestId('tab-online-booking').click();
    await desk.getByRole('heading', { name: 'Online booking', level: 2 }).waitFor();
    await desk.getByLabel('Take bookings online').check();
    assert.equal(await desk.getByLabel(/wait for the desk's confirmation/).isChecked(), true);
    await desk.getByTestId('booking-save').click();
    await desk.getByText('Saved.').waitFor();
    await syncNow(desk, server.url);
    await desk.goto(server.url + '/setup');
    await desk.getByTestId('tab-online-booking').click();
    const linkElement = desk.getByTestId('booking-link');
    await linkElement.waitFor();
    const link = (await linkElement.textContent()).trim();
    assert.match(link, new RegExp(`^${server.url}/book/[a-z2-9]{12}$`));
    // The QR code is the server's image, loaded.
    const qr = desk.getByTestId('booking-qr');
    await desk.waitForFunction((img) => img.complete && img.naturalWidth > 0, await qr.elementHandle());
    await assertAccessible(desk, 'set-up: online booking');
    await shoot(desk, 'setup-en-1024x768');
    await desk.evaluate(() => localStorage.setItem('orchid.lang', JSON.stringify('zh-CN')));
    await desk.reload();
    await desk.getByTestId('tab-online-booking').click();
    await desk.getByTestId('booking-qr').waitFor();
    await desk.waitForFunction(() => [...document.images].every((i) => i.complete));
    await shoot(desk, 'setup-zh-1024x768');
    await desk.evaluate(() => localStorage.setItem('orchid.lang', JSON.stringify('en')));

    // The customer, on her phone, in Chinese.
    const customer = await phone.newPage();
    const customerErrors = watchErrors(customer);
    await customer.goto(link);
    assert.equal(await customer.locator('html').getAttribute('lang'), 'zh-CN');
    await customer.getByRole('heading', { level: 1, name: '兰心美容 静安店' }).waitFor();
    await customer.getByLabel(/补水护理 · 60 分钟 · 380 元/).check();
    assert.equal(await customer.locator('#date').inputValue(), storeTomorrow());
    const firstSlot = customer.locator('#slots .slot').first();
    await firstSlot.waitFor();
    assert.equal((await firstSlot.textContent()).trim(), '10:00');
    await firstSlot.click();
    await customer.getByLabel('姓名').fill('测试 王芳');
    await customer.getByLabel('手机号').fill('138 0013 8000');
    await customer.getByLabel('需求（选填）').fill('肩颈有点紧');
    await assertAccessible(customer, 'booking page (Chinese)');
    await shoot(customer, 'page-zh-390x844');
    // The toggle speaks English, and back.
    await customer.getByRole('button', { name: 'English' }).click();
    await customer.getByRole('button', { name: 'Book', exact: true }).waitFor();
    assert.equal(await customer.locator('html').getAttribute('lang'), 'en');
    await assertAccessible(customer, 'booking page (English)');
    await shoot(customer, 'page-en-390x844');
    await customer.getByRole('button', { name: '中文' }).click();
    const booked = customer.waitForResponse((r) => r.url().includes('/api/v1/book/') && r.request().method() === 'POST');
    await customer.getByRole('button', { name: '提交预约' }).click();
    assert.equal((await booked).status(), 201);
    await customer.getByRole('heading', { name: '预约成功' }).waitFor();
    await customer.getByText('待门店确认').waitFor();
    await customer.getByText('门店确认后，预约才算成立').waitFor();
    const manage = await customer.getByRole('link', { name: /\/manage#/ }).getAttribute('href');
    assert.match(manage, /\/book\/[a-z2-9]{12}\/manage#[A-Za-z0-9_-]{43}$/);
    await assertAccessible(customer, 'booking confirmation');
    await shoot(customer, 'booked-zh-390x844');

    // The store's device pulls it: a website booking on tomorrow's calendar, waiting.
    await syncNow(desk, server.url);
    await desk.goto(server.url + `/calendar?day=${storeTomorrow()}`);
    const booking = desk.getByTestId('booking').filter({ hasText: '测试 王芳' });
    await booking.waitFor();
    // The block says she booked online, before anyone opens it.
    await booking.getByTestId('booking-website').filter({ hasText: 'Website' }).waitFor();
    await assertAccessible(desk, 'calendar with a website booking');
    await booking.click();
    const panel = desk.getByTestId('appointment-panel');
    await panel.getByText('Website').waitFor();
    await panel.getByText('肩颈有点紧').waitFor();
    await panel.getByTestId('appointment-status').filter({ hasText: 'Booked' }).waitFor();
    await panel.getByRole('button', { name: 'Confirm', exact: true }).click();
    await panel.getByTestId('appointment-status').filter({ hasText: 'Confirmed' }).waitFor();
    await syncNow(desk, server.url);

    // Her private link shows the confirmed booking and cancels it.
    const mine = await phone.newPage();
    await mine.goto(manage);
    await mine.getByRole('heading', { name: '您的预约' }).waitFor();
    await mine.getByText('已确认').waitFor();
    await assertAccessible(mine, 'private link');
    await shoot(mine, 'manage-zh-390x844');
    mine.once('dialog', (dialog) => dialog.accept());
    await mine.getByRole('button', { name: '取消预约' }).click();
    await mine.getByRole('heading', { name: '预约已取消' }).waitFor();

    // The cancellation is in the store's log, and reaches the device.
    const { mutations } = await serverLog(desk);
    const website = mutations.filter((m) => m.kind === 'appointment.upsert' && JSON.stringify(m.payload).includes('"website"'));
    assert.equal(website.length, 1);
    const cancelled = mutations.filter((m) => m.kind === 'appointment.status' && m.payload.change?.to === 'cancelled');
    assert.equal(cancelled.length, 1);
    await syncNow(desk, server.url);
    await desk.goto(server.url + `/calendar?day=${storeTomorrow()}`);
    await desk.getByTestId('day-view').waitFor();
    // A cancelled booking frees its time: it leaves the therapist's column.
    await desk.getByTestId('booking').filter({ hasText: '测试 王芳' }).waitFor({ state: 'detached' });

    assert.deepEqual(unexpectedErrors(customerErrors), []);
    assert.deepEqual(unexpectedErrors(deskErrors), []);
  } finally {
    await phone.close();
    await salon.close();
    await server.stop();
  }
});

test('she answers the consultation questions ahead with her consent; the therapist confirms them at the bedside', { timeout: 300_000 }, async () => {
  const PIN = '246810';
  const server = await startServer({ demo: false });
  const salon = await salonTablet();
  // The tablet's clock, to be moved to the booking's day for the bedside.
  await salon.clock.install({ time: Date.now() });
  const desk = await salon.newPage();
  const deskErrors = watchErrors(desk);
  const phone = await herPhone();
  try {
    await signInAsOwner(desk, server.url);
    // The bedside needs a PIN, set while the server is reachable.
    await desk.getByRole('link', { name: 'Settings', exact: true }).click();
    await desk.getByTestId('pairing').filter({ hasText: 'Registered' }).waitFor();
    await desk.locator('#pin-new').fill(PIN);
    await desk.locator('#pin-again').fill(PIN);
    await desk.getByRole('button', { name: 'Save PIN' }).click();
    await desk.getByTestId('pin-setup-message').filter({ hasText: 'PIN saved' }).waitFor();
    await setUpStore(desk, server.url, '近两周做过激光或果酸换肤吗？ | recent_laser\n皮肤现在有破损或过敏吗？ | broken_skin');
    await desk.getByTestId('tab-online-booking').click();
    await desk.getByLabel('Take bookings online').check();
    await desk.getByTestId('booking-save').click();
    await desk.getByText('Saved.').waitFor();
    await syncNow(desk, server.url);
    await desk.goto(server.url + '/setup');
    await desk.getByTestId('tab-online-booking').click();
    const link = (await desk.getByTestId('booking-link').textContent()).trim();

    // On her phone, in Chinese: the questions of the service, optional, and the consent, unticked.
    const customer = await phone.newPage();
    const customerErrors = watchErrors(customer);
    await customer.goto(link);
    await customer.getByRole('heading', { level: 1, name: '兰心美容 静安店' }).waitFor();
    await customer.getByLabel(/补水护理 · 60 分钟/).check();
    const consult = customer.locator('#consult');
    await consult.getByText('近两周做过激光或果酸换肤吗？').waitFor();
    assert.equal(await customer.locator('#consent').isChecked(), false);
    // The consent is the core's text, the one the tablet shows.
    await customer.locator('#consent-text').getByText(/过敏史/).waitFor();
    assert.match(await customer.locator('#consent-label').innerText(), /版本 2026-12/);
    await customer.locator('#slots .slot').first().click();
    await customer.getByLabel('姓名').fill('测试 李娜');
    await customer.getByLabel('手机号').fill('139 0013 9000');
    const laser = consult.locator('fieldset').filter({ hasText: '近两周做过激光' });
    await laser.getByLabel('否').check();
    const skin = consult.locator('fieldset').filter({ hasText: '皮肤现在有破损' });
    await skin.getByLabel('否').check();
    // Answers without her consent are not sent: she is told why.
    let posted = 0;
    customer.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/api/v1/book/')) posted += 1; });
    await customer.getByRole('button', { name: '提交预约' }).click();
    await customer.getByRole('alert').filter({ hasText: '回答咨询问题需要您同意门店保存健康信息' }).waitFor();
    await customer.locator('#consent-note').filter({ hasText: '请勾选同意' }).waitFor();
    assert.equal(posted, 0);
    await customer.locator('#consent').check();
    // Ticked, the sentence goes.
    await customer.locator('#consent-note').waitFor({ state: 'hidden' });
    assert.equal(await customer.locator('#error').innerText(), '');
    await assertAccessible(customer, 'booking page with questions (Chinese)');
    await shoot(customer, 'answers-zh-390x844');
    await customer.getByRole('button', { name: 'English' }).click();
    await consult.getByText('Consultation questions (optional)').waitFor();
    await customer.locator('#consent-text').getByText(/allergies/).waitFor();
    // Her answers and her tick stay through the language switch.
    assert.equal(await laser.getByLabel('No').isChecked(), true);
    assert.equal(await customer.locator('#consent').isChecked(), true);
    await assertAccessible(customer, 'booking page with questions (English)');
    await shoot(customer, 'answers-en-390x844');
    const booked = customer.waitForResponse((r) => r.url().includes('/api/v1/book/') && r.request().method() === 'POST');
    await customer.getByRole('button', { name: 'Book', exact: true }).click();
    assert.equal((await booked).status(), 201);
    await customer.getByRole('heading', { name: 'You are booked' }).waitFor();

    // The store's log: her consent given online, with no witness, and her answers in an entry of
    // their own — not in the booking.
    const { mutations } = await serverLog(desk);
    const consents = mutations.filter((m) => m.kind === 'consent.record');
    assert.equal(consents.length, 1);
    assert.equal(consents[0].payload.method, 'online');
    assert.equal(consents[0].payload.language, 'en');
    const ahead = mutations.filter((m) => m.kind === 'service_record.entry' && m.payload.type === 'consultation_ahead');
    assert.equal(ahead.length, 1);
    assert.deepEqual(ahead[0].payload.answers.map((a) => a.value), [{ type: 'yes_no', value: false }, { type: 'yes_no', value: false }]);
    const booking = mutations.find((m) => m.kind === 'appointment.upsert');
    assert.equal(JSON.stringify(booking.payload).includes('yes_no'), false);

    // The tablet pulls it, then goes to the treatment room with no network on the booking's day.
    // (Nothing waits in the outbox, so "sync now" returns before the pull lands: the calendar
    // showing her booking is the wait.)
    await syncNow(desk, server.url);
    await desk.goto(server.url + `/calendar?day=${storeTomorrow()}`);
    await desk.getByTestId('booking').filter({ hasText: '测试 李娜' }).waitFor();
    await salon.setOffline(true);
    await salon.clock.setSystemTime(Date.parse(`${storeTomorrow()}T09:55:00+08:00`));
    await desk.goto(server.url + '/bedside');
    await desk.getByTestId('bedside-lock').waitFor();
    await unlockWithPin(desk, 'unlock', PIN);
    await desk.getByTestId('bedside-day').waitFor();
    await desk.getByTestId('bedside-appointment').filter({ hasText: '测试 李娜' }).getByTestId('start-visit').click();
    await desk.getByTestId('visit-customer').filter({ hasText: '测试 李娜' }).waitFor();
    const visit = desk.getByTestId('consultation');
    // Pre-filled with what she answered, marked for the therapist to confirm with her.
    await visit.getByTestId('answers-ahead').filter({ hasText: 'Answered by the customer online' }).waitFor();
    assert.equal(await visit.getByTestId('answered-ahead').count(), 2);
    const q1 = visit.locator('fieldset').filter({ hasText: '近两周做过激光' });
    assert.equal(await q1.getByLabel('No').isChecked(), true);
    await assertAccessible(desk, 'bedside consultation with answers given ahead');
    await shoot(desk, 'bedside-ahead-en-1024x768');
    await desk.getByTestId('lang-select').selectOption('zh-CN');
    await visit.getByTestId('answers-ahead').filter({ hasText: '顾客已在网上预约时回答' }).waitFor();
    await visit.getByTestId('answered-ahead').first().filter({ hasText: '请与顾客确认' }).waitFor();
    await shoot(desk, 'bedside-ahead-zh-1024x768');
    await desk.getByTestId('lang-select').selectOption('en');
    // She confirms both; the consultation is the visit's now, and the service may go ahead.
    await visit.getByRole('button', { name: 'Confirm the answers and check contraindications' }).click();
    await visit.getByTestId('answers-ahead').waitFor({ state: 'detached' });
    await desk.getByTestId('service-stopped').waitFor({ state: 'detached' });
    assert.equal(await visit.getByTestId('answered-ahead').count(), 0);
    assert.equal(await q1.getByLabel('No').isChecked(), true);

    assert.deepEqual(unexpectedErrors(customerErrors), []);
    assert.deepEqual(unexpectedErrors(deskErrors), []);
  } finally {
    await phone.close();
    await salon.close();
    await server.stop();
  }
});
