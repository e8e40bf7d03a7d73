// The home page: it renders, hydrates, switches language through the server, and shows the
// system administrator (nobody else) the server's status answer — with JavaScript and
// without. Its portal holds an empty demo school, whose system administrator it signs in as.
import { expect } from '@playwright/test';
import { expectAccessible, jsEnabled, latestMigration, signIn, waitForIslands, watchConsole } from './helpers';
import { demoSchool, test, usePortal } from './servers';

usePortal('home', (portal) => demoSchool(portal, 0, 'Dongzhi2026'));

test('switches the language through the server and back', async ({ page, context }, testInfo) => {
  const problems = watchConsole(page);
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  // Signed out, the home page holds no island: it ships no script and its policy allows none.
  expect(response?.headers()['content-security-policy']).toMatch(/^default-src 'self'; script-src 'none'; style-src 'self'/);
  expect(response?.headers()['cache-control']).toBe('no-store');

  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('学籍信息管理平台');
  // Signed out, nothing of the portal's inner workings.
  await expect(page.getByTestId('migration')).toHaveCount(0);
  await waitForIslands(page, testInfo);

  await page.getByRole('button', { name: '切换界面语言为英文（English）' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Student records portal');
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === 'xueji_locale')).toMatchObject({ value: 'en', httpOnly: true, sameSite: 'Lax' });
  // The form post never leaves the page's address (no error in the URL).
  expect(new URL(page.url()).pathname).toBe('/');
  expect(new URL(page.url()).search).toBe('');

  await waitForIslands(page, testInfo);
  await page.getByRole('button', { name: 'Switch the interface to Chinese (中文)' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('学籍信息管理平台');
  expect(problems).toEqual([]);
});

test('shows the system administrator the status and asks the server again', async ({ page }, testInfo) => {
  const problems = watchConsole(page);
  await signIn(page, 'sysadmin', 'Dongzhi2026');
  await expect(page).toHaveURL(/\/admin\/accounts$/);
  await page.goto('/');
  await expect(page.getByTestId('migration')).toContainText(`版本 ${latestMigration()}`);
  await waitForIslands(page, testInfo);
  const checkedAt = page.getByTestId('checked-at');
  expect(await checkedAt.textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(Asia\/Shanghai\)$/);

  if (jsEnabled(testInfo)) {
    // A marker on the window survives only if the page is not reloaded: the island
    // updates in place from the server function's answer.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  }
  // Asked again: the server's answer (JSON for the island, the page again without
  // JavaScript) is what the panel shows, stamped anew; no waiting for the clock to tick.
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/status' && r.request().method() === 'POST');
  await page.getByRole('button', { name: '重新检查' }).click();
  const answer = await answered;
  if (jsEnabled(testInfo)) {
    const status = (await answer.json()) as { checked_at: string };
    await expect(checkedAt).toHaveText(`${status.checked_at} (Asia/Shanghai)`);
  } else {
    expect([302, 303]).toContain(answer.status());
    await expect(checkedAt).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(Asia\/Shanghai\)$/);
  }
  await expect(page.getByTestId('database')).toHaveText('运行正常 · WAL');
  if (jsEnabled(testInfo)) {
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  }
  expect(new URL(page.url()).search).toBe('');
  expect(problems).toEqual([]);
});

test('meets WCAG 2.1 AA in both languages', async ({ page, context }, testInfo) => {
  // axe runs as a script in the page; the HTML without JavaScript is the same document.
  test.skip(!jsEnabled(testInfo), 'axe-core needs JavaScript in the page');
  await page.goto('/');
  await waitForIslands(page, testInfo);
  await expectAccessible(page);
  await context.addCookies([{ name: 'xueji_locale', value: 'en', url: page.url() }]);
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await waitForIslands(page, testInfo);
  await expectAccessible(page);
});

test('a page that needs a signed-in person leads to sign-in, and sign-in leads back to it', async ({ page }) => {
  await page.goto('/no-such-page');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');

  // A link opened signed out (a colleague's, say) is where sign-in goes on to.
  await page.goto('/audit?action=account.created');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel('用户名', { exact: true }).fill('sysadmin');
  await page.getByLabel('密码').fill('Dongzhi2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/audit\?action=account\.created$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('审计记录');
});
