import path from 'node:path';
import { databasePasswordFile } from './password-file';
import { PGLITE_SERVER_DEFAULTS } from './pglite-server';

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got ${JSON.stringify(raw)}`);
  return n;
}

/** Where the edge keeps its embedded database and how it is exposed (env names are in the README). */
export function databaseConfig(env: NodeJS.ProcessEnv = process.env) {
  const root = env.TILL_ROOT ?? process.cwd();
  const dataDir = path.resolve(root, env.TILL_DATA_DIR ?? 'data/pglite');
  return {
    /** Set: use this PostgreSQL server. Unset: run the embedded PGlite. */
    externalUrl: env.DATABASE_URL || undefined,
    dataDir,
    /** The embedded database's password (created on first start, mode 0600). */
    passwordFile: databasePasswordFile(dataDir),
    host: env.PGLITE_HOST ?? '127.0.0.1',
    port: Number(env.PGLITE_PORT ?? 5433),
    maxConnections: Number(env.PGLITE_MAX_CONNECTIONS ?? 64),
    idleInTransactionTimeoutMs: positiveInt(env, 'PGLITE_IDLE_TX_TIMEOUT_MS', PGLITE_SERVER_DEFAULTS.idleInTransactionTimeoutMs),
    queueTimeoutMs: positiveInt(env, 'PGLITE_QUEUE_TIMEOUT_MS', PGLITE_SERVER_DEFAULTS.queueTimeoutMs),
  };
}
