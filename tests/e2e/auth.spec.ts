// Article 4: the first administrator chooses their own password through a one-time link,
// signs in, changes the password and signs out — with JavaScript and without.
import { expect } from '@playwright/test';
import { expectAccessible, jsEnabled, waitForIslands, watchConsole } from './helpers';
import { cli, type Portal, test, usePortal } from './servers';

const portal = usePortal('auth');

function bootstrapLink(portal: Portal): string {
  const out = cli(portal, ['bootstrap-admin', '--username', 'admin']);
  const link = out.trim().split('\n').pop()!;
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup\/[A-Za-z0-9_-]{43}$/);
  return link;
}

// The journeys build on each other: the administrator of the first creates the teacher of the second.
test.describe.configure({ mode: 'serial' });

test('bootstrap link → set password → sign in → change password → sign out', async ({ page }, testInfo) => {
  const problems = watchConsole(page);
  const link = bootstrapLink(portal());

  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('设置密码');
  await expect(page.getByText('您的用户名：')).toContainText('admin');
  await waitForIslands(page, testInfo);
  // axe runs as a script in the page, so only where JavaScript runs; the HTML is the same.
  const checkAccessibility = async () => {
    if (jsEnabled(testInfo)) await expectAccessible(page);
  };
  await checkAccessibility();

  // A password the rule refuses: live feedback with JavaScript, the server's answer either way.
  await page.getByLabel('新密码', { exact: true }).fill('admin123');
  if (jsEnabled(testInfo)) {
    await expect(page.getByTestId('password-problems')).toContainText('密码不能包含用户名。');
  }
  await page.getByLabel('再次输入新密码').fill('admin123');
  await page.getByRole('button', { name: '设置密码' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '密码不能包含用户名。' })).toBeVisible();

  await page.getByLabel('新密码', { exact: true }).fill('Qiuyue2026');
  if (jsEnabled(testInfo)) {
    await expect(page.getByTestId('password-problems')).toBeEmpty();
  }
  await page.getByLabel('再次输入新密码').fill('Qiuyue2026');
  await page.getByRole('button', { name: '设置密码' }).click();
  await expect(page).toHaveURL(/\/sign-in\?done=welcome$/);
  await expect(page.getByRole('status')).toHaveText('密码已设置，请用新密码登录。');

  // The link is spent.
  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText('此链接无效或已过期');

  await page.goto('/sign-in');
  await waitForIslands(page, testInfo);
  await checkAccessibility();
  // A wrong password twice: the username stays, the cursor waits in the password field,
  // the address stays clean.
  await page.getByLabel('用户名', { exact: true }).fill('admin');
  for (const wrong of ['Qiuyue2025', 'Qiuyue2024']) {
    await page.getByLabel('密码').fill(wrong);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '用户名或密码不正确' })).toBeVisible();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/sign-in');
    await expect(page.getByLabel('用户名', { exact: true })).toHaveValue('admin');
    await expect(page.getByLabel('密码')).toBeFocused();
  }
  await page.getByLabel('密码').fill('Qiuyue2026');
  await page.getByRole('button', { name: '登录' }).click();
  // A system administrator's day starts at the accounts.
  await expect(page).toHaveURL(/\/admin\/accounts$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('账号管理');
  await page.goto('/account');
  await expect(page.getByTestId('roles')).toHaveText('学籍系统管理员');
  await checkAccessibility();

  await page.getByRole('link', { name: '修改密码' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('修改密码');
  await waitForIslands(page, testInfo);
  await checkAccessibility();
  await page.getByLabel('当前密码').fill('Qiuyue2026');
  await page.getByLabel('新密码', { exact: true }).fill('Dongzhi2026');
  await page.getByLabel('再次输入新密码').fill('Dongzhi2026');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page).toHaveURL(/\/account\?done=password_changed$/);
  await expect(page.getByRole('status')).toContainText('密码已修改');

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/sign-in\?done=signed_out$/);
  await expect(page.getByRole('status')).toHaveText('您已退出登录。');
  await page.goto('/account');
  await expect(page).toHaveURL(/\/sign-in$/);

  // A wrong password is refused in words, and the new password works.
  await waitForIslands(page, testInfo);
  await page.getByLabel('用户名', { exact: true }).fill('admin');
  await page.getByLabel('密码').fill('Qiuyue2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '用户名或密码不正确。' })).toBeVisible();
  await page.getByLabel('用户名', { exact: true }).fill('admin');
  await page.getByLabel('密码').fill('Dongzhi2026');
  await page.getByRole('button', { name: '登录' }).click();
  // Back to the page opened while signed out.
  await expect(page).toHaveURL(/\/account$/);
  expect(problems).toEqual([]);
});

