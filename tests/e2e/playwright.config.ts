// Xueji's browser journeys. Every spec runs twice: with JavaScript (the islands hydrate)
// and without (every form must still work as a plain post). Each spec file starts a portal
// of its own on a port the system chooses and makes its own data (servers.ts), so the files
// run side by side, one per core.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // The journeys of one file build on each other; files run in parallel.
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
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
});
