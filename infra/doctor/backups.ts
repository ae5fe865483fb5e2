// The last good backup's age (the `backups` table the backup job writes) and whether BACKUP_DIR can
// take the next one. Thresholds follow the alerts: stale after 26 h, and a week without one is a failure.
import { constants, accessSync, closeSync, existsSync, openSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { lastGoodBackup, listBackups } from '../../services/backups';
import type { BackupSettings } from '../backup/settings';
import { errorText, formatAge, type CheckResult, type DatabaseAccess, type Verdict } from './check';
import { existingFolder } from './disk';

const HOUR = 3_600_000;
export const BACKUP_WARN_MS = 26 * HOUR;
export const BACKUP_FAIL_MS = 7 * 24 * HOUR;

interface Finding {
  verdict: Verdict;
  detail: string;
  fix?: string;
}

/** Whether the backup job can write its next file into `dir` (it creates the folder when absent). */
export function backupFolderFinding(opts: { dir: string; explicit: boolean; dataDir?: string }): Finding {
  const { dir } = opts;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return { verdict: 'FAIL', detail: `BACKUP_DIR ${dir} is not a folder`, fix: 'point BACKUP_DIR at a folder' };
    const probe = path.join(dir, `.till-doctor-${process.pid}`);
    try {
      closeSync(openSync(probe, 'wx', 0o600));
      unlinkSync(probe);
    } catch (e) {
      return {
        verdict: 'FAIL',
        detail: `BACKUP_DIR ${dir} is not writable (${errorText(e)})`,
        fix: 'give the edge\u2019s user write access to it, or set BACKUP_DIR to a folder it owns',
      };
    }
    const sameDisk = opts.dataDir !== undefined && statSync(dir).dev === statSync(existingFolder(opts.dataDir)).dev;
    return {
      verdict: 'OK',
      detail: `BACKUP_DIR ${dir} writable${sameDisk ? ' (on the database\u2019s own disk: a USB disk or share there keeps a copy off it)' : ''}`,
    };
  }
  const parent = existingFolder(dir);
  if (!statSync(parent).isDirectory())
    return { verdict: 'FAIL', detail: `BACKUP_DIR ${dir} is under ${parent}, which is not a folder`, fix: 'point BACKUP_DIR at a folder' };
  try {
    accessSync(parent, constants.W_OK);
  } catch (e) {
    return {
      verdict: 'FAIL',
      detail: `BACKUP_DIR ${dir} is absent and ${parent} is not writable (${errorText(e)})`,
      fix: 'create the folder for the edge\u2019s user, or set BACKUP_DIR to a folder it owns',
    };
  }
  if (opts.explicit) {
    return {
      verdict: 'WARN',
      detail: `BACKUP_DIR ${dir} does not exist`,
      fix: 'if a USB disk or share belongs there, mount it: the next backup would otherwise create the folder on this disk',
    };
  }
  return { verdict: 'OK', detail: `BACKUP_DIR ${dir} will be created by the first backup` };
}

async function ageFinding(
  access: DatabaseAccess & { database: NonNullable<DatabaseAccess['database']> },
  settings: Pick<BackupSettings, 'intervalMs'>,
): Promise<Finding> {
  const { database } = access;
  const { now, since } = (
    await database.pool.query(
      // The store's oldest record: a store set up less than a day ago may not have had its first backup yet.
      `SELECT now() AS now, LEAST((SELECT min(created_at) FROM companies), (SELECT min(created_at) FROM registers), (SELECT min(created_at) FROM audit_log)) AS since`,
    )
  ).rows[0] as { now: Date; since: Date | null };
  const last = await lastGoodBackup(database);
  const attempt = (await listBackups(database, 1))[0];
  const off = settings.intervalMs === 0;
  const takeOne = off
    ? 'scheduled backups are off (BACKUP_INTERVAL_HOURS=0): run npm run backup now and schedule it'
    : 'run npm run backup now and check the edge\u2019s log for "backup failed"';
  const failed =
    attempt?.result === 'failed' && (!last?.finishedAt || Date.parse(attempt.requestedAt) >= Date.parse(last.finishedAt))
      ? `; the last attempt failed ${formatAge(now.getTime() - Date.parse(attempt.finishedAt ?? attempt.requestedAt))} ago: ${attempt.error ?? 'no reason recorded'}`
      : '';

  if (!last?.finishedAt) {
    const age = since ? now.getTime() - since.getTime() : 0;
    if (!failed && age < BACKUP_WARN_MS) {
      return {
        verdict: 'WARN',
        detail: since ? `no backup yet (the store's first records are ${formatAge(age)} old)` : 'no backup yet (the database holds no store yet)',
        fix: off ? takeOne : 'the edge takes the first one 5 minutes after it starts; npm run backup takes one now',
      };
    }
    return {
      verdict: 'FAIL',
      detail: `no good backup ever recorded${since ? ` (the store's first records are ${formatAge(age)} old)` : ''}${failed}`,
      fix: takeOne,
    };
  }
  const age = now.getTime() - Date.parse(last.finishedAt);
  const what = `last good backup ${formatAge(age)} ago (${last.kind}, ${last.file ?? 'no file recorded'})`;
  if (age > BACKUP_FAIL_MS) return { verdict: 'FAIL', detail: `${what}${failed}`, fix: takeOne };
  if (age > BACKUP_WARN_MS) return { verdict: 'WARN', detail: `${what}${failed}`, fix: takeOne };
  if (failed) return { verdict: 'WARN', detail: `${what}${failed}`, fix: 'see the error; the edge tries a failed scheduled backup again after an hour' };
  return { verdict: 'OK', detail: what };
}

export async function checkBackups(opts: {
  access: DatabaseAccess;
  settings: Pick<BackupSettings, 'dir' | 'intervalMs' | 'dataDir' | 'externalUrl'>;
  /** BACKUP_DIR was set (rather than the default beside the data folder). */
  explicitDir: boolean;
}): Promise<CheckResult> {
  const folder = backupFolderFinding({
    dir: opts.settings.dir,
    explicit: opts.explicitDir,
    dataDir: opts.settings.externalUrl ? undefined : opts.settings.dataDir,
  });
  const { access } = opts;
  const age: Finding = access.database
    ? await ageFinding({ ...access, database: access.database }, opts.settings)
    : { verdict: 'FAIL', detail: `last backup not checked: database unreachable (${access.cause})`, fix: 'see the database line' };
  const findings = [age, folder];
  const verdict: Verdict = findings.some((f) => f.verdict === 'FAIL') ? 'FAIL' : findings.some((f) => f.verdict === 'WARN') ? 'WARN' : 'OK';
  const fixes = findings.filter((f) => f.verdict !== 'OK' && f.fix).map((f) => f.fix!);
  return { name: 'backups', verdict, detail: findings.map((f) => f.detail).join('; '), ...(fixes.length ? { fix: fixes.join('; ') } : {}) };
}
