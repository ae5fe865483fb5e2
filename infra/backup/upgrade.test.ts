// Starting a new version over a database with pending migrations backs it up first; a migration that
// fails stops the start with one line naming the backup to restore.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedMigrationCount, appliedMigrationCount } from '../../db/migrate';
import { openDatabase, type Database } from '../../db/client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded';
import { migrateDatabase } from '../../db/migrate';
import { backends, createTestDatabase, type TestDatabase } from '../../test/databases';
import type { BackupSource } from './backup';
import type { BackupSettings } from './settings';
import { migrateWithBackup, UpgradeError } from './upgrade';

describe.each(backends)('upgrade on %s', (backend) => {
  // PGlite is opened here rather than by the shared helper: its backup is its owner's dump.
  const t = {} as { database: Database; url: string; embedded?: EmbeddedDatabase; pg?: TestDatabase };
  let root: string;
  let settings: BackupSettings;
  beforeAll(async () => {
    if (backend === 'pglite') t.embedded = await startEmbeddedDatabase({});
    else t.pg = await createTestDatabase('postgres');
    t.url = t.embedded?.url ?? t.pg!.url;
    t.database = openDatabase(t.url, { max: 2 });
    await migrateDatabase(t.database);
    root = mkdtempSync(path.join(os.tmpdir(), 'till-upgrade-test-'));
    settings = { dir: path.join(root, 'backups'), keep: 5, intervalMs: 0, tlsDir: path.join(root, 'tls'), dataDir: path.join(root, 'pglite'), passwordFile: path.join(root, 'pw') };
  });
  afterAll(async () => {
    await t.database?.close();
    await t.embedded?.stop();
    await t.pg?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const source = (): BackupSource =>
    t.embedded ? { backend: 'pglite', dump: () => t.embedded!.dumpDataDir() } : { backend: 'postgres', url: t.url };

  /** Forgets the newest migration, as if this build were one migration ahead of the database. */
  const forgetLastMigration = async (dropTable: boolean) => {
    if (dropTable) await t.database.pool.query('DROP TABLE backups');
    await t.database.pool.query(`DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)`);
  };

  it('takes a backup before running pending migrations, and none when nothing is pending', async () => {
    expect(await migrateWithBackup(t.database, { source: source(), settings })).toEqual({ backup: undefined, applied: 0 });
    await forgetLastMigration(true);
    const r = await migrateWithBackup(t.database, { source: source(), settings });
    expect(r.applied).toBe(1);
    expect(r.backup && existsSync(r.backup.file) && existsSync(`${r.backup.file}.sha256`)).toBe(true);
    expect(path.basename(r.backup!.file)).toMatch(/-upgrade\.tar$/);
    expect(await appliedMigrationCount(t.database)).toBe(expectedMigrationCount);
  });

  it('refuses to start when a migration fails, naming the pre-upgrade backup to restore', async () => {
    await forgetLastMigration(false); // the table is still there: re-creating it fails
    const err = await migrateWithBackup(t.database, { source: source(), settings }).catch((e) => e);
    expect(err).toBeInstanceOf(UpgradeError);
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(/^migration failed \(.+\); to roll back: .*npm run restore -- .*till-backup-\S+-upgrade\.tar$/);
    const file = /npm run restore -- (\S+)$/.exec(err.message)![1]!;
    expect(existsSync(file)).toBe(true);
  });
});
