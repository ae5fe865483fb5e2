// `npm start`: the store's edge. Certificates, database (embedded PGlite unless DATABASE_URL),
// migrations, demo data on first start, then every function and page on one https port: the front
// door terminates TLS and forwards to serverless-offline on a private loopback port (ADR 602).
import { seedDemo, DEMO_CASHIERS } from '../seeds/demo';
import { buildApp } from './build-app';
import { prepareAdminAccess } from '../services/admin-auth';
import { authenticateDevice, issuePairingCode } from '../services/device-auth';
import { openDatabase } from '../db/client';
import { createShapeService } from '../sync/shape-service';
import { readServerConfig, ServerConfigError } from '../config/server-config';
import { ConfigError, readEdgeConfig } from './edge-config';
import { openEdgeDatabase } from './edge-database';
import { OperatorError } from './backup/errors';
import { backupSource } from './backup/backup';
import { startBackupScheduler } from './backup/scheduler';
import { backupSettings } from './backup/settings';
import { startFrontDoor, type FrontDoor } from './front-door';
import { startFunctionServer, type FunctionServer } from './function-server';
import { machineAddresses } from './tls/machine-addresses';
import { ensureEdgeCertificates, TlsSetupError } from './tls/store-certificates';
import { maybeOne } from '../db/query';

const CERT_CHECK_MS = 12 * 3_600_000;

function log(msg: string, extra: Record<string, unknown> = {}) {
  process.stdout.write(`${JSON.stringify({ level: 'INFO', service: 'till-edge', message: msg, timestamp: new Date().toISOString(), ...extra })}\n`);
}

/** One line on stderr that says what to fix, then exit: for settings a person must change. */
function fail(message: string): never {
  process.stderr.write(`till-edge: ${message}\n`);
  process.exit(1);
}

