// Article 1: a homeroom teacher collects a student's record with two guardians on a phone,
// a records administrator returns it with a reason, the teacher fixes it and submits it
// again, and the administrator verifies it — with JavaScript and without. Its portal starts
// with the school's first administrator, a leading-group member and a teacher, made through
// the command line and the API.
import { type Browser, expect, type Page } from '@playwright/test';
import { expectAccessible, jsEnabled, signIn, waitForIslands, watchConsole } from './helpers';
import { apiAs, cli, createAccount, test, usePortal } from './servers';

usePortal('records', async (portal) => {
  cli(portal, ['bootstrap-admin', '--username', 'admin', '--password-stdin'], 'Dongzhi2026\n');
  const admin = await apiAs(portal, 'admin', 'Dongzhi2026');
  await createAccount(portal, admin, { username: 'zhouzhuren', name: '周主任', roles: ['leading_group'], password: 'Qingming2026' });
  // The school has a leading group now: the teacher's link takes 周主任's activation code.
  const witness = await apiAs(portal, 'zhouzhuren', 'Qingming2026');
  await createAccount(portal, admin, { username: 'wanglaoshi', name: '王老师', roles: ['homeroom_teacher'], password: 'Bailu2026x' }, witness);
  await witness.dispose();
  await admin.dispose();
});

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 390, height: 844 } });

/** A real-shaped identity card number with its true check character (GB 11643). */
function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

const STUDENT_ID = idNumber('33010620170307031');
const WRONG_CHECK = STUDENT_ID.slice(0, 17) + (STUDENT_ID.endsWith('0') ? '1' : '0');

async function person(browser: Browser, js: boolean): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: js,
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
  });
  return context.newPage();
}

