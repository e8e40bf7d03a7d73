// A change of status (学籍异动) on a phone, with JavaScript and without: a records
// administrator files a pupil's transfer out on the pupil's record, the leader sees it
// waiting, reads the approval form and approves it after a second step, and the pupil is no
// longer on the class's roster. Before the approval nothing about the pupil changed.
// Its portal holds a demo school of 90 students in two classes (t0001 teaches 一年级 1班).
import { expect } from '@playwright/test';
import { expectAccessible, fitsThePhone, jsEnabled, phonePerson, watchConsole } from './helpers';
import { currentSchoolYear, demoSchool, test, usePortal } from './servers';

const PASSWORD = 'Dahan2027x';
usePortal('changes', (p) => demoSchool(p, 90, PASSWORD));
const CLASS = `${currentSchoolYear()} 一年级 1班`;

test.use({ viewport: { width: 390, height: 844 } });

/** A PNG of one pixel: the proof each application is approved on. */
const PROOF = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** On a filed application's form, its filer adds the proof. */
async function addProof(page: import('@playwright/test').Page) {
  await page.getByLabel('佐证材料文件').setInputFiles({ name: 'proof.png', mimeType: 'image/png', buffer: PROOF });
  await page.getByRole('button', { name: '上传佐证材料' }).click();
  await expect(page.getByTestId('done')).toHaveText('佐证材料已上传。');
  await expect(page.getByTestId('change-proofs')).toContainText('佐证材料 1（PNG）');
}

/** Yesterday in the school's zone (UTC+8), as a date field takes it. */
function yesterday(): string {
  return new Date(Date.now() + 8 * 3600 * 1000 - 24 * 3600 * 1000).toISOString().slice(0, 10);
}

test('a transfer out is filed, approved by the leader, and the pupil leaves the roster', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  // The teacher's roster: the first pupil, and the address of their record.
  const teacher = await phonePerson(browser, js, 't0001', PASSWORD);
  await teacher.getByTestId('records-link').click();
  await teacher.getByRole('link', { name: CLASS }).first().click();
  const rosterUrl = teacher.url();
  const first = teacher.locator('table.roster tbody tr a').first();
  const name = (await first.textContent())!.trim();
  const record = new URL((await first.getAttribute('href'))!, rosterUrl).pathname;

  // The records administrator files the transfer on the pupil's record.
  const records = await phonePerson(browser, js, 'records1', PASSWORD);
  const problems = watchConsole(records);
  await records.goto(record);
  await records.getByText('办理学籍异动', { exact: true }).click();
  await records.getByLabel('异动类别').selectOption({ label: '转出' });
  await records.getByLabel('异动原因').selectOption({ label: '随家庭迁居' });
  await records.getByLabel('异动日期').fill(yesterday());
  await records.getByLabel('对方学校名称').fill('城东第二小学');
  await records.getByRole('button', { name: '提交异动申请' }).click();
  await expect(records.getByTestId('done')).toHaveText('异动申请已提交，等待学籍主管校领导审批；批准前学生的学籍不变。');
  await expect(records.getByTestId('change-record')).toContainText(name);
  await expect(records.getByText('待审批', { exact: true })).toBeVisible();
  await addProof(records);
  await fitsThePhone(records, 'the filed approval form');
  if (js) await expectAccessible(records);
  // Nothing changed yet: the pupil is on the roster, and their record says one waits.
  await teacher.goto(rosterUrl);
  await expect(teacher.locator('table.roster tbody')).toContainText(name);
  await records.goto(record);
  await expect(records.getByTestId('change-pending')).toBeVisible();

  // The leader sees it waiting and approves after a second step.
  const leader = await phonePerson(browser, js, 'leader', PASSWORD);
  await expect(leader.getByTestId('changes-waiting')).toHaveText('1');
  await leader.getByTestId('changes-link').click();
  await expect(leader.getByRole('heading', { level: 1 })).toHaveText('学籍异动');
  await leader.getByTestId('changes-to-decide').getByRole('link', { name }).click();
  await expect(leader.getByTestId('change-record')).toContainText('城东第二小学');
  await expect(leader.getByTestId('change-kind')).toHaveText('转出');
  await expect(leader.getByTestId('change-proofs')).toContainText('佐证材料 1（PNG）');
  await fitsThePhone(leader, 'the approval form');
  if (js) await expectAccessible(leader);
  await leader.getByText('批准异动', { exact: true }).click();
  await leader.getByRole('button', { name: '确认批准' }).click();
  await expect(leader.getByTestId('done')).toHaveText('已批准，异动已生效。');
  await expect(leader.getByText('已批准，已生效').first()).toBeVisible();

  // The pupil has left: off the roster; the records administrator is told.
  await teacher.goto(rosterUrl);
  await expect(teacher.locator('table.roster tbody')).not.toContainText(name);
  await records.goto('/changes');
  await expect(records.getByTestId('my-changes')).toContainText(name);
  expect(problems).toEqual([]);
});

