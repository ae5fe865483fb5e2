// Starting a new version over a database with pending migrations backs it up first; a migration that
// fails stops the start with one line naming the backup to restore.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedMigrationCount, appliedMigrationCount } from '../../db/migrate';
import { openDatabase, type Database } from '../../db/client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded';
import { migrateDatabase, migrationsFolder } from '../../db/migrate';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
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
    settings = {
      dir: path.join(root, 'backups'),
      keep: 5,
      intervalMs: 0,
      tlsDir: path.join(root, 'tls'),
      dataDir: path.join(root, 'pglite'),
      passwordFile: path.join(root, 'pw'),
    };
  });
  afterAll(async () => {
    await t.database?.close();
    await t.embedded?.stop();
    await t.pg?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const source = (): BackupSource => (t.embedded ? { backend: 'pglite', dump: () => t.embedded!.dumpDataDir() } : { backend: 'postgres', url: t.url });

  /** Forgets the newest migration's record only: running it again then fails on what it created. */
  const forgetLastMigration = async () => {
    await t.database.pool.query(`DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)`);
  };

  /** Rebuilds the database from every migration but the newest: this build is then one migration ahead. */
  const oneMigrationBehind = async () => {
    await t.database.pool.query('DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const older = path.join(root, 'older-migrations');
    rmSync(older, { recursive: true, force: true });
    cpSync(migrationsFolder, older, { recursive: true });
    const journalFile = path.join(older, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
    journal.entries.pop();
    writeFileSync(journalFile, JSON.stringify(journal));
    await migrate(t.database.db, { migrationsFolder: older });
  };

  it('takes a backup before running pending migrations, and none when nothing is pending', async () => {
    expect(await migrateWithBackup(t.database, { source: source(), settings })).toEqual({ backup: undefined, applied: 0 });
    await oneMigrationBehind();
    expect(await appliedMigrationCount(t.database)).toBe(expectedMigrationCount - 1);
    const r = await migrateWithBackup(t.database, { source: source(), settings });
    expect(r.applied).toBe(1);
    expect(r.backup && existsSync(r.backup.file) && existsSync(`${r.backup.file}.sha256`)).toBe(true);
    expect(path.basename(r.backup!.file)).toMatch(/-upgrade\.tar$/);
    expect(await appliedMigrationCount(t.database)).toBe(expectedMigrationCount);
  });

  it('refuses to start when a migration fails, naming the pre-upgrade backup to restore', async () => {
    await forgetLastMigration(); // what it created is still there: running it again fails
    const err = await migrateWithBackup(t.database, { source: source(), settings }).catch((e) => e);
    expect(err).toBeInstanceOf(UpgradeError);
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(/^migration failed \(.+\); to roll back: .*npm run restore -- .*till-backup-\S+-upgrade\.tar$/);
    const file = /npm run restore -- (\S+)$/.exec(err.message)![1]!;
    expect(existsSync(file)).toBe(true);
  });
});
