import path from 'node:path';

/** Where the edge keeps its embedded database and how it is exposed (env names are in the README). */
export function databaseConfig(env: NodeJS.ProcessEnv = process.env) {
  const root = env.TILL_ROOT ?? process.cwd();
  return {
    /** Set: use this PostgreSQL server. Unset: run the embedded PGlite. */
    externalUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(root, env.TILL_DATA_DIR ?? 'data/pglite'),
    host: env.PGLITE_HOST ?? '127.0.0.1',
    port: Number(env.PGLITE_PORT ?? 5433),
    maxConnections: Number(env.PGLITE_MAX_CONNECTIONS ?? 64),
  };
}
