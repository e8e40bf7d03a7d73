// A records administrator imports a 50-row roster saved by Chinese Excel (GBK) with three
// bad rows, fixes nothing, imports the 47 good ones as drafts, and finds one of them by the
// initials of her name — with JavaScript and without. Its portal holds an empty demo school:
// the records administrator records1 and one class without students.
import * as path from 'node:path';
import { expect } from '@playwright/test';
import { expectAccessible, jsEnabled, signIn, waitForIslands, watchConsole } from './helpers';
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

  await page.getByRole('link', { name: '学籍', exact: true }).click();
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
  await expect(page.getByTestId('dry-run')).toHaveText('可导入 47 行，3 行有问题。');
  const table = page.getByTestId('problems');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table).toContainText('身份证号校验码不正确');
  await expect(table).toContainText('证件号被 Excel 存成了数字');
  await expect(table).toContainText('请填写 11 位手机号码');
  if (js) await expectAccessible(page);

  // With JavaScript the island asks for the streamed commit and follows its progress; without,
  // the form posts the plain commit.
  await waitForIslands(page, testInfo);
  const committed = page.waitForResponse((r) =>
    r.url().endsWith(js ? '/api/records/import/commit-stream' : '/api/records/import/commit'),
  );
  await page.getByRole('button', { name: '导入有效的 47 行（作为草稿）' }).click();
  const commit = await committed;
  expect(commit.status()).toBe(js ? 200 : 302);
  await expect(page).toHaveURL(/\/records\/classes\/[0-9a-f]{32}\?done=imported&rows=47$/);
  // The import ends by saying what it did, where a screen reader starts reading.
  await expect(page.getByTestId('done')).toHaveText('已导入 47 行，均为草稿：请逐一核对后提交核实。');
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