test('the administrator creates a teacher, who chooses a password and signs in', async ({ page, browser }, testInfo) => {
  const problems = watchConsole(page);
  await page.goto('/sign-in');
  await page.getByLabel('用户名', { exact: true }).fill('admin');
  await page.getByLabel('密码').fill('Dongzhi2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/admin\/accounts$/);

  await page.getByRole('link', { name: '账号管理' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('账号管理');
  if (jsEnabled(testInfo)) await expectAccessible(page);
  // A username already taken: refused, with the problem beside it and everything kept.
  await page.getByLabel('用户名', { exact: true }).fill('admin');
  await page.getByLabel('姓名', { exact: true }).fill('王老师');
  await page.getByRole('checkbox', { name: '班主任' }).check();
  await page.getByRole('button', { name: '创建账号并生成设置链接' }).click();
  await expect(page.locator('#new-username-error')).toHaveText('该用户名已被使用。');
  await expect(page.getByLabel('用户名', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('姓名', { exact: true })).toHaveValue('王老师');
  await expect(page.getByRole('checkbox', { name: '班主任' })).toBeChecked();
  expect(new URL(page.url()).search).toBe('');
  await page.getByLabel('用户名', { exact: true }).fill('wanglaoshi');
  await page.getByRole('button', { name: '创建账号并生成设置链接' }).click();
  await expect(page.getByTestId('done')).toHaveText('账号已创建。请把下面的设置链接当面交给本人。');
  const issued = page.getByTestId('new-link');
  await expect(issued).toContainText('wanglaoshi');
  const link = (await issued.locator('code').textContent())!.trim();
  expect(link).toMatch(/\/setup\/[A-Za-z0-9_-]{43}$/);
  const row = page.locator('tr[data-username="wanglaoshi"]');
  await expect(row).toContainText('待设置密码');
  // Shown once: a reload no longer has it.
  await page.reload();
  await expect(page.getByTestId('new-link')).toHaveCount(0);

  // The teacher, in a browser of their own.
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), locale: 'zh-CN' });
  const teacher = await context.newPage();
  await teacher.goto(link);
  await expect(teacher.getByRole('paragraph').filter({ hasText: '您好，王老师' })).toBeVisible();
  await waitForIslands(teacher, testInfo);
  await teacher.getByLabel('新密码', { exact: true }).fill('wanglaoshi1');
  await teacher.getByLabel('再次输入新密码').fill('wanglaoshi1');
  await teacher.getByRole('button', { name: '设置密码' }).click();
  await expect(teacher.getByRole('alert').filter({ hasText: '密码不能包含用户名。' })).toBeVisible();
  await teacher.getByLabel('新密码', { exact: true }).fill('Bailu2026x');
  await teacher.getByLabel('再次输入新密码').fill('Bailu2026x');
  await teacher.getByRole('button', { name: '设置密码' }).click();
  await expect(teacher).toHaveURL(/\/sign-in\?done=welcome$/);
  await teacher.getByLabel('用户名', { exact: true }).fill('wanglaoshi');
  await teacher.getByLabel('密码').fill('Bailu2026x');
  await teacher.getByRole('button', { name: '登录' }).click();
  // A teacher's day starts at their classes (none yet: who can help is said).
  await expect(teacher).toHaveURL(/\/records$/);
  await expect(teacher.getByTestId('no-classes')).toHaveText('您还没有负责的班级。请联系学籍管理员为您指定班级。');
  await teacher.goto('/account');
  await expect(teacher.getByTestId('roles')).toHaveText('班主任');
  // A teacher has no console.
  await expect(teacher.getByRole('link', { name: '账号管理' })).toHaveCount(0);
  await context.close();

  await page.reload();
  await expect(row).toContainText('正常');
  expect(problems).toEqual([]);
});

test('a privileged role is proposed by the administrator and approved by a leading-group member', async ({ page, browser }, testInfo) => {
  const problems = watchConsole(page);
  await page.goto('/sign-in');
  await page.getByLabel('用户名', { exact: true }).fill('admin');
  await page.getByLabel('密码').fill('Dongzhi2026');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '账号管理' }).click();

  // The school's first leading-group member: granted directly, as no leading group exists yet.
  await page.getByLabel('用户名', { exact: true }).fill('zhouzhuren');
  await page.getByLabel('姓名', { exact: true }).fill('周主任');
  await page.getByRole('checkbox', { name: '保密工作领导小组成员' }).check();
  await page.getByRole('button', { name: '创建账号并生成设置链接' }).click();
  const link = (await page.getByTestId('new-link').locator('code').textContent())!.trim();
  await expect(page.locator('tr[data-username="zhouzhuren"]').getByTestId('held-roles')).toContainText('保密工作领导小组成员');

  // Now a privileged role for the teacher is only a request.
  const teacherRow = page.locator('tr[data-username="wanglaoshi"]');
  await teacherRow.getByLabel('授予角色').selectOption('leader');
  await teacherRow.getByRole('button', { name: '授予角色' }).click();
  const heldRoles = page.locator('tr[data-username="wanglaoshi"]').getByTestId('held-roles');
  await expect(heldRoles).toHaveText(/^班主任/);
  await expect(heldRoles).not.toContainText('主管领导');
  // … which the administrator sees waiting, and is told so.
  await expect(page.getByTestId('done')).toHaveText('授予申请已提交，等待保密工作领导小组审批。');
  await expect(page.locator('tr[data-username="wanglaoshi"]').getByTestId('pending-roles')).toHaveText('待审批 授予角色 · 主管领导');

  // The leading-group member sets a password, signs in and approves.
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), locale: 'zh-CN' });
  const member = await context.newPage();
  await member.goto(link);
  await waitForIslands(member, testInfo);
  await member.getByLabel('新密码', { exact: true }).fill('Qingming2026');
  await member.getByLabel('再次输入新密码').fill('Qingming2026');
  await member.getByRole('button', { name: '设置密码' }).click();
  await expect(member).toHaveURL(/\/sign-in\?done=welcome$/);
  await member.getByLabel('用户名', { exact: true }).fill('zhouzhuren');
  await member.getByLabel('密码').fill('Qingming2026');
  await member.getByRole('button', { name: '登录' }).click();
  // What waits for the member is counted in the header.
  await expect(member.getByTestId('grants-waiting')).toHaveText('1');
  await member.getByRole('link', { name: '角色授予审批' }).click();
  const request = member.locator('tr[data-username="wanglaoshi"]');
  await expect(request).toContainText('主管领导');
  await expect(request).toContainText('admin');
  if (jsEnabled(testInfo)) await expectAccessible(member);
  await request.getByRole('button', { name: '批准' }).click();
  await expect(member.getByText('目前没有待审批的角色授予。')).toBeVisible();
  await context.close();

  await page.reload();
  await expect(page.locator('tr[data-username="wanglaoshi"]').getByTestId('held-roles')).toContainText('主管领导');
  expect(problems).toEqual([]);
});
