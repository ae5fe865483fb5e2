import { openDatabase, type Database } from './client';
import { serverConfig } from '../config/server-config';

let current: { url: string; database: Database } | undefined;

/**
 * This process's pool for DATABASE_URL (a function worker, or the Remix app's loaders). Kept small: every concurrent invocation is its own worker thread
 * under serverless-offline, each with its own pool (ADR 002).
 */
export function getDatabase(): Database {
  const config = serverConfig();
  const url = config.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  if (current?.url !== url) {
    void current?.database.close().catch(() => undefined);
    current = { url, database: openDatabase(url, { max: config.DB_POOL_MAX, applicationName: 'till-fn' }) };
  }
  return current.database;
}
