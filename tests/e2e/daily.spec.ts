// Daily work as schools do it, on a phone, with JavaScript and without: every home begins
// with what waits; the student form says what it requires and where each place will be
// saved; a disabled homeroom teacher does not stop the school year. Its portal holds a demo
// school of 90 students in two classes (t0001 teaches 一年级 1班, t0002 二年级 1班).
import { expect } from '@playwright/test';
import { expectAccessible, fitsThePhone, jsEnabled, phonePerson, signIn, waitForIslands, watchConsole } from './helpers';
import { apiAs, currentSchoolYear, demoSchool, test, usePortal } from './servers';

const PASSWORD = 'Dashu2026x';
const portal = usePortal('daily', (portal) => demoSchool(portal, 90, PASSWORD));

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 390, height: 844 } });

test('every home begins with what waits, the longest-waiting first, one tap away', async ({ page, browser }, testInfo) => {
  const problems = watchConsole(page);
  const js = jsEnabled(testInfo);
  // A teacher's home begins with their to-do list too.
  const teacher = await phonePerson(browser, js, 't0001', PASSWORD);
  await expect(teacher.getByTestId('todo')).toBeVisible();
  await teacher.context().close();

  await signIn(page, 'records1', PASSWORD);
  await expect(page).toHaveURL(/\/records$/);
  // The to-do list comes before anything else, right under the title.
  const todo = page.getByTestId('todo');
  await expect(todo).toBeVisible();
  const box = await todo.boundingBox();
  expect(box!.y, 'the to-do list is on the first screen').toBeLessThan(450);
  const classes = await page.getByRole('heading', { name: '全部班级' }).boundingBox();
  expect(box!.y, 'before the classes').toBeLessThan(classes!.y);
  await expect(page.getByTestId('records-link')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('records-home.png') });
  if (js) await expectAccessible(page);

  // A leader's home is their to-do list of every kind of decision.
  const leader = await phonePerson(browser, js, 'leader', PASSWORD);
  await expect(leader).toHaveURL(/\/$/);
  await expect(leader.getByTestId('todo')).toBeVisible();
  const leaderBox = await leader.getByTestId('todo').boundingBox();
  expect(leaderBox!.y).toBeLessThan(450);
  await fitsThePhone(leader, "the leader's home");
  await leader.screenshot({ path: testInfo.outputPath('leader-home.png') });
  await leader.context().close();
  expect(problems).toEqual([]);
});

test('the student form marks what it requires and says where a place will be saved', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const teacher = await phonePerson(browser, js, 't0001', PASSWORD);
  const problems = watchConsole(teacher);
  await teacher.getByTestId('records-link').click();
  await teacher.getByTestId('my-class').click();
  await teacher.getByRole('link', { name: '录入新学生' }).click();
  // The phone's star, and the first family member's.
  const starred = (label: string, within = teacher.locator('main')) =>
    within.locator('.label-line', { has: teacher.getByText(label, { exact: true }) }).locator('.required');
  await expect(starred('联系电话（手机）').first()).toBeVisible();
  await expect(starred('姓名', teacher.getByRole('group', { name: '家庭成员 1' }))).toBeVisible();
  // A place with two of its name: the form offers both before anything is saved.
  await teacher.getByLabel('姓名', { exact: true }).first().fill('李小雨');
  await teacher.getByLabel('出生地', { exact: true }).fill('西湖区');
  await teacher.getByRole('button', { name: '核对地名（暂存，不保存）' }).click();
  await expect(teacher.getByText('有 2 个地方叫这个名字')).toBeVisible();
  await expect(teacher.getByTestId('f-birthplace-choices')).toContainText('浙江省 杭州市 西湖区');
  await teacher.screenshot({ path: testInfo.outputPath('places.png'), fullPage: true });
  await teacher.getByLabel('出生地', { exact: true }).fill('浙江省 杭州市 西湖区');
  await teacher.getByRole('button', { name: '核对地名（暂存，不保存）' }).click();
  await expect(teacher.getByText('将保存为：浙江省 杭州市 西湖区（330106）')).toBeVisible();
  await expect(teacher.getByLabel('姓名', { exact: true }).first()).toHaveValue('李小雨');
  if (!js) {
    // Saved half done without JavaScript: the summary's items lead to their fields.
    await teacher.getByRole('button', { name: '保存', exact: true }).click();
    const summary = teacher.locator('.form-errors').first();
    await summary.getByRole('link', { name: /联系电话（手机）/ }).click();
    await expect(teacher).toHaveURL(/#f-phone$/);
  }
  await fitsThePhone(teacher, 'the student form');
  if (js) await expectAccessible(teacher);
  await teacher.context().close();
  expect(problems).toEqual([]);
});

