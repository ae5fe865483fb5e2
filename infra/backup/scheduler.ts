// Backups on the edge run in the launcher, the one process that owns the embedded database: a
// daily backup when the last good one is older than BACKUP_INTERVAL_HOURS, and every `requested`
// row (admin "Back up now", `npm run backup` while the edge runs) within a few seconds.
import type { Database } from '../../db/client';
import { nextBackupRequest, scheduledBackupDue, type BackupKind } from '../../services/backups';
import { takeBackup, type BackupResult, type BackupSource } from './backup';
import type { BackupSettings } from './settings';

export interface BackupScheduler {
  /** Waits for a backup in progress. */
  stop(): Promise<void>;
}

export function startBackupScheduler(opts: {
  database: Database;
  source: BackupSource;
  settings: BackupSettings;
  log: (msg: string, extra?: Record<string, unknown>) => void;
  /** How often requests are looked for. */
  pollMs?: number;
  /** The first scheduled check waits this long after start (a start is busy enough). */
  firstCheckMs?: number;
  /** A failed scheduled backup is tried again after this long. */
  retryMs?: number;
}): BackupScheduler {
  const pollMs = opts.pollMs ?? 5_000;
  const firstCheckAt = Date.now() + (opts.firstCheckMs ?? 5 * 60_000);
  let nextScheduledCheck = firstCheckAt;
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const backup = async (kind: BackupKind, requestId?: string) => {
    try {
      const r: BackupResult = await takeBackup({ database: opts.database, source: opts.source, settings: opts.settings, kind, requestId });
      opts.log('backup written', { kind, file: r.file, bytes: r.bytes, ms: r.ms });
    } catch (e) {
      opts.log('backup failed', { kind, error: (e as Error).message });
    }
  };

  const tick = async () => {
    try {
      const request = await nextBackupRequest(opts.database);
      if (request) await backup(request.kind, request.id);
      else if (opts.settings.intervalMs > 0 && Date.now() >= nextScheduledCheck) {
        nextScheduledCheck = Date.now() + 60_000;
        if (await scheduledBackupDue(opts.database, { intervalMs: opts.settings.intervalMs, retryMs: opts.retryMs ?? 3_600_000 })) {
          await backup('scheduled');
        }
      }
    } catch (e) {
      opts.log('backup check failed', { error: (e as Error).message });
    }
  };

  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = tick().finally(loop);
    }, pollMs);
    timer.unref();
  };
  loop();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
