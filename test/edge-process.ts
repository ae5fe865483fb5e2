// Starts the real edge (`npm start` equivalent) on a free port for integration tests, named
// till-edge.test the way a store names its edge, with its own store CA that this process trusts.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { openDatabase } from '../db/client';
import { freePort } from '../infra/free-port';
import { issuePairingCode } from '../services/device-auth';
import { spkiSha256 } from '../infra/tls/store-certificates';
import { waitFor } from '../infra/wait-for';
import { trustEdgeCa } from './trust-edge-ca';

const root = path.resolve(__dirname, '..');

/** The store name tests give the edge; browsers map it to loopback (see test/browser.ts). */
export const STORE_HOSTNAME = 'till-edge.test';

export interface EdgeProcess {
  /** https on 127.0.0.1 (Node's fetch; the certificate covers loopback). */
  base: string;
  /** https by the store name, as a register on the LAN opens it (Chromium with the name mapped). */
  storeBase: string;
  port: number;
  caPem: string;
  /** base64 SHA-256 of the store CA's public key, for Chromium's trust flag. */
  caSpki: string;
  pgliteUrl?: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL of the launcher only, as a power cut or the OOM killer would do it. */
  kill(): Promise<void>;
  startMs: number;
}

/** `opts.root`: the checkout whose build the edge serves (a test build of another version: test/app-copy.ts). */
export async function startEdge(env: Record<string, string>, opts: { root?: string } = {}): Promise<EdgeProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const pglitePort = await freePort();
  const tlsDir = env.TILL_TLS_DIR ?? `${env.TILL_DATA_DIR ?? path.join(root, 'data/pglite')}-tls`;
  const t0 = Date.now();
  let out = '';
  // Node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a child process, so a
  // SIGKILL aimed at it would miss the launcher.
  // exit-with-parent: a test process that dies (timeout, crash) takes its edge with it.
  const child = spawn(process.execPath, ['--require', path.join(root, 'infra/exit-with-parent.cjs'), '--import', 'tsx', 'infra/edge.ts'], {
    cwd: opts.root ?? root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      PGLITE_PORT: String(pglitePort),
      EDGE_HOSTNAME: STORE_HOSTNAME,
      TILL_TLS_DIR: tlsDir,
      LOG_LEVEL: 'WARN',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`edge exited ${child.exitCode}: ${out.slice(-2000)}`);
      // The log line and the banner (with the database URL) go to different streams: wait for both.
      return out.includes('edge ready') && /psql "[^"]+"/.test(out) ? true : undefined;
    },
    { timeoutMs: 150_000, intervalMs: 200, what: 'edge ready' },
  ).catch((e: unknown) => {
    // An edge that never got ready is not left running behind the failed test.
    child.kill('SIGTERM');
    throw e;
  });
  const caPem = readFileSync(path.join(tlsDir, 'ca.crt'), 'utf8');
  trustEdgeCa(caPem);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    base: `https://127.0.0.1:${port}`,
    storeBase: `https://${STORE_HOSTNAME}:${port}`,
    port,
    caPem,
    caSpki: spkiSha256(new X509Certificate(caPem)),
    pgliteUrl: env.DATABASE_URL ? undefined : /psql "([^"]+)"/.exec(out)?.[1],
    child,
    output: () => out,
    startMs: Date.now() - t0,
    stop: () =>
      new Promise((resolve) => {
        if (exited()) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
    kill: () =>
      new Promise((resolve) => {
        if (exited()) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** A pairing code for the register, issued on the edge's database as Admin → Registers issues one. */
export async function issueEdgePairingCode(dbUrl: string, registerCode = 'R01'): Promise<string> {
  const database = openDatabase(dbUrl, { max: 1, applicationName: 'till-e2e' });
  try {
    const reg = (await database.pool.query(`SELECT id FROM registers WHERE code = $1`, [registerCode])).rows[0].id as string;
    return (await issuePairingCode(database, reg)).code;
  } finally {
    await database.close();
  }
}

/** Pairs a register with a running edge as its POS would: a code issued on the edge, exchanged over https. */
export async function pairOverHttps(edge: EdgeProcess, dbUrl: string, registerCode = 'R01'): Promise<string> {
  const code = await issueEdgePairingCode(dbUrl, registerCode);
  const paired = await fetch(`${edge.base}/sync/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pairingCode: code, appVersion: 'e2e' }),
  });
  if (paired.status !== 200) throw new Error(`pairing ${registerCode} answered ${paired.status}: ${await paired.text()}`);
  return ((await paired.json()) as { token: string }).token;
}
