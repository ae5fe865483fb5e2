// The `backups` table: what the admin pages show and ask for, and what the backup job records.
// Taking a backup needs the process that owns the database (the launcher, infra/backup); anyone else
// (the admin page, the CLI while an edge runs) leaves a `requested` row that the launcher picks up.
import type { Database } from '../db/client';
import { withTransaction } from '../db/transaction';

/** The `heartbeats` row a verified backup moves (the same name as BACKUP_HEARTBEAT in functions/lib/store-metrics.ts). */
export const BACKUP_HEARTBEAT_NAME = 'backup';

/** A good backup older than this is overdue: the admin header shows a badge, the alerts fire at 26 h. */
export const BACKUP_STALE_MS = 24 * 3_600_000;

export type BackupKind = 'scheduled' | 'manual' | 'cli' | 'upgrade';

export interface BackupRow {
  id: string;
  kind: BackupKind;
  requestedBy: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: 'requested' | 'running' | 'ok' | 'failed';
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  error: string | null;
}

const COLUMNS = `id, kind, requested_by, requested_at, started_at, finished_at, result, file, bytes, sha256, error`;

function toRow(r: Record<string, unknown>): BackupRow {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);
  return {
    id: r.id as string,
    kind: r.kind as BackupKind,
    requestedBy: (r.requested_by as string | null) ?? null,
    requestedAt: iso(r.requested_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    result: r.result as BackupRow['result'],
    file: (r.file as string | null) ?? null,
    bytes: (r.bytes as number | null) ?? null,
    sha256: (r.sha256 as string | null) ?? null,
    error: (r.error as string | null) ?? null,
  };
}

export async function listBackups(database: Database, limit = 20): Promise<BackupRow[]> {
  const r = await database.pool.query(`SELECT ${COLUMNS} FROM backups ORDER BY COALESCE(started_at, requested_at) DESC LIMIT $1`, [limit]);
  return r.rows.map(toRow);
}

export async function getBackup(database: Database, id: string): Promise<BackupRow | undefined> {
  const r = await database.pool.query(`SELECT ${COLUMNS} FROM backups WHERE id = $1`, [id]);
  return r.rows[0] ? toRow(r.rows[0]) : undefined;
}

/** The newest good backup, if any. */
export async function lastGoodBackup(database: Database): Promise<BackupRow | undefined> {
  const r = await database.pool.query(`SELECT ${COLUMNS} FROM backups WHERE result = 'ok' ORDER BY finished_at DESC LIMIT 1`);
  return r.rows[0] ? toRow(r.rows[0]) : undefined;
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
    const open = await client.query(`SELECT id FROM backups WHERE result IN ('requested', 'running') ORDER BY requested_at LIMIT 1`);
    let id: string;
    let queued = false;
    if (open.rowCount) id = open.rows[0].id;
    else {
      id = (await client.query(`INSERT INTO backups (kind, requested_by) VALUES ($1, $2) RETURNING id`, [opts.kind, opts.by])).rows[0].id;
      queued = true;
      await client.query(
        `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id) VALUES ($1, $2, 'backup.requested', 'backup', $3)`,
        [opts.kind === 'manual' ? 'admin' : 'system', opts.by, id],
      );
    }
    return { id, queued };
  });
}

/** Starts a backup record: claims the waiting request `requestId`, or adds a new row of `kind`. */
export async function startBackupRecord(database: Database, opts: { kind: BackupKind; by?: string; requestId?: string }): Promise<string> {
  if (opts.requestId) {
    const r = await database.pool.query(
      `UPDATE backups SET result = 'running', started_at = now() WHERE id = $1 AND result = 'requested' RETURNING id`,
      [opts.requestId],
    );
    if (!r.rowCount) throw new Error(`backup request ${opts.requestId} is no longer waiting`);
    return r.rows[0].id;
  }
  const r = await database.pool.query(
    `INSERT INTO backups (kind, requested_by, started_at, result) VALUES ($1, $2, now(), 'running') RETURNING id`,
    [opts.kind, opts.by ?? null],
  );
  return r.rows[0].id;
}

/** The oldest waiting request, if any (startBackupRecord claims it). */
export async function nextBackupRequest(database: Database): Promise<{ id: string; kind: BackupKind; requestedBy: string | null } | undefined> {
  const r = await database.pool.query(`SELECT id, kind, requested_by FROM backups WHERE result = 'requested' ORDER BY requested_at LIMIT 1`);
  return r.rows[0] ? { id: r.rows[0].id, kind: r.rows[0].kind, requestedBy: r.rows[0].requested_by } : undefined;
}

/** Records a verified backup and moves the `backup` heartbeat that /metrics and the alerts read. */
export async function finishBackupRecord(
  database: Database,
  id: string,
  done: { file: string; bytes: number; sha256: string; finishedAt?: Date },
): Promise<void> {
  await withTransaction(database, async (client) => {
    await client.query(
      `UPDATE backups SET result = 'ok', finished_at = COALESCE($5, now()), file = $2, bytes = $3, sha256 = $4, error = NULL WHERE id = $1`,
      [id, done.file, done.bytes, done.sha256, done.finishedAt ?? null],
    );
    await client.query(
      `INSERT INTO heartbeats (name, beat_at) VALUES ($1, now()) ON CONFLICT (name) DO UPDATE SET beat_at = EXCLUDED.beat_at`,
      [BACKUP_HEARTBEAT_NAME],
    );
  });
}

export async function failBackupRecord(database: Database, id: string, error: string): Promise<void> {
  await database.pool.query(`UPDATE backups SET result = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [id, error.slice(0, 2000)]);
}

/** Whether the scheduled backup is due: no good backup within `intervalMs`, and no attempt within `retryMs`. */
export async function scheduledBackupDue(database: Database, opts: { intervalMs: number; retryMs: number }): Promise<boolean> {
  const r = await database.pool.query(
    `SELECT (SELECT max(finished_at) FROM backups WHERE result = 'ok') AS good,
            (SELECT max(COALESCE(started_at, requested_at)) FROM backups WHERE result IN ('ok', 'failed', 'running')) AS tried`,
  );
  const { good, tried } = r.rows[0] as { good: Date | null; tried: Date | null };
  const now = Date.now();
  if (good && now - good.getTime() < opts.intervalMs) return false;
  return !tried || now - tried.getTime() >= opts.retryMs;
}

/** The last restore of this edge (from the audit log): when, from which backup, taken when. */
export async function lastRestore(database: Database): Promise<{ at: string; detail: Record<string, unknown> } | undefined> {
  const r = await database.pool.query(
    `SELECT created_at, after FROM audit_log WHERE action = 'edge.restored' ORDER BY created_at DESC LIMIT 1`,
  );
  return r.rows[0] ? { at: (r.rows[0].created_at as Date).toISOString(), detail: r.rows[0].after } : undefined;
}
