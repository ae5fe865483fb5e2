// Starting a new version: when migrations are pending on a database that has some, a backup is
// taken first; a failed migration stops the start with one line naming that backup.
import type { Database } from '../../db/client';
import { appliedMigrationCount, expectedMigrationCount, migrateDatabase } from '../../db/migrate';
import { takeBackup, type BackupResult, type BackupSource } from './backup';
import { OperatorError } from './errors';
import type { BackupSettings } from './settings';
import { one } from '../../db/query';

export class UpgradeError extends OperatorError {}

export async function migrateWithBackup(
  database: Database,
  opts: { source: BackupSource; settings: BackupSettings; log?: (msg: string, extra?: Record<string, unknown>) => void },
): Promise<{ backup?: BackupResult; applied: number }> {
  const before = await appliedMigrationCount(database);
  let backup: BackupResult | undefined;
  if (before > 0 && before < expectedMigrationCount) {
    const hasTable = (await one<{ ok: boolean }>(database.pool, `SELECT to_regclass('backups') IS NOT NULL AS ok`)).ok;
    try {
      backup = await takeBackup({ database, source: opts.source, settings: opts.settings, kind: 'upgrade', record: hasTable });
    } catch (e) {
      throw new UpgradeError(
        `not upgrading: the backup before migrating failed (${(e as Error).message}); nothing was changed: fix it (BACKUP_DIR=${opts.settings.dir}) and start again`,
      );
    }
    opts.log?.('pre-upgrade backup written', { file: backup.file, bytes: backup.bytes, pending: expectedMigrationCount - before });
  }
  try {
    await migrateDatabase(database);
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    throw new UpgradeError(
      backup
        ? `migration failed (${why}); to roll back: stop, install the previous version, move ${opts.settings.externalUrl ? 'to an empty database' : `${opts.settings.dataDir} away`} and run: npm run restore -- ${backup.file}`
        : `migration failed (${why}); the database was not upgraded before, so there is nothing to roll back: fix the cause and start again`,
    );
  }
  return { backup, applied: expectedMigrationCount - before };
}