async function main() {
  const t0 = Date.now();
  const cfg = readEdgeConfig();
  // The functions' own settings are checked here too, so a bad one stops the start instead of failing requests.
  readServerConfig(process.env);
  const certs = await ensureEdgeCertificates({ dir: cfg.tlsDir, hostname: cfg.edgeHostname, addresses: machineAddresses() });
  if (certs.issued !== 'nothing') log('certificates issued', { issued: certs.issued, names: certs.names, notAfter: certs.notAfter.toISOString() });

  // The public port first: a port in use is a person's problem and should be said before anything slow.
  let door: FrontDoor | undefined;
  let functions: FunctionServer | undefined;
  const upstream = { host: '127.0.0.1', port: 1 };
  try {
    door = await startFrontDoor({ host: cfg.host, port: cfg.port, key: certs.key, cert: certs.cert, upstream, publicHost: cfg.edgeHostname, log });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`port ${cfg.port} on ${cfg.host} is in use: stop the program holding it or set PORT`);
    if ((e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') fail(`HOST ${cfg.host} is not an address of this machine: use 0.0.0.0 for every interface`);
    throw e;
  }

  if (!cfg.skipBuild) {
    buildApp();
    log('app built', { ms: Date.now() - t0 });
  }
  const edge = await openEdgeDatabase({ serveEmbedded: true, migrate: true, backupBeforeMigrate: true, log });
  // Daily and requested backups run here: this process owns the embedded database (infra/backup).
  const backupJob = startBackupScheduler({ database: edge.database, source: backupSource(edge), settings: backupSettings(), log });
  log('database ready', { backend: edge.embedded ? 'pglite' : 'postgres', url: edge.url.replace(/:[^:@/]*@/, ':***@'), ms: Date.now() - t0 });
  let demoSeeded = false;
  if (cfg.demo) {
    demoSeeded = await seedDemo(edge.database);
    if (demoSeeded) log('demo data loaded', { ms: Date.now() - t0 });
  }
  // Admin from env, the demo admin (only on a database the demo just seeded), or a one-time setup code.
  const demoLines: string[] = await prepareAdminAccess(edge.database, { demoSeeded });
  if (cfg.demo) {
    const unpaired = await maybeOne<{ id: string; code: string }>(
      edge.database.pool,
      `SELECT r.id, r.code FROM registers r WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.register_id = r.id AND d.paired_at IS NOT NULL) ORDER BY r.code LIMIT 1`,
    );
    if (unpaired) {
      const { code } = await issuePairingCode(edge.database, unpaired.id, { ttlMinutes: 24 * 60, actor: 'demo' });
      demoLines.push(`  Pair      register ${unpaired.code} with code ${code} (valid 24 h)`);
    }
  }

  // Live shapes are served here, not by a function worker: one pool and one change poller for every
  // register, and a long-poll ends the moment its register goes away (ADR 201). The function stays
  // the deployable path (and the fallback) for the same URL.
  const shapeDb = openDatabase(edge.url, { max: cfg.shapePoolMax, applicationName: 'till-shape' });
  const shapes = createShapeService({
    database: shapeDb,
    longPollMs: cfg.shapeLongPollMs,
    queueMs: cfg.shapeQueueMs,
    authenticate: (authorization, headers) => {
      const depth = Number(headers['x-till-queue-depth']);
      return authenticateDevice(shapeDb, authorization, {
        appVersion: (headers['x-till-app-version'] as string | undefined)?.slice(0, 40),
        queueDepth: Number.isSafeInteger(depth) && depth >= 0 ? depth : undefined,
      });
    },
    onError: (e) => log('shape request failed', { error: String(e) }),
  });
  door.setLocalHandler((req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !/^\/v1\/shape(\?|$)/.test(req.url ?? '')) return false;
    void shapes.handle(req, res);
    return true;
  });

  const publicUrl = `https://${cfg.edgeHostname}:${door.port}`;
  // eslint-disable-next-line prefer-const -- declared above: the shutdown handler refers to it before it starts
  functions = await startFunctionServer({
    lambdaPort: cfg.lambdaPort,
    env: { ...process.env, DATABASE_URL: edge.url, TILL_TLS_DIR: cfg.tlsDir, EDGE_PUBLIC_URL: publicUrl },
  });
  upstream.port = functions.httpPort;
  log('function server ready', { pid: functions.child.pid, port: functions.httpPort });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    clearInterval(renewal);
    await door?.close();
    await shapes.close();
    await shapeDb.close();
    await functions?.stop();
    await backupJob.stop();
    await edge.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  functions.child.on('exit', (code) => {
    if (!stopping) {
      log('function server exited', { code });
      void stop('child-exit');
    }
  });
  // Renew the server certificate while running: an edge may stay up for months.
  const renewal = setInterval(() => {
    ensureEdgeCertificates({ dir: cfg.tlsDir, hostname: cfg.edgeHostname, addresses: machineAddresses() })
      .then((c) => {
        if (c.issued === 'nothing') return;
        door?.setCertificate(c.key, c.cert);
        log('certificates renewed', { names: c.names, notAfter: c.notAfter.toISOString() });
      })
      .catch((e) => log('certificate renewal failed', { error: String(e) }));
  }, CERT_CHECK_MS);
  renewal.unref();

  // First worker pass now rather than a minute from now, so /health reports it alive.
  await functions.invoke('till-edge-worker');

  const local = `https://${cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host}:${door.port}`;
  const pgUrl = edge.embedded ? edge.url.replace('?sslmode=disable', '') : '(DATABASE_URL)';
  log('edge ready', { ms: Date.now() - t0, url: publicUrl, caFingerprint: certs.caFingerprint });
  process.stdout.write(
    [
      '',
      `  Till edge is up (${Date.now() - t0} ms)`,
      `  POS       ${publicUrl}/pos`,
      `  Admin     ${publicUrl}/admin`,
      `  Enrol     http://${cfg.edgeHostname}:${door.port}/setup   (install the store CA on each register once)`,
      `  Store CA  SHA-256 ${certs.caFingerprint}`,
      `  On this machine ${local}   Health ${local}/health   Metrics ${local}/metrics`,
      `  Database  psql "${pgUrl}"`,
      ...(cfg.demo ? [`  Demo PINs ${DEMO_CASHIERS.map((c) => `${c.name}: ${c.pin}`).join(', ')}`] : []),
      ...demoLines,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof ServerConfigError || e instanceof TlsSetupError || e instanceof OperatorError) fail(e.message);
  process.stderr.write(
    `${JSON.stringify({ level: 'ERROR', service: 'till-edge', message: 'edge failed to start', error: e instanceof Error ? (e.stack ?? e.message) : String(e) })}\n`,
  );
  process.exit(1);
});
