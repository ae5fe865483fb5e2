// Builds what the Remix function serves: the server build, browser assets, and PGlite's runtime files,
// and records the app version the build carries (build/version.json, see infra/app-version.ts).
// Everything goes under this checkout: a test that needs a build of another version builds a copy
// of the checkout (test/app-copy.ts), never over this one.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import path from 'node:path';
import { resolveAppVersion } from './app-version';

const root = path.resolve(__dirname, '..');

export function buildApp(): string {
  const appVersion = resolveAppVersion(root);
  rmSync(path.join(root, 'public/build'), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  // The register database runs in a dedicated Worker (OPFS access handles exist only there); the classic
  // compiler has no worker entries, so it is its own bundle, named after the Remix build version
  // (like the other bundles, a new build is a new name: `/build/*` is cached as immutable, by the
  // service worker and by CloudFront). The page finds it from `window.__remixManifest.version`.
  const build = path.join(root, 'public/build');
  const manifest = readdirSync(build).find((f) => /^manifest-[A-Z0-9]+\.js$/i.test(f));
  const version = manifest ? /"version":"([^"]+)"/.exec(readFileSync(path.join(build, manifest), 'utf8'))?.[1] : undefined;
  if (!version) throw new Error('the Remix build has no manifest version');
  buildSync({
    entryPoints: [path.join(root, 'app/pos/register-db.worker.ts')],
    outfile: path.join(build, `register-db-worker-${version}.js`),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    logLevel: 'error',
    // PGlite mentions Node built-ins on paths the browser never takes.
    external: ['node:*'],
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  // The classic compiler does not emit these; without them PGlite.create hangs in the browser.
  const dist = path.join(root, 'node_modules/@electric-sql/pglite/dist');
  const out = path.join(root, 'public/pglite');
  mkdirSync(out, { recursive: true });
  for (const f of ['pglite.wasm', 'initdb.wasm', 'pglite.data']) copyFileSync(path.join(dist, f), path.join(out, f));
  // receiptline's browser build: it skips its Node-only modules when there is no `require`.
  mkdirSync(path.join(root, 'public/vendor'), { recursive: true });
  copyFileSync(path.join(root, 'node_modules/receiptline/lib/receiptline.js'), path.join(root, 'public/vendor/receiptline.js'));
  // Read by serverless.yml into every function's TILL_APP_VERSION (health, response headers, the POS shell).
  writeFileSync(path.join(root, 'build/version.json'), `${JSON.stringify({ version: appVersion })}\n`);
  return appVersion;
}

if (require.main === module) buildApp();
