// How edge processes (launcher, CLIs, benchmarks) reach the one edge database.
import net from 'node:net';
import { openDatabase, type Database } from '../db/client';
import { databaseConfig } from '../db/config';
import { embeddedDatabaseUrl, startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { readDatabasePassword } from '../db/password-file';
import { backupSource } from './backup/backup';
import { backupSettings } from './backup/settings';
import { migrateWithBackup } from './backup/upgrade';

export interface EdgeDatabase {
  database: Database;
  url: string;
  /** Present when this process owns the embedded PGlite. */
  embedded?: EmbeddedDatabase;
  close(): Promise<void>;
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The URL of the embedded database a running edge serves: its password is in the same data folder. */
export function runningEdgeDatabaseUrl(env?: NodeJS.ProcessEnv): string {
  const cfg = databaseConfig(env);
  return embeddedDatabaseUrl(cfg.host, cfg.port, readDatabasePassword(cfg.passwordFile));
}

/**
 * DATABASE_URL wins. Otherwise a running edge's embedded database is reused through its socket;
 * only when no edge runs does this process open the PGlite data folder itself (one owner at a time).
 */
export async function openEdgeDatabase(
  opts: {
    env?: NodeJS.ProcessEnv;
    pool?: number;
    migrate?: boolean;
    serveEmbedded?: boolean;
    /** Take a backup first when migrations are pending (the launcher starting a new version). */
    backupBeforeMigrate?: boolean;
    log?: (msg: string, extra?: Record<string, unknown>) => void;
  } = {},
): Promise<EdgeDatabase> {
  const cfg = databaseConfig(opts.env);
  let url: string;
  let embedded: EmbeddedDatabase | undefined;
  if (cfg.externalUrl) {
    url = cfg.externalUrl;
  } else if (!opts.serveEmbedded && (await portOpen(cfg.host, cfg.port))) {
    url = runningEdgeDatabaseUrl(opts.env);
  } else {
    embedded = await startEmbeddedDatabase({
      dataDir: cfg.dataDir,
      host: cfg.host,
      port: opts.serveEmbedded ? cfg.port : 0,
      maxConnections: cfg.maxConnections,
      idleInTransactionTimeoutMs: cfg.idleInTransactionTimeoutMs,
      queueTimeoutMs: cfg.queueTimeoutMs,
    });
    url = embedded.url;
  }
  const database = openDatabase(url, { max: opts.pool ?? 4, applicationName: 'till-edge' });
  try {
    if (opts.migrate !== false && opts.backupBeforeMigrate) {
      await migrateWithBackup(database, { source: backupSource({ embedded, url }), settings: backupSettings(opts.env), log: opts.log });
    } else if (opts.migrate !== false) await migrateDatabase(database);
  } catch (e) {
    await database.close();
    await embedded?.stop();
    throw e;
  }
  return {
    database,
    url,
    embedded,
    async close() {
      await database.close();
      await embedded?.stop();
    },
  };
}
