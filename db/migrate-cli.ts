// `npm run migrate`: applies pending migrations to DATABASE_URL (the cloud's PostgreSQL; the edge
// migrates at start). Idempotent and safe to run from two places at once (db/migrate.ts locks).
// Also says whether the database is ready for the Electric sync service (docs/deploy-aws.md).
import * as z from 'zod';
import { openDatabase } from './client';
import { one } from './query';
import { appliedMigrationCount, expectedMigration, expectedMigrationCount, migrateDatabase } from './migrate';

const env = z.object({ DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL') }).safeParse(process.env);

async function main(): Promise<number> {
  if (!env.success) {
    console.error(`DATABASE_URL ${env.error.issues[0]!.message}`);
    return 2;
  }
  // Two connections: migrateDatabase holds one for its advisory lock while drizzle migrates on another.
  const database = openDatabase(env.data.DATABASE_URL, { max: 2, applicationName: 'till-migrate' });
  try {
    const before = await appliedMigrationCount(database);
    await migrateDatabase(database);
    const after = await appliedMigrationCount(database);
    console.log(`migrations: ${after - before} applied, ${after}/${expectedMigrationCount} in the database (newest ${expectedMigration})`);
    const { wal_level: walLevel, can_replicate: canReplicate } = await one<{ wal_level: string; can_replicate: boolean }>(
      database.pool,
      `SELECT current_setting('wal_level') AS wal_level,
              (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user) AS can_replicate`,
    );
    if (walLevel !== 'logical') console.warn(`note: wal_level is ${walLevel}; the Electric sync service needs logical`);
    if (!canReplicate) console.warn(`note: this role has no REPLICATION; give Electric a role that has it`);
    return 0;
  } catch (e) {
    console.error(`migration failed: ${(e as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}

void main().then((code) => process.exit(code));
