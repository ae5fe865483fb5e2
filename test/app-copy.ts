// A build of this checkout as another app version, for tests of registers meeting a newer or older
// edge. It is built in a copy of the checkout (the source files git knows, node_modules linked), so
// the build every other test uses (public/build, build/) is left alone; an edge started with
// `startEdge(env, { root })` then serves the copy.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

export function buildAppCopy(version: string, dir: string): string {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root }).toString().split('\0');
  for (const f of files) {
    if (!f || !existsSync(path.join(root, f))) continue; // deleted in the work tree
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(path.join(root, f), path.join(dir, f));
  }
  symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, ['--import', 'tsx', 'infra/build-app.ts'], {
    cwd: dir,
    env: { ...process.env, TILL_APP_VERSION: version },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return dir;
}
