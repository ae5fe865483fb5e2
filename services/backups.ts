// The `backups` table: what the admin pages show and ask for, and what the backup job records.
// Taking a backup needs the process that owns the database (the launcher, infra/backup); anyone else
// (the admin page, the CLI while an edge runs) leaves a `requested` row that the launcher picks up.
import type { Database } from '../db/client';
import { execute, many, maybeOne, one, type Cols, type SqlRow } from '../db/query';
import type { auditLog, backups } from '../db/schema';
import type { BackupKind, BackupResult } from '../db/statuses';
import { withTransaction } from '../db/transaction';

/** The `heartbeats` row a verified backup moves (the same name as BACKUP_HEARTBEAT in functions/lib/store-metrics.ts). */
export const BACKUP_HEARTBEAT_NAME = 'backup';

/** A good backup older than this is overdue: the admin header shows a badge, the alerts fire at 26 h. */
export const BACKUP_STALE_MS = 24 * 3_600_000;

export type { BackupKind };

export interface BackupRow {
  id: string;
  kind: BackupKind;
  requestedBy: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: BackupResult;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  error: string | null;
}

const COLUMNS = `id, kind, requested_by, requested_at, started_at, finished_at, result, file, bytes, sha256, error`;

function toRow(r: SqlRow<typeof backups>): BackupRow {
  return {
    id: r.id,
    kind: r.kind,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    result: r.result,
    file: r.file,
    bytes: r.bytes,
    sha256: r.sha256,
    error: r.error,
  };
}

export async function listBackups(database: Database, limit = 20): Promise<BackupRow[]> {
  const rows = await many<SqlRow<typeof backups>>(database.pool, `SELECT ${COLUMNS} FROM backups ORDER BY COALESCE(started_at, requested_at) DESC LIMIT $1`, [
    limit,
  ]);
  return rows.map(toRow);
}

export async function getBackup(database: Database, id: string): Promise<BackupRow | undefined> {
  const row = await maybeOne<SqlRow<typeof backups>>(database.pool, `SELECT ${COLUMNS} FROM backups WHERE id = $1`, [id]);
  return row ? toRow(row) : undefined;
}

/** The newest good backup, if any. */
export async function lastGoodBackup(database: Database): Promise<BackupRow | undefined> {
  const row = await maybeOne<SqlRow<typeof backups>>(database.pool, `SELECT ${COLUMNS} FROM backups WHERE result = 'ok' ORDER BY finished_at DESC LIMIT 1`);
  return row ? toRow(row) : undefined;
}

/** True when no good backup finished within BACKUP_STALE_MS (or none ever did). */
export async function backupOverdue(database: Database, now = new Date()): Promise<boolean> {
  const last = await lastGoodBackup(database);
  return !last?.finishedAt || now.getTime() - Date.parse(last.finishedAt) > BACKUP_STALE_MS;
}

/**
 * Asks the launcher for a backup. One request at a time: while one is waiting or running, that one is
 * returned instead of queueing another.
 */
export async function requestBackup(database: Database, opts: { kind: 'manual' | 'cli'; by: string }): Promise<{ id: string; queued: boolean }> {
  return withTransaction(database, async (client) => {
    await client.query('LOCK TABLE backups IN SHARE ROW EXCLUSIVE MODE');
    const open = await maybeOne<Cols<typeof backups, 'id'>>(
      client,
      `SELECT id FROM backups WHERE result IN ('requested', 'running') ORDER BY requested_at LIMIT 1`,
    );
    let id: string;
    let queued = false;
    if (open) id = open.id;
    else {
      id = (await one<Cols<typeof backups, 'id'>>(client, `INSERT INTO backups (kind, requested_by) VALUES ($1, $2) RETURNING id`, [opts.kind, opts.by])).id;
      queued = true;
      await client.query(`INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id) VALUES ($1, $2, 'backup.requested', 'backup', $3)`, [
        opts.kind === 'manual' ? 'admin' : 'system',
        opts.by,
        id,
      ]);
    }
    return { id, queued };
  });
}

