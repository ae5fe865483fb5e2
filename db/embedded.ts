// The embedded database: one PGlite instance in the edge process, served over the Postgres
// wire protocol so every function worker (and psql) reaches the same instance. ADR 002.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { databasePasswordFile, ensureDatabasePassword, generateDatabasePassword } from './password-file';
import { servePGlite, type PGliteServer } from './pglite-server';

/** The role clients sign in as: PGlite runs every session as its superuser `postgres`. */
export const EMBEDDED_DATABASE_USER = 'postgres';

/** The connection URL of an embedded database, credentials included. */
export function embeddedDatabaseUrl(host: string, port: number, password: string): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `postgres://${EMBEDDED_DATABASE_USER}:${encodeURIComponent(password)}@${h}:${port}/postgres?sslmode=disable`;
}

export interface EmbeddedDatabase {
  /** Includes the password: pass it to trusted processes only, mask it in logs. */
  url: string;
  pglite: PGlite;
  /**
   * A gzipped tar of the data folder (PGlite's own dumpDataDir), taken between clients' transactions
   * after a checkpoint, so it opens as the committed state at that moment (a backup, see infra/backup).
   */
  dumpDataDir(): Promise<Blob>;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(opts: {
  /** A folder for a durable database, or undefined for an in-memory one (tests). */
  dataDir?: string;
  host?: string;
  port?: number;
  maxConnections?: number;
  idleInTransactionTimeoutMs?: number;
  queueTimeoutMs?: number;
}): Promise<EmbeddedDatabase> {
  // A durable database keeps its password beside it; an in-memory one gets a fresh one.
  // Read or create it before opening PGlite, so a missing secret stops the start cleanly.
  const password = opts.dataDir ? ensureDatabasePassword(databasePasswordFile(opts.dataDir)) : generateDatabasePassword();
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create(opts.dataDir);
  let server: PGliteServer;
  try {
    server = await servePGlite(pglite, {
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 0,
      // Extra connections are refused: size it for every pool of every worker.
      maxConnections: opts.maxConnections ?? 64,
      user: EMBEDDED_DATABASE_USER,
      password,
      idleInTransactionTimeoutMs: opts.idleInTransactionTimeoutMs,
      queueTimeoutMs: opts.queueTimeoutMs,
    });
  } catch (e) {
    await pglite.close();
    throw e;
  }
  const url = embeddedDatabaseUrl(server.host, server.port, password);
  let stopped = false;
  return {
    url,
    pglite,
    dumpDataDir: () =>
      server.exclusive(async () => {
        await pglite.exec('CHECKPOINT');
        return await pglite.dumpDataDir('gzip');
      }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await pglite.close();
    },
  };
}
