// `npm start`: the store's edge. Database (embedded PGlite unless DATABASE_URL), migrations,
// demo data on first start, then every function and page on one port via serverless-offline.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { seedDemo, DEMO_CASHIERS } from '../seeds/demo';
import { buildApp } from './build-app';
import { prepareAdminAccess } from '../services/admin-auth';
import { issuePairingCode } from '../services/device-auth';
import { openEdgeDatabase } from './edge-database';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const root = path.resolve(__dirname, '..');

function log(msg: string, extra: Record<string, unknown> = {}) {
  process.stdout.write(`${JSON.stringify({ level: 'INFO', service: 'till-edge', message: msg, timestamp: new Date().toISOString(), ...extra })}\n`);
}

async function main() {
  const t0 = Date.now();
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 3000);
  const lambdaPort = Number(process.env.LAMBDA_PORT ?? (await freePort(host)));

  if (process.env.TILL_SKIP_BUILD !== '1') {
    buildApp();
    log('app built', { ms: Date.now() - t0 });
  }
  const edge = await openEdgeDatabase({ serveEmbedded: true, migrate: true });
  log('database ready', { backend: edge.embedded ? 'pglite' : 'postgres', url: edge.url.replace(/:[^:@/]*@/, ':***@'), ms: Date.now() - t0 });
  let demoSeeded = false;
  if (process.env.TILL_DEMO !== '0') {
    demoSeeded = await seedDemo(edge.database);
    if (demoSeeded) log('demo data loaded', { ms: Date.now() - t0 });
  }
  // Admin from env, the demo admin (only on a database the demo just seeded), or a one-time setup code.
  const demoLines: string[] = await prepareAdminAccess(edge.database, { demoSeeded });
  if (process.env.TILL_DEMO !== '0') {
    const unpaired = await edge.database.pool.query(
      `SELECT r.id, r.code FROM registers r WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.register_id = r.id AND d.paired_at IS NOT NULL) ORDER BY r.code LIMIT 1`,
    );
    if (unpaired.rowCount) {
      const { code } = await issuePairingCode(edge.database, unpaired.rows[0].id, { ttlMinutes: 24 * 60, actor: 'demo' });
      demoLines.push(`  Pair      register ${unpaired.rows[0].code} with code ${code} (valid 24 h)`);
    }
  }

  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'offline', 'start'],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        DATABASE_URL: edge.url,
        HOST: host,
        PORT: String(port),
        LAMBDA_PORT: String(lambdaPort),
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      },
    },
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await new Promise((r) => child.once('exit', r));
      clearTimeout(killer);
    }
    await edge.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  child.on('exit', (code) => {
    if (!stopping) {
      log('function server exited', { code });
      void stop('child-exit');
    }
  });

  const base = `http://${host}:${port}`;
  await waitFor(
    async () => ((await fetch(`${base}/health`)).status === 200 ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 250, what: `${base}/health` },
  );
  // First worker pass now rather than a minute from now, so /health reports it alive.
  await fetch(`http://${host}:${lambdaPort}/2015-03-31/functions/till-edge-worker/invocations`, { method: 'POST', body: '{}' }).catch(() => undefined);

  const pgUrl = edge.embedded ? edge.url.replace('?sslmode=disable', '') : '(DATABASE_URL)';
  log('edge ready', { ms: Date.now() - t0 });
  process.stdout.write(
    [
      '',
      `  Till edge is up (${Date.now() - t0} ms)`,
      `  API       ${base}/api/companies`,
      `  Health    ${base}/health     Metrics ${base}/metrics`,
      `  POS       ${base}/pos        Admin   ${base}/admin`,
      `  Database  psql "${pgUrl}"`,
      `  Demo PINs ${DEMO_CASHIERS.map((c) => `${c.name}: ${c.pin}`).join(', ')}`,
      ...demoLines,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', service: 'till-edge', message: 'edge failed to start', error: String(e?.stack ?? e) })}\n`);
  process.exit(1);
});
