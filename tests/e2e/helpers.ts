// Shared steps of the journeys.
import { type Browser, expect, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The newest migration's version, read from the folder the binary embeds. */
export function latestMigration(): string {
  const folder = path.resolve(__dirname, '..', '..', 'migrations');
  return fs.readdirSync(folder).filter((f) => f.endsWith('.sql')).map((f) => f.split('_')[0]).sort().pop()!;
}

export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** With JavaScript, waits until every island on the page has hydrated (islands are
 * rendered on the server, so once the page has loaded every one of them is there; a page
 * may hold none). */
export async function waitForIslands(page: Page, testInfo: TestInfo) {
  if (!jsEnabled(testInfo)) return;
  await page.waitForLoadState('load');
  const islands = page.locator('[data-hydrated]');
  for (const island of await islands.all()) {
    await expect(island).toHaveAttribute('data-hydrated', 'true');
  }
}

/** Fails on any WCAG 2.0/2.1 A or AA violation axe-core finds on the page; `except` names
 * rules a page breaks on purpose, each with its reason where it is called. */
export async function expectAccessible(page: Page, except: string[] = []) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .disableRules(except)
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}

/** Collects console errors and CSP violations, which must stay empty. A refused request
 * (a wrong password's 401) is an answer the page shows, not a problem. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    // Without JavaScript the browser never runs the module the page preloads, and says so
    // when a journey stays on the page for some seconds; with JavaScript, waitForIslands
    // proves the bundle was used.
    if (/was preloaded using link preload but not used/.test(text)) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // Every page the portal renders carries its own policy: its styles allowed, and its
  // script's nonce or no script at all (a page that fell back to the locked-down default
  // could load no style sheet).
  page.on('response', async (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) return;
    const policy = response.headers()['content-security-policy'] ?? '';
    if (!policy.startsWith("default-src 'self'") || !/'nonce-|script-src 'none'/.test(policy)) {
      problems.push(`${request.method()} ${response.status()} ${new URL(response.url()).pathname} came without its page policy: ${policy}`);
    }
  });
  return problems;
}

/** Signs in on the sign-in page (in Chinese, or in English for an `en` locale); each lands
 * where their role's work waits. */
export async function signIn(page: Page, username: string, password: string, locale = 'zh-CN') {
  const en = locale.startsWith('en');
  await page.goto('/sign-in');
  await page.getByLabel(en ? 'Username' : '用户名', { exact: true }).fill(username);
  await page.getByLabel(en ? 'Password' : '密码').fill(password);
  await page.getByRole('button', { name: en ? 'Sign in' : '登录', exact: true }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** A person signed in in a browser context of their own, on a phone (390 × 844), with
 * JavaScript or without. */
export async function phonePerson(
  browser: Browser,
  js: boolean,
  username: string,
  password: string,
  locale = 'zh-CN',
): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: js, locale, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, username, password, locale);
  return page;
}

/** The page fits the phone: nothing scrolls sideways (long numbers in a text included). */
export async function fitsThePhone(page: Page, what: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${what}: the page does not scroll sideways`).toBeLessThanOrEqual(390);
}
