// Every database test runs on the embedded PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../db/client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';

export type Backend = 'pglite' | 'postgres';

export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  backend: Backend;
  url: string;
  dispose(): Promise<void>;
}

/** A fresh, empty database of the given backend (not migrated). */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const embedded: EmbeddedDatabase = await startEmbeddedDatabase({});
    return { backend, url: embedded.url, dispose: () => embedded.stop() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `till_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    backend,
    url: url.toString(),
    async dispose() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Registers beforeAll/afterAll hooks that give the enclosing describe a migrated database.
 * Read `.database` / `.url` inside tests (they are set once beforeAll has run).
 */
export function useMigratedDatabase(backend: Backend, opts: { max?: number } = {}) {
  const handle = {} as { database: Database; url: string; test: TestDatabase };
  beforeAll(async () => {
    handle.test = await createTestDatabase(backend);
    handle.url = handle.test.url;
    handle.database = openDatabase(handle.url, { max: opts.max ?? 4, applicationName: 'till-test' });
    await migrateDatabase(handle.database);
  });
  afterAll(async () => {
    await handle.database?.close();
    await handle.test?.dispose();
  });
  return handle;
}
