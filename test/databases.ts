// Every database test runs on the embedded PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL.
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { createTestDatabase, type Backend, type TestDatabase } from './create-database';

export { backends, createTestDatabase, type Backend, type TestDatabase } from './create-database';

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
