// A manager sets up the store offline: staff, a bed, a service with its SOP steps and
// consultation question, opening hours and limits; wrong input is named next to its field, in
// the user's language; everything survives an offline reload and shows in the calendar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchErrors, assertAccessible, waitForServiceWorker } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a manager sets up staff, beds, the catalog and opening hours offline', { timeout: 180_000 }, async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/settings');
    await waitForServiceWorker(page);
    await server.stop();
    await context.setOffline(true);

    // A standalone device acts as its owner, who may set the store up.
    await page.getByRole('link', { name: '门店设置' }).click();
    await page.getByRole('heading', { level: 1, name: '门店设置' }).waitFor();

    // Staff: an empty name is refused next to the field; then a therapist is added.
    await page.getByRole('button', { name: '添加员工' }).click();
    await page.locator('#staff-name-error').filter({ hasText: '请填写此项。' }).waitFor();
    await page.getByLabel('名称').fill('测试 王美容师');
    await page.getByLabel('角色').selectOption('therapist');
    await page.getByRole('button', { name: '添加员工' }).click();
    await page.getByRole('cell', { name: '测试 王美容师' }).waitFor();
    await assertAccessible(page, 'set-up: staff');

    // A bed.
    await page.getByRole('tab', { name: '房间与床位' }).click();
    await page.getByLabel('名称').fill('测试 3号床');
    await page.getByLabel('类型').selectOption('bed');
    await page.getByRole('button', { name: '添加房间或床位' }).click();
    await page.getByRole('cell', { name: '测试 3号床' }).waitFor();

    // A service: a step without minutes is named next to the steps, then fixed.
    await page.getByRole('tab', { name: '服务项目' }).click();
    await page.getByLabel('名称', { exact: true }).fill('测试 深层补水');
    await page.getByLabel('时长（分钟）').fill('60');
    await page.getByLabel('价格（元）').fill('380');
    await page.getByLabel('标准操作步骤').fill('清洁, 10\n补水精华导入');
    await page.getByLabel('咨询问题').fill('近期是否做过果酸换肤？ | recent_peel');
    await page.getByRole('button', { name: '保存服务项目' }).click();
    await page.locator('#service-steps-error').filter({ hasText: '每行写成' }).waitFor();
    await page.getByLabel('标准操作步骤').fill('清洁, 10\n补水精华导入, 40');
    await page.getByRole('button', { name: '保存服务项目' }).click();
    await page.getByRole('status').filter({ hasText: '已保存。' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: '测试 深层补水' });
    await row.waitFor();
    assert.match(await row.textContent(), /380/);
    await assertAccessible(page, 'set-up: catalog');

    // Hours: closing before opening is refused with the day named.
    await page.getByRole('tab', { name: '营业时间与时限' }).click();
    await page.locator('#hours-Mon-open').fill('21:00');
    await page.locator('#hours-Mon-close').fill('10:00');
    await page.getByRole('button', { name: '保存营业时间与时限' }).click();
    await page.getByRole('alert').filter({ hasText: '周一' }).waitFor();
    await page.locator('#hours-Mon-open').fill('10:00');
    await page.locator('#hours-Mon-close').fill('21:00');
    // A number outside the core's range is refused under its own field, with the range.
    const history = page.getByLabel('设备保留记录（月）');
    assert.equal(await history.inputValue(), '12');
    await history.fill('200');
    await page.getByRole('button', { name: '保存营业时间与时限' }).click();
    await page.getByText('请填写 1 到 120 之间的整数。').waitFor();
    await history.fill('6');
    await page.getByLabel('预约间隔（分钟）').fill('15');
    await page.getByRole('button', { name: '保存营业时间与时限' }).click();
    await page.getByRole('status').filter({ hasText: '已保存。' }).waitFor();
    await assertAccessible(page, 'set-up: hours and limits');

    // Offline reload: all of it is still there, and the therapist has her calendar column.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '门店设置' }).waitFor();
    await page.getByRole('cell', { name: '测试 王美容师' }).waitFor();
    await page.getByRole('tab', { name: '营业时间与时限' }).click();
    assert.equal(await page.getByLabel('预约间隔（分钟）').inputValue(), '15');
    assert.equal(await page.getByLabel('设备保留记录（月）').inputValue(), '6');
    await page.getByRole('tab', { name: '服务项目' }).click();
    await page.getByRole('button', { name: '编辑' }).first().click();
    assert.match(await page.getByLabel('标准操作步骤').inputValue(), /补水精华导入, 40/);
    await page.getByRole('link', { name: '预约日历' }).click();
    await page.getByText('测试 王美容师').first().waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