test('a suspension takes the pupil out of the count and a resumption brings them back to the class picked', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const teacher = await phonePerson(browser, js, 't0001', PASSWORD);
  await teacher.getByTestId('records-link').click();
  await teacher.getByRole('link', { name: CLASS }).first().click();
  const rosterUrl = teacher.url();
  const row = teacher.locator('table.roster tbody tr').last();
  const link = row.locator('a').first();
  const name = (await link.textContent())!.trim();
  const record = new URL((await link.getAttribute('href'))!, rosterUrl).pathname;

  // Filed and approved: a suspension.
  const records = await phonePerson(browser, js, 'records1', PASSWORD);
  const problems = watchConsole(records);
  await records.goto(record);
  await records.getByText('办理学籍异动', { exact: true }).click();
  await records.getByLabel('异动类别').selectOption({ label: '休学' });
  await records.getByLabel('异动原因').selectOption({ label: '疾病' });
  await records.getByLabel('异动日期').fill(yesterday());
  await records.getByRole('button', { name: '提交异动申请' }).click();
  await expect(records.getByTestId('done')).toHaveText('异动申请已提交，等待学籍主管校领导审批；批准前学生的学籍不变。');
  await addProof(records);
  const leader = await phonePerson(browser, js, 'leader', PASSWORD);
  await leader.getByTestId('changes-link').click();
  await leader.getByTestId('changes-to-decide').getByRole('link', { name }).click();
  await expect(leader.getByTestId('change-kind')).toHaveText('休学');
  await leader.getByText('批准异动', { exact: true }).click();
  await leader.getByRole('button', { name: '确认批准' }).click();
  await expect(leader.getByTestId('done')).toHaveText('已批准，异动已生效。');

  // Suspended: on the roster in words, on the record with the day.
  await teacher.goto(rosterUrl);
  await expect(teacher.locator('table.roster tbody tr', { hasText: name })).toContainText('休学');
  await fitsThePhone(teacher, 'the roster with a suspended pupil');
  await records.goto(record);
  await expect(records.getByTestId('suspended')).toContainText(`自 ${yesterday()} 起休学`);
  if (js) await expectAccessible(records);

  // A resumption: the leader picks the class the pupil returns to.
  await records.getByText('办理学籍异动', { exact: true }).click();
  await records.getByLabel('异动类别').selectOption({ label: '复学' });
  await records.getByLabel('异动原因').selectOption({ label: '病愈' });
  await records.getByLabel('异动日期').fill(yesterday());
  await records.getByRole('button', { name: '提交异动申请' }).click();
  await expect(records.getByTestId('done')).toBeVisible();
  await addProof(records);
  await leader.goto('/changes');
  await leader.getByTestId('changes-to-decide').getByRole('link', { name }).click();
  await expect(leader.getByTestId('change-kind')).toHaveText('复学');
  await leader.getByLabel('转入班级').selectOption({ label: CLASS });
  await fitsThePhone(leader, 'the resumption form with its class');
  if (js) await expectAccessible(leader);
  await leader.getByText('批准异动', { exact: true }).click();
  await leader.getByRole('button', { name: '确认批准' }).click();
  await expect(leader.getByTestId('done')).toHaveText('已批准，异动已生效。');
  await expect(leader.getByTestId('change-to-class')).toHaveText(CLASS);

  await teacher.goto(rosterUrl);
  await expect(teacher.locator('table.roster tbody tr', { hasText: name })).not.toContainText('休学');
  await records.goto(record);
  await expect(records.getByTestId('suspended')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a key-data change is filed on a verified record, proved, approved, and only then taken', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const teacher = await phonePerson(browser, js, 't0001', PASSWORD);
  await teacher.getByTestId('records-link').click();
  await teacher.getByRole('link', { name: CLASS }).first().click();
  const rosterUrl = teacher.url();
  const row = teacher.locator('table.roster tbody tr', { hasText: '已核实' }).nth(js ? 1 : 2);
  const link = row.locator('a').first();
  const name = (await link.textContent())!.trim();
  const record = new URL((await link.getAttribute('href'))!, rosterUrl).pathname;
  const renamed = `${name.slice(0, 1)}${js ? '晓' : '筱'}${name.slice(-1)}`;

  // The teacher keeps the record up to date, but not its key data.
  const problems = watchConsole(teacher);
  await teacher.goto(record);
  await teacher.locator('#f-name').fill(renamed);
  await teacher.getByRole('button', { name: '保存', exact: true }).click();
  await expect(teacher.getByText('该学籍已核实，此项为关键数据').first()).toBeVisible();
  await teacher.goto(rosterUrl);
  await expect(teacher.locator('table.roster tbody')).not.toContainText(renamed);

  // The records administrator files it: only what changes, with a reason, then the proof.
  const records = await phonePerson(browser, js, 'records1', PASSWORD);
  await records.goto(record);
  const form = records.getByTestId('key-data');
  await form.getByText('关键数据变更', { exact: true }).click();
  await expect(form.locator('#f-name-kept')).toContainText(name);
  await form.locator('#f-name').fill(renamed);
  await form.getByLabel('变更原因').selectOption({ label: '登记错误' });
  await fitsThePhone(records, 'the key-data form');
  if (js) await expectAccessible(records);
  await form.getByRole('button', { name: '提出关键数据变更' }).click();
  await expect(records.getByTestId('done')).toHaveText('异动申请已提交，等待学籍主管校领导审批；批准前学生的学籍不变。');
  await expect(records.getByTestId('change-kind')).toHaveText('关键数据变更');
  await expect(records.getByTestId('key-changes')).toContainText(renamed);
  await addProof(records);

  // The leader reads what changes and approves; the record takes it.
  const leader = await phonePerson(browser, js, 'leader', PASSWORD);
  await leader.getByTestId('changes-link').click();
  await leader.getByTestId('changes-to-decide').getByRole('link', { name }).click();
  await expect(leader.getByTestId('key-changes')).toContainText(name);
  await expect(leader.getByTestId('key-changes')).toContainText(renamed);
  await fitsThePhone(leader, 'the key-data approval form');
  if (js) await expectAccessible(leader);
  await leader.getByText('批准异动', { exact: true }).click();
  await leader.getByRole('button', { name: '确认批准' }).click();
  await expect(leader.getByTestId('done')).toHaveText('已批准，异动已生效。');
  await teacher.goto(rosterUrl);
  await expect(teacher.locator('table.roster tbody')).toContainText(renamed);
  expect(problems).toEqual([]);
});
