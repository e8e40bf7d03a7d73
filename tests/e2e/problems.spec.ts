// Problem records (问题学籍) on a phone, with JavaScript and without: the records
// administrator reads a pupil's identity number on their record (a reason, audited), imports
// the national system's check that says it does not match the name, finds the pupil on the
// problem records' page and settles it with 佐证; the leader reads the counts and the
// school's figures, no pupil's problem by name.
// Its portal holds a demo school of 90 students in two classes (t0001 teaches 一年级 1班).
import { expect } from '@playwright/test';
import { expectAccessible, fitsThePhone, jsEnabled, phonePerson, watchConsole } from './helpers';
import { currentSchoolYear, demoSchool, test, usePortal } from './servers';

const PASSWORD = 'Dahan2027x';
usePortal('problems', (p) => demoSchool(p, 90, PASSWORD));
const CLASS = `${currentSchoolYear()} 一年级 1班`;

test.use({ viewport: { width: 390, height: 844 } });

test('the national check is imported, a problem record is settled with evidence, and leaders see counts', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const records = await phonePerson(browser, js, 'records1', PASSWORD);
  const problems = watchConsole(records);
  await records.goto('/records/problems');
  await expect(records.getByRole('heading', { level: 1 })).toHaveText('问题学籍');
  await expect(records.getByTestId('no-problems')).toBeVisible();

  // A pupil of the first class (the first and the last journey take different ones), and
  // their identity number, read on their record for a stated reason.
  await records.goto('/records');
  await records.getByRole('link', { name: CLASS }).first().click();
  const row = js ? 1 : 2;
  const link = records.locator('table.roster tbody tr a').nth(row);
  const name = (await link.textContent())!.trim();
  await link.click();
  const number = records.locator('[data-field="id_number"]');
  await number.getByText('查看全文').click();
  await number.getByLabel('查看原因（将记入审计日志）').fill('核对全国学籍系统比对结果');
  await number.getByRole('button', { name: '查看' }).click();
  const idNumber = (await records.locator('[data-field="id_number"] .value').textContent())!.trim();
  expect(idNumber).toMatch(/^\d{17}[\dX]$/);

  // The national system's check: the number does not match the name.
  await records.goto('/records/problems');
  const csv = `姓名,身份证件类型,身份证件号,比对结果\n${name},居民身份证,${idNumber},身份证号与姓名不匹配\n`;
  await records
    .getByLabel('比对结果文件')
    .setInputFiles({ name: 'check.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await records.getByRole('button', { name: '导入', exact: true }).click();
  await expect(records.getByTestId('done')).toContainText('1 条对应本校在校学生');
  const open = records.getByTestId('open-problems');
  await expect(open).toContainText(name);
  await expect(open).toContainText('身份证号与姓名不匹配（全国系统反馈）');
  await expect(records.locator('body')).not.toContainText(idNumber);
  await fitsThePhone(records, 'the problem records');
  if (js) await expectAccessible(records);

  // 佐证: the 户口簿 was checked.
  await records.getByLabel(`为 ${name} 核对过的证件`).selectOption({ label: '户口簿' });
  await records.getByRole('button', { name: '记录佐证' }).click();
  await expect(records.getByTestId('done')).toHaveText('已记录佐证，该问题已处理。');
  await expect(records.getByTestId('no-problems')).toBeVisible();
  await expect(records.getByTestId('settled-problems')).toContainText(name);
  await expect(records.getByTestId('settled-problems')).toContainText('户口簿');
  expect(problems).toEqual([]);

  // The leader: counts by kind and the school's figures, no pupil named.
  const leader = await phonePerson(browser, js, 'leader', PASSWORD);
  await expect(leader.getByTestId('school-figures')).toContainText('全校合计');
  await fitsThePhone(leader, "the leader's home with the school's figures");
  await leader.getByTestId('records-link').click();
  await leader.getByRole('link', { name: '问题学籍' }).click();
  await expect(leader.getByTestId('problem-counts')).toBeVisible();
  await expect(leader.locator('body')).not.toContainText(name);
  await expect(leader.getByTestId('open-problems')).toHaveCount(0);
  if (js) await expectAccessible(leader);
});
