// Xueji's browser journeys. Every spec runs twice: with JavaScript (the islands hydrate)
// and without (every form must still work as a plain post), each against its own portal.
import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binary, port, projects, serverEnv } from './servers';

// The runner evaluates this file first and passes its environment on to the workers: it
// picks the run's id and starts every portal on an empty database.
if (!process.env.XUEJI_E2E_RUN) {
  process.env.XUEJI_E2E_RUN = `${process.pid}`;
  for (const project of projects) {
    const dir = path.dirname(serverEnv(project).XUEJI_KEY_FILE);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
}

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
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
    {
      name: 'js-on',
      use: { javaScriptEnabled: true, viewport: { width: 1280, height: 800 }, baseURL: `http://127.0.0.1:${port('js-on')}` },
    },
    {
      name: 'js-off',
      use: { javaScriptEnabled: false, viewport: { width: 390, height: 844 }, baseURL: `http://127.0.0.1:${port('js-off')}` },
    },
  ],
  webServer: projects.map((project) => ({
    command: binary,
    url: `http://127.0.0.1:${port(project)}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: serverEnv(project),
  })),
});
