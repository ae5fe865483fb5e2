// Builds what the Remix function serves: the server build, browser assets, and PGlite's runtime files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

export function buildApp() {
  rmSync(path.join(root, 'public/build'), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  // The classic compiler does not emit these; without them PGlite.create hangs in the browser.
  const dist = path.join(root, 'node_modules/@electric-sql/pglite/dist');
  const out = path.join(root, 'public/pglite');
  mkdirSync(out, { recursive: true });
  for (const f of ['pglite.wasm', 'initdb.wasm', 'pglite.data']) copyFileSync(path.join(dist, f), path.join(out, f));
  // receiptline's browser build: it skips its Node-only modules when there is no `require`.
  mkdirSync(path.join(root, 'public/vendor'), { recursive: true });
  copyFileSync(path.join(root, 'node_modules/receiptline/lib/receiptline.js'), path.join(root, 'public/vendor/receiptline.js'));
}

if (require.main === module) buildApp();
