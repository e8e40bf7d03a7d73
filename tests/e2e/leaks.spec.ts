// A leak report, on a phone, with JavaScript and without: a teacher reports from the footer
// of any page, the leader sees the banner on the next page they open, acknowledges, freezes
// the account the report names and revokes the release touching the class in one step, and
// closes the report with a conclusion; its timeline says how long each step took.
// Its portal holds a demo school of 90 students in two classes (t0001 teaches 一年级 1班).
import { type Browser, expect, type Page } from '@playwright/test';
import { expectAccessible, fitsThePhone, jsEnabled, phonePerson, watchConsole } from './helpers';
import { currentSchoolYear, demoSchool, test, usePortal } from './servers';

const PASSWORD = 'Dahan2027x';
usePortal('leaks', (p) => demoSchool(p, 90, PASSWORD));
const CLASS = `${currentSchoolYear()} 一年级 1班`;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 390, height: 844 } });

function person(browser: Browser, js: boolean, username: string): Promise<Page> {
  return phonePerson(browser, js, username, PASSWORD);
}

test('a teacher reports a leak; the leader contains it and closes it', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  // A live release of the class: t0002 asks, the leader approves, records1 releases.
  const asker = await person(browser, js, 't0002');
  await asker.getByTestId('requests-link').click();
  await asker.getByRole('link', { name: '提出查询申请' }).click();
  await asker.getByLabel('整班加入').selectOption({ label: CLASS });
  await asker.getByRole('button', { name: '加入所选班级的全部学生' }).click();
  const form = asker.getByTestId('filing-form');
  await form.getByRole('checkbox', { name: '联系电话' }).first().check();
  await form.getByLabel('用途').selectOption({ label: '家校联系' });
  await form.getByLabel('理由').fill('联系家长确认春游的集合地点和接送安排');
  await form.getByRole('button', { name: '提交申请' }).click();
  await expect(asker.getByTestId('done')).toHaveText('申请已提交，等待主管领导审批。');
  const requestUrl = asker.url().replace(/\?.*$/, '');
  const leader = await person(browser, js, 'leader');
  await leader.goto(requestUrl);
  await leader.getByTestId('decide-form').getByRole('button', { name: '批准', exact: true }).click();
  await expect(leader.getByTestId('done')).toHaveText('已批准，等待学籍管理员提供。');
  const records = await person(browser, js, 'records1');
  await records.goto(requestUrl);
  await records.getByTestId('fulfil-form').getByRole('button', { name: '确认提供' }).click();
  await expect(records.getByTestId('done')).toHaveText('已提供，查阅时限从现在开始。');

  // The class's teacher reports from the footer of the page they are on.
  const teacher = await person(browser, js, 't0001');
  const problems = watchConsole(teacher);
  await expect(teacher.getByTestId('leak-banner')).toHaveCount(0);
  await teacher.getByTestId('report-leak').click();
  await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('报告泄密');
  if (js) await expectAccessible(teacher);
  await teacher.getByLabel('发生了什么').fill('有人把本班学生名单和家长电话的截图转发到了校外的群里');
  await teacher.getByLabel('发生时间').fill('今天上午第二节课后');
  await teacher.getByLabel('如何发现').fill('一位家长看到后打电话告诉我');
  await teacher.getByText('涉及的学生、班级、账号（如已知）').click();
  await teacher.getByLabel('班级', { exact: true }).fill('一年级1班');
  await teacher.getByLabel('账号（用户名）').fill('t0002');
  await teacher.getByLabel('已采取的补救措施').fill('已请转发的家长删除截图');
  await teacher.getByRole('button', { name: '提交报告' }).click();
  await expect(teacher.getByTestId('done')).toHaveText('报告已提交，已通知领导、学籍管理员和系统管理员。');
  await expect(teacher.getByTestId('leak-record')).toContainText(CLASS);
  await fitsThePhone(teacher, 'the report');
  expect(problems).toEqual([]);

  // The leader's next page carries the banner; the report is acknowledged and contained.
  await leader.goto('/records');
  await expect(leader.getByTestId('leak-banner')).toContainText('有 1 份泄密报告尚未确认');
  await leader.getByTestId('leak-banner').getByRole('link', { name: '查看报告' }).click();
  await expect(leader.getByTestId('leak-figures')).toBeVisible();
  await leader.getByTestId('leaks-all').getByRole('link').first().click();
  await expect(leader.getByTestId('leak-accounts')).toContainText('(t0002)');
  if (js) await expectAccessible(leader);
  await fitsThePhone(leader, 'the report a leader handles');
  await leader.getByRole('button', { name: '确认收到，开始处置' }).click();
  await expect(leader.getByTestId('done')).toHaveText('已确认收到，报告进入处置。');
  await expect(leader.getByTestId('leak-banner')).toHaveCount(0);
  await expect(leader.getByRole('checkbox', { name: /t0002/ })).toBeChecked();
  await expect(leader.getByRole('radio', { name: '撤销涉及所列学生、班级的发放（1 项）' })).toBeChecked();
  await leader.getByRole('button', { name: '立即执行控制措施' }).click();
  await expect(leader.getByTestId('done')).toHaveText('控制措施已执行：所选账号已冻结，发放已撤销。');
  await expect(leader.getByTestId('leak-accounts')).toContainText('已冻结');
  await expect(leader.getByTestId('history')).toContainText('冻结账号、撤销发放');

  // The frozen account is signed out, and cannot sign in.
  await asker.goto('/requests');
  await expect(asker).toHaveURL(/\/sign-in/);
  await asker.getByLabel('用户名', { exact: true }).fill('t0002');
  await asker.getByLabel('密码').fill(PASSWORD);
  await asker.getByRole('button', { name: '登录', exact: true }).click();
  await expect(asker).toHaveURL(/\/sign-in/);
  // The release is over.
  await records.goto(requestUrl);
  await expect(records.getByText('已终止', { exact: true })).toBeVisible();
  // Its requester reads why, but nothing of a report.
  await expect(records.getByTestId('history')).toContainText('因保密工作需要');
  await expect(records.getByTestId('history')).not.toContainText('泄密报告');

  // A report closes once it keeps nobody frozen: refused, said why, then the account is
  // unfrozen and the report closed with a conclusion; the reporter sees it.
  await leader.getByText('结案', { exact: true }).click();
  await leader.getByLabel('结论').fill('截图已删除，未再扩散；已对相关账号持有人进行保密提醒');
  await leader.getByRole('button', { name: '填写结论并结案' }).click();
  await expect(leader.getByRole('alert').filter({ hasText: '报告中还有冻结' })).toBeVisible();
  await leader.getByRole('button', { name: /^解冻/ }).click();
  await expect(leader.getByTestId('done')).toHaveText('账号已解冻，可以重新登录。');
  await leader.getByText('结案', { exact: true }).click();
  await leader.getByLabel('结论').fill('截图已删除，未再扩散；已对相关账号持有人进行保密提醒');
  await leader.getByRole('button', { name: '填写结论并结案' }).click();
  await expect(leader.getByTestId('done')).toHaveText('报告已结案。');
  await expect(leader.getByTestId('leak-conclusion')).toContainText('截图已删除');
  await expect(leader.getByTestId('history').locator('li')).toHaveCount(5);
  await expect(leader.getByTestId('history')).toContainText('用时');
  await teacher.goto('/leaks');
  await expect(teacher.getByTestId('my-leaks')).toContainText('已结案');
});
