// Fresh databases for tests and benchmarks (no vitest here, so benchmarks can use it).
// Every database test runs on the embedded PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded';

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
