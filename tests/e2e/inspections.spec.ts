// A semi-annual inspection, on a phone, with JavaScript and without: a records administrator
// opens the inspections from the records page, sees the checklist the portal computed (the
// audit chain verified, its head MAC), records who took part and what was found, and the
// printable record keeps it all.
import { expect } from '@playwright/test';
import { expectAccessible, fitsThePhone, jsEnabled, signIn, watchConsole } from './helpers';
import { demoSchool, test, usePortal } from './servers';

const PASSWORD = 'Dahan2027x';
usePortal('inspections', (p) => demoSchool(p, 60, PASSWORD));

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 390, height: 844 } });

test('a records administrator records an inspection with the computed checklist', async ({ page }, testInfo) => {
  const js = jsEnabled(testInfo);
  const problems = watchConsole(page);
  await signIn(page, 'records1', PASSWORD);

  await page.getByTestId('records-link').click();
  await page.getByRole('link', { name: '半年检查' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('半年检查');
  await expect(page.getByTestId('inspection-due')).toContainText('下次检查应于');
  const checklist = page.getByTestId('checklist');
  await expect(checklist.getByTestId('audit-chain')).toContainText('完整');
  await expect(checklist.getByTestId('head-mac')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(checklist).toContainText('records1');
  if (js) await expectAccessible(page);

  await page.getByLabel('参加人员').fill('学籍管理员、分管副校长、保密工作领导小组成员');
  // Nothing comes ticked: re-confirming a holding is a decision. group2 is no longer needed
  // in the leading group: left unticked; group1 is re-confirmed.
  await expect(page.getByRole('checkbox', { name: /\(group2\)/ })).not.toBeChecked();
  await page.getByRole('checkbox', { name: /\(group1\)/ }).check();
  await page.getByLabel('检查事项').first().fill('账号与权限');
  await page.getByLabel('发现的问题').first().fill('无长期未登录账号；一名领导小组成员已调离');
  await page.getByLabel('整改措施').first().fill('由系统管理员收回其角色');
  await page.getByRole('button', { name: '保存检查记录' }).click();
  await expect(page.getByTestId('done')).toHaveText('检查记录已保存。');
  await expect(page.getByTestId('inspection-record')).toContainText('学籍管理员、分管副校长');
  await expect(page.getByTestId('inspection-items')).toContainText('一名领导小组成员已调离');
  await expect(page.getByTestId('head-mac')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.locator('main')).toContainText('(group2)');
  await fitsThePhone(page, 'the inspection record');
  if (js) await expectAccessible(page);
  expect(problems).toEqual([]);
});
