// Every spec file runs against a portal of its own: an empty database in a fresh folder, on a
// port the system chooses, started before the file's first journey and stopped after its
// last. A file makes the data it needs (through the command line or the API, as an operator
// or a person would), so the files run in any order and side by side.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test as base, expect, type APIRequestContext, request } from '@playwright/test';

export const root = path.resolve(__dirname, '..', '..');
// The server under test: the release build, unless ./xueji.sh test names the debug build it
// compiled for the HTTP tests.
export const binary = process.env.XUEJI_E2E_BINARY ?? path.join(root, 'target', 'release', 'xueji');

export interface Portal {
  url: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startPortal(name: string): Promise<Portal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xueji-e2e-${name}-`));
  const env = {
    XUEJI_ADDR: '127.0.0.1:0',
    XUEJI_DATABASE_URL: `sqlite://${path.join(dir, 'xueji.db')}`,
    XUEJI_KEY_FILE: path.join(dir, 'xueji.key'),
    XUEJI_SITE_ROOT: path.join(root, 'target', 'site'),
    XUEJI_LOG: 'warn',
  };
  const child = spawn(binary, ['serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the portal did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the portal exited (${code}): ${out}`)));
  });
  env.XUEJI_ADDR = url.replace('http://', '');
  return {
    url,
    env,
    async stop() {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the portal's command line against its database, `input` on standard input. */
export function cli(portal: Portal, args: string[], input?: string): string {
  return execFileSync(binary, args, { env: { ...process.env, ...portal.env }, input, encoding: 'utf8' });
}

/** Fills the portal with the demo school (`xueji demo-data`): accounts sysadmin, records1–2,
 * leader, group1–2 and one homeroom teacher per class (t0001…), all with `password`. */
export function demoSchool(portal: Portal, students: number, password: string) {
  cli(portal, ['demo-data', '--students', String(students), '--password-stdin'], `${password}\n`);
}

/** The school year the demo school makes: the one today falls in (it starts on 1 September). */
export function currentSchoolYear(now = new Date()): string {
  const start = now.getMonth() >= 8 ? now.getFullYear() : now.getFullYear() - 1;
  return `${start}-${start + 1}`;
}

/** Someone signed in through the API, as a client other than the browser would be. */
export async function apiAs(portal: Portal, username: string, password: string): Promise<APIRequestContext> {
  const api = await request.newContext({
    baseURL: portal.url,
    extraHTTPHeaders: { Origin: portal.url, Accept: 'application/json' },
  });
  const signedIn = await api.post('/api/sign-in', { form: { username, password } });
  expect(signedIn.status(), `${username} signs in`).toBe(200);
  return api;
}

/** An account made by a signed-in system administrator through the API, whose holder then
 * chooses `password` through the one-time link (shown once, on the accounts page). Once the
 * school has a leading group the link needs an activation code that a second person (a
 * leading-group member or leader, `witness`) is shown on the role-grants page. */
export async function createAccount(
  portal: Portal,
  admin: APIRequestContext,
  account: { username: string; name: string; roles: string[]; password: string },
  witness?: APIRequestContext,
) {
  const form = new URLSearchParams({ username: account.username, display_name: account.name });
  for (const role of account.roles) form.append('roles[]', role);
  const created = await admin.post('/api/admin/accounts/create', {
    data: form.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  expect(created.status(), `creating ${account.username}`).toBe(200);
  const page = await (await admin.get('/admin/accounts', { headers: { Accept: 'text/html' } })).text();
  const token = page.match(/\/setup\/([A-Za-z0-9_-]{43})/)?.[1];
  expect(token, `the setup link of ${account.username}`).toBeTruthy();
  let code = '';
  if (witness) {
    const waiting = await (await witness.post('/api/admin/role-grants')).json();
    const link = waiting.activations.find((a: { username: string }) => a.username === account.username);
    expect(link, `${account.username}'s link waits for its code`).toBeTruthy();
    const shown = await witness.post('/api/admin/role-grants/activation-code', { form: { link_id: link.id } });
    expect(shown.status(), 'the second person is shown the code').toBe(200);
    code = (await (await witness.post('/api/admin/role-grants')).json()).new_code.code;
  }
  const anonymous = await request.newContext({ baseURL: portal.url, extraHTTPHeaders: { Origin: portal.url, Accept: 'application/json' } });
  const set = await anonymous.post('/api/setup', {
    form: { token: token!, code, new_password: account.password, confirm_password: account.password },
  });
  expect(set.status(), `${account.username} sets a password`).toBe(200);
  await anonymous.dispose();
}

let current: Portal | undefined;

/** Gives the spec file a portal of its own, made ready by `setup`; every page and context of
 * the file's journeys opens it. With `javaScriptOnly`, the file's journeys are skipped
 * without JavaScript, and no portal starts. Returns a getter for the portal. */
export function usePortal(
  name: string,
  setup?: (portal: Portal) => Promise<void> | void,
  options: { javaScriptOnly?: string } = {},
): () => Portal {
  test.beforeAll(async ({}, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    test.skip(!!options.javaScriptOnly && !js, options.javaScriptOnly);
    current = await startPortal(`${name}-${testInfo.project.name}`);
    await setup?.(current);
  });
  test.afterAll(async () => {
    await current?.stop();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('the portal has not started');
    return current;
  };
}

/** Playwright's `test`, with the base URL of the file's portal. */
export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(current?.url);
  },
});