test('a disabled homeroom teacher does not stop the school year', async ({ page }, testInfo) => {
  const problems = watchConsole(page);
  const js = jsEnabled(testInfo);
  // t0002 leaves the school: the system administrator disables the account.
  const admin = await apiAs(portal(), 'sysadmin', PASSWORD);
  const console = await (await admin.post('/api/admin/accounts')).json();
  const t0002 = console.accounts.find((a: { username: string }) => a.username === 't0002');
  const changed = await admin.post('/api/admin/accounts/change', { form: { user_id: String(t0002.id), change: 'disable' } });
  expect(changed.status()).toBe(200);
  await admin.dispose();

  await signIn(page, 'records1', PASSWORD);
  await page.goto('/records/structure');
  // Where classes are assigned, the account's state shows; before the rollover, it is named.
  await expect(page.getByTestId('homeroom-classes')).toContainText('账号已停用');
  await expect(page.getByTestId('rollover-unavailable')).toContainText('二年级 1班');
  await page.getByLabel('最高年级（毕业年级）').selectOption({ label: '六年级' });
  await page.getByRole('button', { name: '预览升级' }).click();
  const blocked = page.getByTestId('rollover-blocked');
  await expect(blocked).toContainText('二年级 1班');
  await expect(blocked).toContainText('(t0002)（账号已停用）');
  // The preview is at the top of the page, where the eye is.
  await page.screenshot({ path: testInfo.outputPath('rollover-blocked.png') });
  if (js) await expectAccessible(page);
  await page.getByRole('button', { name: '确认升级（上述班级暂不设班主任）' }).click();
  await expect(page.getByTestId('done')).toBeVisible();
  const next = currentSchoolYear().split('-').map((y) => Number(y) + 1).join('-');
  const classes = page.getByTestId('homeroom-classes');
  await expect(classes).toContainText(`${next} 三年级 1班`);
  await expect(classes.locator('tr', { hasText: `${next} 三年级 1班` })).toContainText('（未指定）');
  await fitsThePhone(page, 'the structure page');
  expect(problems).toEqual([]);
});

test('a session that ends while a teacher types says so where they are looking', async ({ browser }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'the autosave that notices is a script; without one, sign-in says it (HTTP test)');
  const teacher = await phonePerson(browser, true, 't0001', PASSWORD);
  const problems = watchConsole(teacher);
  await teacher.getByTestId('records-link').click();
  await teacher.getByTestId('my-class').click();
  await teacher.getByRole('link', { name: '录入新学生' }).click();
  await waitForIslands(teacher, testInfo);
  // Far down the form, when the system administrator ends the teacher's sessions.
  const admin = await apiAs(portal(), 'sysadmin', PASSWORD);
  const console = await (await admin.post('/api/admin/accounts')).json();
  const t0001 = console.accounts.find((a: { username: string }) => a.username === 't0001');
  expect((await admin.post('/api/admin/accounts/change', { form: { user_id: String(t0001.id), change: 'end_sessions' } })).status()).toBe(200);
  await admin.dispose();
  const address = teacher.getByLabel('现住址').first();
  await address.scrollIntoViewIfNeeded();
  await address.fill('杭州市西湖区文三路 90 号');
  const notice = teacher.getByTestId('draft-status');
  await expect(notice).toContainText('登录已过期');
  const box = (await notice.boundingBox())!;
  expect(box.y, 'not above the screen').toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, 'not below it').toBeLessThanOrEqual(844);
  await teacher.screenshot({ path: testInfo.outputPath('session-ended.png') });
  await teacher.context().close();
  expect(problems).toEqual([]);
});
