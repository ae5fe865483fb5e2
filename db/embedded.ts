// The embedded database: one PGlite instance in the edge process, served over the Postgres
// wire protocol so every function worker (and psql) reaches the same instance. ADR 002.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { servePGlite } from './pglite-server';

export interface EmbeddedDatabase {
  url: string;
  pglite: PGlite;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(opts: {
  /** A folder for a durable database, or undefined for an in-memory one (tests). */
  dataDir?: string;
  host?: string;
  port?: number;
  maxConnections?: number;
}): Promise<EmbeddedDatabase> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create(opts.dataDir);
  const server = await servePGlite(pglite, {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    // Extra connections are refused: size it for every pool of every worker.
    maxConnections: opts.maxConnections ?? 64,
  });
  const url = `postgres://postgres@${server.host}:${server.port}/postgres?sslmode=disable`;
  let stopped = false;
  return {
    url,
    pglite,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await pglite.close();
    },
  };
}