test('a records administrator is approved, builds the school year and gives the teacher a class', async ({ page, browser }, testInfo) => {
  const problems = watchConsole(page);
  const js = jsEnabled(testInfo);
  await signIn(page, 'admin', 'Dongzhi2026');
  await page.getByRole('link', { name: '账号管理' }).click();
  await page.getByLabel('用户名', { exact: true }).fill('chenguanli');
  await page.getByLabel('姓名', { exact: true }).fill('陈管理');
  await page.getByRole('checkbox', { name: '学籍管理员' }).check();
  await page.getByRole('button', { name: '创建账号并生成设置链接' }).click();
  const link = (await page.getByTestId('new-link').locator('code').textContent())!.trim();

  // A privileged role: the leading group approves it.
  const member = await person(browser, js);
  await signIn(member, 'zhouzhuren', 'Qingming2026');
  await member.getByRole('link', { name: '角色授予审批' }).click();
  await member.locator('tr[data-username="chenguanli"]').getByRole('button', { name: '批准' }).click();
  await expect(member.getByText('目前没有待审批的角色授予。')).toBeVisible();
  // The administrator holds the link; the member, a second person, hands over the code.
  await member.getByTestId('activations').locator('li[data-username="chenguanli"]').getByRole('button', { name: '显示开通码' }).click();
  await expect(member.getByTestId('done')).toHaveText('开通码已生成，请当面交给本人。');
  const code = (await member.getByTestId('activation-code').textContent())!.trim();
  expect(code).toMatch(/^\d{8}$/);
  if (js) await expectAccessible(member);
  await member.context().close();

  await page.goto(link);
  await waitForIslands(page, testInfo);
  await page.getByLabel('开通码').fill(code);
  await page.getByLabel('新密码', { exact: true }).fill('Lichun2026');
  await page.getByLabel('再次输入新密码').fill('Lichun2026');
  await page.getByRole('button', { name: '设置密码' }).click();
  await expect(page).toHaveURL(/\/sign-in\?done=welcome$/);
  await signIn(page, 'chenguanli', 'Lichun2026');

  await page.getByTestId('records-link').click();
  await page.getByRole('link', { name: '学校结构' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('学校结构');
  if (js) await expectAccessible(page);
  await page.getByLabel('学年（如 2026-2027）').fill('2026-2027');
  await page.getByLabel('开始日期').fill('2026-09-01');
  await page.getByLabel('结束日期').fill('2027-07-15');
  await page.getByRole('button', { name: '新建学年' }).click();
  await page.getByLabel('年级').selectOption({ label: '三年级' });
  await page.getByLabel('班级名称（如 1班）').fill('1班');
  await page.getByRole('button', { name: '新建班级' }).click();
  // One assignment form for every class: the class, then its teacher.
  await page.getByLabel('班级', { exact: true }).selectOption({ label: '2026-2027 三年级 1班' });
  await page.getByLabel('新班主任').selectOption({ label: '王老师 (wanglaoshi)' });
  await page.getByRole('button', { name: '指定', exact: true }).click();
  await expect(page.getByTestId('done')).toBeVisible();
  await expect(page.getByTestId('homeroom-classes').getByRole('row', { name: /2026-2027 三年级 1班/ })).toContainText('王老师');
  expect(problems).toEqual([]);
});

test('a teacher enters a student with two guardians; returned with a reason, fixed, verified', async ({ page, browser }, testInfo) => {
  const problems = watchConsole(page);
  const js = jsEnabled(testInfo);
  await signIn(page, 'wanglaoshi', 'Bailu2026x');
  await page.getByTestId('records-link').click();
  await page.getByRole('link', { name: '2026-2027 三年级 1班' }).click();
  await page.getByRole('link', { name: '录入新学生' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('录入新学生');
  await waitForIslands(page, testInfo);
  if (js) await expectAccessible(page);

  const student = page.getByRole('group', { name: '学生基本信息' });
  const classified = page.getByRole('group', { name: '机密信息（加密保存）' });
  const first = page.getByRole('group', { name: '家庭成员 1' });
  const second = page.getByRole('group', { name: '家庭成员 2' });
  await student.getByLabel('姓名', { exact: true }).fill('李小雨');
  await student.getByLabel('性别').selectOption({ label: '男' });
  await student.getByLabel('出生日期').fill('2017-03-07');
  await student.getByLabel('身份证件号').fill(WRONG_CHECK);
  // A place by its name (the server finds the code), or by its code.
  await student.getByLabel('出生地', { exact: true }).fill('杭州 西湖区');
  if (js) {
    // Checked as the teacher leaves the field, by the same rule the server applies.
    await expect(student.getByText('身份证号校验码不正确，请核对')).toBeVisible();
    await expect(student.getByLabel('身份证件号')).toHaveAttribute('aria-invalid', 'true');
  }
  await student.getByLabel('籍贯', { exact: true }).fill('西湖区');
  await student.getByLabel('户口所在地', { exact: true }).fill('330106');
  await student.getByLabel('户口性质').selectOption({ label: '居民户口' });
  await student.getByLabel('入学年月').fill('2023-09');
  await student.getByLabel('入学方式').selectOption({ label: '就近入学' });
  await student.getByLabel('就读方式').selectOption({ label: '走读' });
  await classified.getByLabel('健康状况').selectOption({ label: '健康或良好' });
  await classified.getByLabel('联系电话（手机）').fill('13812345678');
  await classified.getByLabel('现住址').fill('杭州市西湖区文三路 90 号');
  await first.getByLabel('姓名', { exact: true }).fill('李大山');
  await first.getByLabel('关系').selectOption({ label: '父亲' });
  await first.getByLabel('是监护人').check();
  await first.getByLabel('联系电话（手机）').fill('13912345678');
  await second.getByLabel('姓名', { exact: true }).fill('张红');
  await second.getByLabel('关系').selectOption({ label: '母亲' });
  await second.getByLabel('是监护人').check();
  await second.getByLabel('联系电话（手机）').fill('1370000111');
  if (js) await expect(page.getByTestId('draft-status')).toHaveText('草稿已自动保存');

  // Saved with two mistakes: refused, and everything typed is still there.
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(student.getByText('身份证号校验码不正确，请核对')).toBeVisible();
  await expect(second.getByText('请填写 11 位手机号码')).toBeVisible();
  await expect(classified.getByLabel('现住址')).toHaveValue('杭州市西湖区文三路 90 号');
  await student.getByLabel('身份证件号').fill(STUDENT_ID);
  await second.getByLabel('联系电话（手机）').fill('13700001111');
  // A place's name is the server's to look up (the browser has no list): with JavaScript
  // the form's own checks stopped the first save before it got there.
  if (js) await page.getByRole('button', { name: '保存', exact: true }).click();
  // 西湖区 alone names two places: said beside the field, with what to do.
  await expect(student.getByText('有多个地区叫这个名字')).toBeVisible();
  await student.getByLabel('籍贯', { exact: true }).fill('浙江 杭州 西湖');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page).toHaveURL(/\/records\/students\/[0-9a-f]{32}\?done=saved$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('李小雨');
  // What happened is said first, where a screen reader starts reading.
  await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeFocused();
  // The places are kept as codes and shown by name.
  await expect(student.getByLabel('出生地', { exact: true })).toHaveValue('330106');
  await expect(page.locator('#f-birthplace-name')).toHaveText('已选：浙江省 杭州市 西湖区');
  await expect(page).toHaveTitle('已保存。 · 学籍信息管理平台');
  // Saved classified values come back masked, never in full.
  await expect(page.locator("#f-id_number-kept")).toHaveText("已保存：******（留空则保持不变）");
  await expect(page.locator('body')).not.toContainText(STUDENT_ID);
  await expect(page.locator('body')).not.toContainText('13812345678');
  const studentUrl = page.url().split('?')[0];
  await page.getByRole('button', { name: '保存并提交核实' }).click();
  await expect(page.getByText('已提交', { exact: true })).toBeVisible();
  await expect(page.getByTestId('done')).toHaveText('已保存并提交核实，等待学籍管理员核实。');

  // The records administrator returns it with a reason.
  const admin = await person(browser, js);
  await signIn(admin, 'chenguanli', 'Lichun2026');
  await admin.getByTestId('records-link').click();
  await admin.getByTestId('review-queue').getByRole('link', { name: '李小雨' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('李小雨');
  await expect(admin.locator('body')).not.toContainText(STUDENT_ID);
  if (js) await expectAccessible(admin);
  // One classified value, unmasked for a stated reason (recorded in the audit trail).
  const phone = admin.locator('[data-field="phone"]');
  await expect(phone.locator('.value')).toHaveText('****5678');
  await phone.getByText('查看全文').click();
  await phone.getByLabel('查看原因（将记入审计日志）').fill('核对联系电话');
  await phone.getByRole('button', { name: '查看' }).click();
  await expect(admin.locator('[data-field="phone"] .value')).toHaveText('13812345678');
  await expect(admin.locator('body')).not.toContainText(STUDENT_ID);
  const reviewUrl = admin.url();
  await admin.getByLabel('退回原因').fill('母亲的联系电话请再核对');
  await admin.getByRole('button', { name: '退回' }).click();
  // Said, and on to what waits next: nothing else, so the queue.
  await expect(admin.getByTestId('done')).toHaveText('已退回班主任，退回原因已告知。');
  await expect(admin).toHaveURL(/\/records\/queue\?done=returned$/);

  // The teacher sees what came back and why, fixes it and submits again.
  await page.goto(studentUrl);
  await expect(page.getByTestId('return-reason')).toContainText('母亲的联系电话请再核对');
  await waitForIslands(page, testInfo);
  // Changed and handed in with one button, straight after typing (a draft may still be on
  // its way): what is on the screen is what the records administrator gets.
  await page.getByRole('group', { name: '家庭成员 2' }).getByLabel('联系电话（手机）').fill('13700002222');
  await page.getByRole('button', { name: '保存并提交核实' }).click();
  await expect(page.getByText('已提交', { exact: true })).toBeVisible();
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);

  await admin.goto(reviewUrl);
  await expect(admin.locator('[data-field="guardians.1.phone"] .value')).toHaveText('****2222');
  // What the teacher changed since it came back is marked for the records administrator.
  await expect(admin.locator('[data-field="guardians.1.phone"] .status.changed')).toHaveText('已修改');
  // Verifying asks first: the first press says what it means, the second acts.
  await admin.locator('summary', { hasText: '核实通过' }).click();
  await expect(admin.getByText('核实通过后，记录标为已核实')).toBeVisible();
  await admin.getByRole('button', { name: '确认核实通过' }).click();
  // On to the next record waiting; this was the last, so back to the (empty) queue.
  await expect(admin).toHaveURL(/\/records\/queue\?done=verified$/);
  await expect(admin.getByTestId('done')).toHaveText('已核实。');
  await expect(admin.getByTestId('queue-empty')).toHaveText('没有待核实的记录。');
  await admin.context().close();

  await page.goto(studentUrl);
  await expect(page.getByText('已核实', { exact: true })).toBeVisible();
  // Editing it now would send it back for verification: the form says so first.
  await expect(page.getByTestId('verified-warning')).toContainText('保存修改后，记录会回到“待核实”');
  expect(problems).toEqual([]);
});
