// What a first visit costs: the HTML, the stylesheet, and — only on a page that holds an
// island — the script and the WebAssembly, as they travel (brotli). Each page is opened in a
// fresh browser context, so nothing is cached; then once more, when only the HTML may come
// again. Runs on a portal of its own, filled with a small demo school.
import { type Browser, expect } from '@playwright/test';
import { demoSchool, test, usePortal } from './servers';

test.describe.configure({ mode: 'serial' });

const PASSWORD = 'Qiuyue2026';
const KB = 1024;

/** The budgets, page by page: light pages load no script at all, the student form its own
 * small bundle (server/src/pages.rs). */
const LIGHT = 30 * KB;
const STUDENT_FORM = 150 * KB;
/** A page with one of the other islands (the publication editor's live scan, the status
 * panel, the import's progress) loads the main bundle, which carries the shared words of
 * the message catalogue (`app/locales/shared`; the words only the server's pages say stay
 * on the server). The whole catalogue took the publication editor to 280.2 KB on a first
 * visit (272,061 bytes of WebAssembly) once key data, 转入 and retention added their words;
 * without the pages' words it measured 265.4 KB (256,959). A bundle of the editor's own
 * (its scan's data) is the next way down. */
const ISLANDS = 270 * KB;

const portal = usePortal('budgets', (portal) => demoSchool(portal, 90, PASSWORD), {
  javaScriptOnly: 'measured once, with JavaScript',
});

/** A fresh context of `username` (signed in through the API, so no page was loaded yet). */
async function visitor(browser: Browser, username?: string) {
  const context = await browser.newContext({ baseURL: portal().url, locale: 'zh-CN' });
  if (username) {
    const signedIn = await context.request.post('/api/sign-in', {
      form: { username, password: PASSWORD },
      headers: { Origin: portal().url, Accept: 'application/json' },
    });
    expect(signedIn.status()).toBe(200);
  }
  return context;
}

/** The bytes a visit of `path` transferred (response bodies as encoded), by kind. */
async function visit(context: Awaited<ReturnType<typeof visitor>>, path: string) {
  const page = await context.newPage();
  const bytes: Record<string, number> = {};
  const files: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('requestfinished', (request) => {
    pending.push(
      request.sizes().then((sizes) => {
        const url = new URL(request.url());
        const kind = url.pathname.match(/\.(js|wasm|css)$/)?.[1] ?? request.resourceType();
        if (kind === 'js' || kind === 'wasm') files.push(url.pathname);
        // A response from the browser's cache reports no size of its own (below zero).
        bytes[kind] = (bytes[kind] ?? 0) + Math.max(0, sizes.responseBodySize);
      }),
    );
  });
  const response = await page.goto(path, { waitUntil: 'networkidle' });
  expect(response?.status(), path).toBe(200);
  await Promise.all(pending);
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  await page.close();
  return { bytes, total, files };
}

/** The first link on `path` (as `username`) whose address starts with `prefix`. */
async function firstLink(browser: Browser, username: string, path: string, prefix: string) {
  const context = await visitor(browser, username);
  const page = await context.newPage();
  await page.goto(path);
  const href = await page.locator(`a[href^="${prefix}"]`).first().getAttribute('href');
  await context.close();
  expect(href, `a link to ${prefix} on ${path}`).toBeTruthy();
  // The page itself, not a filtered list of it (the to-do list links to those).
  return href!.replace(/\?.*$/, '');
}

test('every page keeps to its budget on a first visit, and a repeat visit fetches only the HTML', async ({ browser }, testInfo) => {
  const roster = await firstLink(browser, 't0001', '/records', '/records/classes/');
  const student = await firstLink(browser, 'records1', roster, '/records/students/');
  const pages: [string | undefined, string, number][] = [
    [undefined, '/sign-in', LIGHT],
    ['t0001', roster, LIGHT],
    ['t0001', '/records/search', LIGHT],
    ['records1', student, LIGHT],
    ['sysadmin', '/admin/accounts', LIGHT],
    ['leader', '/audit', LIGHT],
    ['t0001', `${roster}/new`, STUDENT_FORM],
    ['t0001', '/publications/new', ISLANDS],
    ['sysadmin', '/', ISLANDS],
  ];
  const report: string[] = [];
  for (const [username, path, budget] of pages) {
    const context = await visitor(browser, username);
    const first = await visit(context, path);
    const again = await visit(context, path);
    await context.close();
    const name = path.replace(/[0-9a-f]{32}/g, ':id');
    report.push(`${name}: ${(first.total / KB).toFixed(1)} KB ${JSON.stringify(first.bytes)}; again ${JSON.stringify(again.bytes)}`);
    console.log(report[report.length - 1]);
    expect(first.total, `${name} on a first visit: ${JSON.stringify(first.bytes)}`).toBeLessThanOrEqual(budget);
    // A page without an island loads no script and no WebAssembly at all.
    if (budget === LIGHT) {
      expect(first.bytes.js ?? 0, name).toBe(0);
      expect(first.bytes.wasm ?? 0, name).toBe(0);
    }
    // The student form loads its own bundle, script and WebAssembly alike.
    if (budget === STUDENT_FORM) {
      expect(first.files.length, name).toBe(2);
      for (const file of first.files) expect(file, name).toMatch(/^\/pkg\/xueji-form\.[0-9a-f]{16}\.(js|wasm)$/);
    }
    if (budget === ISLANDS) {
      for (const file of first.files) expect(file, name).toMatch(/^\/pkg\/xueji\.[0-9a-f]{16}\.(js|wasm)$/);
    }
    // The hashed assets are cached for good: again, only the page itself travels.
    expect((again.bytes.css ?? 0) + (again.bytes.js ?? 0) + (again.bytes.wasm ?? 0), `${name} again`).toBe(0);
  }
  await testInfo.attach('budgets', { body: report.join('\n'), contentType: 'text/plain' });
});
