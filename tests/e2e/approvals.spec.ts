// The leading group's two approvals, on a phone, with JavaScript and without.
// Article 4: a records administrator hands the role to a successor, a leading-group member
// approves, the successor releases the request the predecessor had waiting, and the
// predecessor's session is over and the role gone.
// Article 3: a teacher writes a notice with a pupil's name and a phone number, sees both
// marked, takes the number out and submits; the leading group approves, with a reason for
// keeping the name, and the notice gets its review number.
// Its portal holds a demo school of 90 students in two classes (t0001 teaches 一年级 1班).
import { type Browser, expect, type Page } from '@playwright/test';
import { expectAccessible, fitsThePhone, jsEnabled, phonePerson, waitForIslands, watchConsole } from './helpers';
import { apiAs, createAccount, currentSchoolYear, demoSchool, test, usePortal } from './servers';

const PASSWORD = 'Dahan2027x';
const portal = usePortal('approvals', (p) => demoSchool(p, 90, PASSWORD));
const CLASS = `${currentSchoolYear()} 一年级 1班`;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 390, height: 844 } });

function person(browser: Browser, js: boolean, username: string): Promise<Page> {
  return phonePerson(browser, js, username, PASSWORD);
}

/** Tomorrow, as a date field takes it: after today wherever the school is. */
function tomorrow(): string {
  return new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

test('a records administrator hands over; the successor takes up what was waiting', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const successor = js ? 'zhaoxin' : 'qianhui';
  const admin = await apiAs(portal(), 'sysadmin', PASSWORD);
  // The successor, a teacher with an account of their own.
  const witness = await apiAs(portal(), 'group1', PASSWORD);
  await createAccount(portal(), admin, { username: successor, name: '赵新', roles: ['homeroom_teacher'], password: PASSWORD }, witness);
  await witness.dispose();

  // A request approved by the leader waits for a records administrator's release.
  const teacher = await person(browser, js, 't0002');
  await teacher.getByTestId('requests-link').click();
  await teacher.getByRole('link', { name: '提出查询申请' }).click();
  await teacher.getByLabel('整班加入').selectOption({ label: CLASS });
  await teacher.getByRole('button', { name: '加入所选班级的全部学生' }).click();
  const form = teacher.getByTestId('filing-form');
  await form.getByRole('checkbox', { name: '联系电话' }).first().check();
  await form.getByLabel('用途').selectOption({ label: '家校联系' });
  await form.getByLabel('理由').fill('联系家长确认春游的集合地点和接送安排');
  await form.getByRole('button', { name: '提交申请' }).click();
  await expect(teacher.getByTestId('done')).toHaveText('申请已提交，等待主管领导审批。');
  const requestUrl = teacher.url().replace(/\?.*$/, '');
  const leader = await person(browser, js, 'leader');
  await leader.goto(requestUrl);
  await leader.getByTestId('decide-form').getByRole('button', { name: '批准', exact: true }).click();
  await expect(leader.getByTestId('done')).toHaveText('已批准，等待学籍管理员提供。');

  // records1 applies to hand the role over.
  const outgoing = await person(browser, js, 'records1');
  const problems = watchConsole(outgoing);
  await outgoing.getByTestId('handovers-link').click();
  await expect(outgoing.getByRole('heading', { level: 1 })).toHaveText('账号移交');
  if (js) await expectAccessible(outgoing);
  await outgoing.getByLabel('移交的角色').selectOption({ label: '学籍管理员' });
  await outgoing.getByLabel('接任人的用户名').fill(successor);
  await outgoing.getByLabel('移交原因').fill('调任教务处，学籍管理工作交接给接任人');
  await outgoing.getByLabel('移交日期').fill(tomorrow());
  await outgoing.getByRole('button', { name: '提交移交申请' }).click();
  await expect(outgoing.getByTestId('done')).toHaveText('移交申请已提交，等待保密工作领导小组审批。');
  const handoverUrl = outgoing.url().replace(/\?.*$/, '');

  // A leading-group member sees it waiting and approves, after a second step.
  const member = await person(browser, js, 'group1');
  await expect(member.getByTestId('handovers-waiting')).toHaveText('1');
  await member.getByTestId('handovers-link').click();
  await member.getByTestId('handovers-to-decide').getByRole('link', { name: '学籍管理员' }).click();
  await expect(member.getByTestId('handover-record')).toContainText(`赵新 (${successor})`);
  await fitsThePhone(member, 'the handover record');
  if (js) await expectAccessible(member);
  await member.getByText('批准移交', { exact: true }).click();
  await member.getByRole('button', { name: '确认批准' }).click();
  await expect(member.getByTestId('done')).toHaveText('已批准，角色已移交给接任人，移交人的登录已失效。');
  await expect(member.getByTestId('in-flight')).toContainText('1 项已批准待提供的信息申请');

  // The successor signs in with their own password and releases the waiting request.
  const next = await person(browser, js, successor);
  await next.goto(requestUrl);
  await next.getByTestId('fulfil-form').getByRole('button', { name: '确认提供' }).click();
  await expect(next.getByTestId('done')).toHaveText('已提供，查阅时限从现在开始。');

  // The predecessor's session is over; signed in again, the role is gone and the record says so.
  await outgoing.goto('/records/queue');
  await expect(outgoing).toHaveURL(/\/sign-in/);
  await outgoing.getByLabel('用户名', { exact: true }).fill('records1');
  await outgoing.getByLabel('密码').fill(PASSWORD);
  await outgoing.getByRole('button', { name: '登录', exact: true }).click();
  await expect(outgoing.getByTestId('handovers-link')).toHaveCount(0);
  await outgoing.goto(handoverUrl);
  await expect(outgoing.getByText('已批准，已移交')).toBeVisible();
  await outgoing.goto('/records/queue');
  await expect(outgoing.getByTestId('queue-count')).toHaveCount(0);
  await expect(outgoing.getByTestId('queue-empty')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a notice with a name and a phone number: marked, changed, approved with a reason', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const teacher = await person(browser, js, 't0001');
  const problems = watchConsole(teacher);
  // A pupil of the teacher's own class, by name.
  await teacher.getByTestId('records-link').click();
  await teacher.getByRole('link', { name: CLASS }).first().click();
  const name = (await teacher.locator('table.roster tbody tr a').first().textContent())!.trim();

  await teacher.getByTestId('publications-link').click();
  await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('上网信息审查');
  await teacher.getByRole('link', { name: '新建待发布内容' }).click();
  await waitForIslands(teacher, testInfo);
  await teacher.getByLabel('标题').fill(`作文比赛获奖喜报（${js ? '一' : '二'}）`);
  await teacher.getByLabel('发布渠道').selectOption({ label: '家长群' });
  const body = teacher.getByLabel('正文（不超过 20000 字）');
  await body.fill(`祝贺${name}同学在区作文比赛中获得一等奖！详情请联系13912345678。`);
  // With JavaScript the number is pointed out as it is typed.
  if (js) await expect(teacher.getByTestId('live-scan')).toContainText('手机号码');
  await teacher.getByRole('checkbox', { name: /我是本内容的发布责任人/ }).check();
  await teacher.getByRole('button', { name: '保存并检查' }).click();
  await expect(teacher.getByTestId('done')).toHaveText('已保存并检查。');
  await expect(teacher.getByTestId('findings')).toContainText('发现 2 处可能的个人信息');
  await expect(teacher.getByTestId('marked-text').locator('mark')).toHaveCount(2);
  await expect(teacher.getByTestId('marked-text').locator('mark.finding-student_name')).toContainText(name);
  await fitsThePhone(teacher, 'the checked draft');
  if (js) await expectAccessible(teacher);

  // The number goes; the name stays (the prize is news); submitted for review.
  await waitForIslands(teacher, testInfo);
  await teacher.getByLabel('正文（不超过 20000 字）').fill(`祝贺${name}同学在区作文比赛中获得一等奖！`);
  await teacher.getByRole('button', { name: '保存并提交审查' }).click();
  await expect(teacher.getByTestId('done')).toHaveText('已提交审查，等待保密工作领导小组审查。');
  await expect(teacher.getByTestId('findings')).toContainText('发现 1 处');
  const textUrl = teacher.url().replace(/\?.*$/, '');

  // A leading-group member approves, with a reason for keeping the name.
  const member = await person(browser, js, 'group2');
  await expect(member.getByTestId('publications-waiting')).toHaveText('1');
  await member.getByTestId('publications-link').click();
  await member.getByTestId('publications-to-decide').getByRole('link').first().click();
  await expect(member.getByTestId('marked-text').locator('mark')).toHaveCount(1);
  await fitsThePhone(member, 'the text to review');
  if (js) await expectAccessible(member);
  await member.getByLabel(/保留第 1 处（在校学生姓名/).fill('获奖喜报，家长已书面同意公开孩子姓名');
  await member.getByText('批准发布', { exact: true }).click();
  await member.getByRole('button', { name: '确认批准' }).click();
  await expect(member.getByTestId('done')).toHaveText('已批准发布，审查编号已生成。');
  await expect(member.getByTestId('review-number')).toHaveText(/^审查编号 \d{4}-\d{4}$/);

  // The author sees the number to put on the notice.
  await teacher.goto(textUrl);
  await expect(teacher.getByTestId('review-number')).toBeVisible();
  await expect(teacher.getByTestId('overrides')).toContainText('家长已书面同意');
  expect(problems).toEqual([]);
});
