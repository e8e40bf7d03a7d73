// One portal per Playwright project, each with its own database, so that a journey that
// bootstraps the first administrator can run with JavaScript on and again with it off.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '..', '..');
export const binary = path.join(root, 'target', 'release', 'xueji');
const basePort = Number(process.env.XUEJI_E2E_PORT ?? 3107);

export const projects = ['js-on', 'js-off'] as const;
export type Project = (typeof projects)[number];

function dataDir(project: Project): string {
  const dir = path.join(os.tmpdir(), `xueji-e2e-${process.env.XUEJI_E2E_RUN ?? 'local'}-${project}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function port(project: Project): number {
  return basePort + projects.indexOf(project);
}

/** The environment the portal of `project` runs with; the CLI uses the same. */
export function serverEnv(project: Project): Record<string, string> {
  const dir = dataDir(project);
  return {
    XUEJI_ADDR: `127.0.0.1:${port(project)}`,
    XUEJI_DATABASE_URL: `sqlite://${path.join(dir, 'xueji.db')}`,
    XUEJI_KEY_FILE: path.join(dir, 'xueji.key'),
    XUEJI_SITE_ROOT: path.join(root, 'target', 'site'),
    XUEJI_LOG: 'warn',
  };
}
