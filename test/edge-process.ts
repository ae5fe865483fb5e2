// Starts the real edge (`npm start` equivalent) on free ports for integration tests.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { runningEdgeDatabaseUrl } from '../infra/edge-database';
import { freePort } from '../infra/free-port';
import { waitFor } from '../infra/wait-for';

const root = path.resolve(__dirname, '..');

export interface EdgeProcess {
  base: string;
  pgliteUrl?: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, resolves with the exit code. */
  stop(): Promise<number | null>;
  startMs: number;
}

export async function startEdge(env: Record<string, string>): Promise<EdgeProcess> {
  const port = await freePort();
  const pglitePort = await freePort();
  const t0 = Date.now();
  let out = '';
  const childEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    LAMBDA_PORT: String(await freePort()),
    PGLITE_PORT: String(pglitePort),
    LOG_LEVEL: 'WARN',
    ...env,
  };
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['infra/edge.ts'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`edge exited ${child.exitCode}: ${out.slice(-2000)}`);
      return out.includes('edge ready') ? true : undefined;
    },
    { timeoutMs: 150_000, intervalMs: 200, what: 'edge ready' },
  );
  return {
    base,
    pgliteUrl: env.DATABASE_URL ? undefined : runningEdgeDatabaseUrl({ TILL_ROOT: root, ...childEnv }),
    child,
    output: () => out,
    startMs: Date.now() - t0,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
