// A records administrator imports a 50-row roster saved by Chinese Excel (GBK) with three
// bad rows, fixes nothing, imports the 47 good ones as drafts, and finds one of them by the
// initials of her name — with JavaScript and without. Its portal holds an empty demo school:
// the records administrator records1 and one class without students.
import * as path from 'node:path';
import { expect } from '@playwright/test';
import { expectAccessible, fitsThePhone, jsEnabled, phonePerson, signIn, waitForIslands, watchConsole } from './helpers';
import { currentSchoolYear, demoSchool, test, usePortal } from './servers';

const PASSWORD = 'Lichun2026';
usePortal('roster', (portal) => demoSchool(portal, 0, PASSWORD));
const CLASS = `${currentSchoolYear()} 一年级 1班`;

test.use({ viewport: { width: 390, height: 844 } });

test('a GBK roster: dry run, 47 of 50 imported, one found by pinyin initials', async ({ page }, testInfo) => {
  const problems = watchConsole(page);
  const js = jsEnabled(testInfo);
  await signIn(page, 'records1', PASSWORD);
  // A records administrator's day starts at the records and their queue.
  await expect(page).toHaveURL(/\/records$/);

  await page.getByTestId('records-link').click();
  await page.getByRole('link', { name: '导入花名册' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('导入花名册');
  if (js) await expectAccessible(page);
  await page.getByLabel('班级').selectOption({ label: CLASS });
  await page.getByLabel('文件（.xlsx 或 .csv，不超过 900 KB）').setInputFiles(path.join(__dirname, 'fixtures', 'roster-50-gbk.csv'));
  await page.getByRole('button', { name: '上传' }).click();
  await expect(page).toHaveURL(/\/records\/import\/[0-9a-f]{32}$/);
  await expect(page.getByText('共 50 行')).toBeVisible();
  // The columns were recognised from the template's headers.
  await expect(page.getByLabel('列“身份证件号”')).toHaveValue('id_number');

  await page.getByRole('button', { name: '试运行（不写入任何数据）' }).click();
  // The class has its teacher: the three rows to correct come in as drafts for them.
  await expect(page.getByTestId('dry-run')).toHaveText(
    '47 行完整，可直接导入为草稿；3 行信息不全，将作为“待补全”草稿交给班主任补齐；0 行不能导入。',
  );
  const groups = page.getByTestId('incomplete');
  await expect(groups.locator('li')).toHaveCount(3);
  await expect(groups).toContainText('身份证号校验码不正确');
  await expect(groups).toContainText('证件号被表格存成了数字');
  await expect(groups).toContainText('请填写 11 位手机号码');
  await fitsThePhone(page, 'the dry run');
  if (js) await expectAccessible(page);

  // With JavaScript the island asks for the streamed commit and follows its progress; without,
  // the form posts the plain commit.
  await waitForIslands(page, testInfo);
  const committed = page.waitForResponse((r) =>
    r.url().endsWith(js ? '/api/records/import/commit-stream' : '/api/records/import/commit'),
  );
  await page.getByRole('button', { name: '导入 50 行（3 行作为待补全草稿）' }).click();
  const commit = await committed;
  expect(commit.status()).toBe(js ? 200 : 302);
  await expect(page).toHaveURL(/\/records\/classes\/[0-9a-f]{32}\?done=imported_incomplete&rows=47&incomplete=3$/);
  // The import ends by saying what it did, where a screen reader starts reading.
  await expect(page.getByTestId('done')).toHaveText(
    '已导入 47 行完整的草稿；另有 3 行信息不全，已作为“待补全”草稿交给班主任补齐后提交。',
  );
  await expect(page.getByTestId('done')).toBeFocused();
  await expect(page.getByRole('link', { name: '龚晓蕾' })).toBeVisible();
  await expect(page.locator('table.roster tbody tr')).toHaveCount(47);

  await page.goto('/records/search');
  await page.getByLabel('姓名、拼音、拼音首字母、身份证号或学籍号').fill('gxl');
  await page.getByRole('button', { name: '查找' }).click();
  const hits = page.getByTestId('search-hits');
  await expect(hits.getByRole('link', { name: '龚晓蕾' })).toBeVisible();
  await expect(hits).toContainText('******');
  expect(problems).toEqual([]);
});

// A school's own sheet (序号, 班级 一(1)班, 学生姓名, 出生年月 2020.4.2, 身份证号码 saved as
// numbers, 民族 汉, 家庭住址, 父亲/母亲 columns; no 性别, no 出生地) comes in whole as drafts the
// teacher completes, one of them here, on a phone.
test("a school's own sheet comes in as drafts the teacher completes", async ({ page, browser }, testInfo) => {
  const problems = watchConsole(page);
  const js = jsEnabled(testInfo);
  await signIn(page, 'records1', PASSWORD);
  await page.goto('/records/import');
  await page.getByLabel('文件（.xlsx 或 .csv，不超过 900 KB）').setInputFiles(path.join(__dirname, 'fixtures', 'school-own-sheet.xlsx'));
  await page.getByRole('button', { name: '上传' }).click();
  await expect(page.getByText('共 6 行')).toBeVisible();
  // Its columns are recognised by themselves: the father's name as a family member's.
  await expect(page.getByLabel('列“出生年月”')).toHaveValue('birth_date');
  await expect(page.getByLabel('列“父亲姓名”')).toHaveValue('guardians.0.name');
  await page.getByRole('button', { name: '试运行（不写入任何数据）' }).click();
  await expect(page.getByTestId('dry-run')).toHaveText(
    '0 行完整，可直接导入为草稿；6 行信息不全，将作为“待补全”草稿交给班主任补齐；0 行不能导入。',
  );
  // Problems by kind, each with its rows, the number nobody can tell named on its own row.
  const groups = page.getByTestId('incomplete');
  await expect(groups).toContainText('6 行：出生地：');
  await expect(groups).toContainText('第 2–7 行');
  await expect(groups).toContainText('1 行：身份证件号：证件号被表格存成了数字');
  await expect(groups).toContainText('第 5 行');
  await fitsThePhone(page, 'the dry run of a school sheet');
  await page.screenshot({ path: testInfo.outputPath('import-dry-run.png'), fullPage: true });
  await waitForIslands(page, testInfo);
  await page.getByRole('button', { name: '导入 6 行（6 行作为待补全草稿）' }).click();
  await expect(page.getByTestId('done')).toContainText('另有 6 行信息不全');

  // The class's teacher is told first thing, and completes one.
  const teacher = await phonePerson(browser, js, 't0001', PASSWORD);
  // (The GBK roster's three rows wait for the same teacher: nine in all.)
  const todo = teacher.getByTestId('todo');
  const toComplete = todo.getByRole('link', { name: /^\d+ 名导入的学生信息不全，待补全$/ });
  await expect(toComplete).toHaveText('9 名导入的学生信息不全，待补全');
  await toComplete.click();
  const waiting = teacher.getByTestId('to-complete');
  await expect(waiting).toContainText('待补全（9）');
  await waiting.getByRole('link', { name: '张小明' }).click();
  await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('补全：张小明');
  await expect(teacher.getByLabel('身份证件号').first()).toHaveValue('110101202004020010');
  await expect(teacher.getByLabel('出生日期')).toHaveValue('2020-04-02');
  const first = teacher.getByRole('group', { name: '家庭成员 1' });
  await expect(first.getByLabel('关系')).toHaveValue('father');
  await teacher.getByLabel('出生地', { exact: true }).fill('110101');
  await teacher.getByLabel('籍贯', { exact: true }).fill('110101');
  await teacher.getByLabel('户口所在地', { exact: true }).fill('110101');
  await teacher.getByLabel('户口性质').selectOption({ label: '居民户口' });
  await teacher.getByLabel('入学年月').fill('2026-09');
  await teacher.getByLabel('入学方式').selectOption({ label: '就近入学' });
  await teacher.getByLabel('就读方式').selectOption({ label: '走读' });
  await teacher.getByLabel('健康状况').selectOption({ label: '健康或良好' });
  await teacher.getByLabel('联系电话（手机）').first().fill('13812345678');
  await teacher.screenshot({ path: testInfo.outputPath('complete-draft.png'), fullPage: true });
  await teacher.getByRole('button', { name: '保存', exact: true }).click();
  await expect(teacher.getByTestId('done')).toHaveText('已保存。');
  await teacher.goto('/records');
  await expect(teacher.getByTestId('todo')).toContainText('8 名导入的学生信息不全，待补全');
  await teacher.context().close();
  expect(problems).toEqual([]);
});