/** Starts a backup record: claims the waiting request `requestId`, or adds a new row of `kind`. */
export async function startBackupRecord(database: Database, opts: { kind: BackupKind; by?: string; requestId?: string }): Promise<string> {
  if (opts.requestId) {
    const claimed = await maybeOne<Cols<typeof backups, 'id'>>(
      database.pool,
      `UPDATE backups SET result = 'running', started_at = now() WHERE id = $1 AND result = 'requested' RETURNING id`,
      [opts.requestId],
    );
    if (!claimed) throw new Error(`backup request ${opts.requestId} is no longer waiting`);
    return claimed.id;
  }
  const added = await one<Cols<typeof backups, 'id'>>(
    database.pool,
    `INSERT INTO backups (kind, requested_by, started_at, result) VALUES ($1, $2, now(), 'running') RETURNING id`,
    [opts.kind, opts.by ?? null],
  );
  return added.id;
}

/** The oldest waiting request, if any (startBackupRecord claims it). */
export async function nextBackupRequest(database: Database): Promise<{ id: string; kind: BackupKind; requestedBy: string | null } | undefined> {
  const r = await maybeOne<Cols<typeof backups, 'id' | 'kind' | 'requested_by'>>(
    database.pool,
    `SELECT id, kind, requested_by FROM backups WHERE result = 'requested' ORDER BY requested_at LIMIT 1`,
  );
  return r ? { id: r.id, kind: r.kind, requestedBy: r.requested_by } : undefined;
}

/** Records a verified backup and moves the `backup` heartbeat that /metrics and the alerts read. */
export async function finishBackupRecord(
  database: Database,
  id: string,
  done: { file: string; bytes: number; sha256: string; finishedAt?: Date },
): Promise<void> {
  await withTransaction(database, async (client) => {
    await client.query(`UPDATE backups SET result = 'ok', finished_at = COALESCE($5, now()), file = $2, bytes = $3, sha256 = $4, error = NULL WHERE id = $1`, [
      id,
      done.file,
      done.bytes,
      done.sha256,
      done.finishedAt ?? null,
    ]);
    await client.query(`INSERT INTO heartbeats (name, beat_at) VALUES ($1, now()) ON CONFLICT (name) DO UPDATE SET beat_at = EXCLUDED.beat_at`, [
      BACKUP_HEARTBEAT_NAME,
    ]);
  });
}

export async function failBackupRecord(database: Database, id: string, error: string): Promise<void> {
  await execute(database.pool, `UPDATE backups SET result = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [id, error.slice(0, 2000)]);
}

/** Whether the scheduled backup is due: no good backup within `intervalMs`, and no attempt within `retryMs`. */
export async function scheduledBackupDue(database: Database, opts: { intervalMs: number; retryMs: number }): Promise<boolean> {
  const { good, tried } = await one<{ good: Date | null; tried: Date | null }>(
    database.pool,
    `SELECT (SELECT max(finished_at) FROM backups WHERE result = 'ok') AS good,
            (SELECT max(COALESCE(started_at, requested_at)) FROM backups WHERE result IN ('ok', 'failed', 'running')) AS tried`,
  );
  const now = Date.now();
  if (good && now - good.getTime() < opts.intervalMs) return false;
  return !tried || now - tried.getTime() >= opts.retryMs;
}

/** The last restore of this edge (from the audit log): when, from which backup, taken when. */
export async function lastRestore(database: Database): Promise<{ at: string; detail: Record<string, unknown> } | undefined> {
  const r = await maybeOne<Cols<typeof auditLog, 'created_at' | 'after'>>(
    database.pool,
    `SELECT created_at, after FROM audit_log WHERE action = 'edge.restored' ORDER BY created_at DESC LIMIT 1`,
  );
  // Written by infra/backup/restore.ts as an object.
  return r ? { at: r.created_at.toISOString(), detail: r.after as Record<string, unknown> } : undefined;
}
