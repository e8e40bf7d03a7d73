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

/** A portal of a spec's own: an empty database in a fresh folder, on a port the system
 * chooses. `stop()` ends it and removes the folder. */
export interface Portal {
  url: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startPortal(name: string): Promise<Portal> {
  const { spawn } = await import('node:child_process');
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
