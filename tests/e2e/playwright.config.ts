// Xueji's browser journeys. Every spec runs twice: with JavaScript (the islands hydrate)
// and without (every form must still work as a plain post).
import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';

const port = Number(process.env.XUEJI_E2E_PORT ?? 3107);
const root = path.resolve(__dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xueji-e2e-'));

export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    locale: 'zh-CN',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.XUEJI_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'js-on', use: { javaScriptEnabled: true, viewport: { width: 1280, height: 800 } } },
    { name: 'js-off', use: { javaScriptEnabled: false, viewport: { width: 390, height: 844 } } },
  ],
  webServer: {
    command: path.join(root, 'target', 'release', 'xueji'),
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      XUEJI_ADDR: `127.0.0.1:${port}`,
      XUEJI_DATABASE_URL: `sqlite://${path.join(dataDir, 'xueji.db')}`,
      XUEJI_KEY_FILE: path.join(dataDir, 'xueji.key'),
      XUEJI_SITE_ROOT: path.join(root, 'target', 'site'),
      XUEJI_LOG: 'warn',
    },
  },
});
