// Tables on a phone (390 px): the roster, the records overview, search, the audit trail,
// the accounts, the role-grant approvals and the requests are read as cards — no column cut
// off, no header wrapping one character per line, no page that scrolls sideways. With
// JavaScript and without. Its portal holds a 90-student demo school.
import { expect, type Page } from '@playwright/test';
import { fitsThePhone, signIn } from './helpers';
import { demoSchool, test, usePortal } from './servers';

const PASSWORD = 'Guyu2026';
usePortal('phone', (portal) => demoSchool(portal, 90, PASSWORD));

test.use({ viewport: { width: 390, height: 844 } });

/** The page fits the phone's width, and every cell of every table is on the screen, with
 * its label beside it. */
async function tablesFitThePhone(page: Page, what: string) {
  await fitsThePhone(page, what);
  const tables = page.locator('table.stack');
  expect(await tables.count(), `${what}: a table`).toBeGreaterThan(0);
  const cells = await page.evaluate(() =>
    [...document.querySelectorAll('table.stack tbody tr:first-child td')].map((td) => {
      const box = td.getBoundingClientRect();
      return { label: td.getAttribute('data-label') ?? '', right: box.right, height: box.height };
    }),
  );
  expect(cells.length, `${what}: a row`).toBeGreaterThan(0);
  for (const cell of cells) {
    expect(cell.label, `${what}: every cell is labelled`).not.toBe('');
    expect(cell.right, `${what}: “${cell.label}” is on the screen`).toBeLessThanOrEqual(390);
  }
}

test('a records administrator reads every list on a phone', async ({ page }) => {
  await signIn(page, 'records1', PASSWORD);
  await expect(page).toHaveURL(/\/records$/);
  await tablesFitThePhone(page, 'the overview');

  await page.locator('table.stack tbody tr').first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/records\/classes\//);
  await tablesFitThePhone(page, 'the roster');
  // The state is beside each student, not cut off.
  await expect(page.locator('table.roster tbody tr').first().locator('td[data-label="状态"]')).toBeInViewport();

  await page.goto('/records/search');
  await page.getByLabel('姓名、拼音、拼音首字母、身份证号或学籍号').fill('王');
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page.getByTestId('search-hits')).toBeVisible();
  await tablesFitThePhone(page, 'the search');

  await page.goto('/audit');
  await tablesFitThePhone(page, 'the audit trail');
});

test('the system administrator and the leading group on a phone', async ({ page, browser }, testInfo) => {
  await signIn(page, 'sysadmin', PASSWORD);
  await expect(page).toHaveURL(/\/admin\/accounts$/);
  await tablesFitThePhone(page, 'the accounts');
  // A privileged role proposed, for the leading group to decide on a phone.
  const row = page.locator('tr[data-username="t0001"]');
  await row.getByLabel('授予角色').selectOption('leader');
  await row.getByRole('button', { name: '授予角色' }).click();
  await expect(page.getByTestId('done')).toBeVisible();

  const context = await browser.newContext({
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled !== false,
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
  });
  const member = await context.newPage();
  await signIn(member, 'group1', PASSWORD);
  // The leading group's home is its to-do list; the grant waits on it, one tap away.
  await expect(member).toHaveURL(/\/$/);
  await member.getByTestId('todo').getByRole('link', { name: '1 项角色授予待审批' }).click();
  await expect(member).toHaveURL(/\/admin\/role-grants$/);
  await tablesFitThePhone(member, 'the role grants');
  await context.close();
});
