// The back office's view of ERPNext imports: runs and their rejected rows.
import { UUID_RE as UUID } from '../core/ids';
import type { Database } from '../db/client';
import { many, maybeOne, type Cols } from '../db/query';
import type { importRejections, importRuns } from '../db/schema';
import type { ImportSummary } from '../importer/report';

export { importErpnext, ImportUsageError } from '../importer/import-erpnext';
export type { ImportSummary } from '../importer/report';

export interface ImportRunView {
  id: string;
  createdAt: string;
  finishedAt: string | null;
  dryRun: boolean;
  startedBy: string;
  rows: number | null;
  rejections: number;
  files: string[];
  /** Why the run stopped before the end. */
  failure: string | null;
}

export interface ImportRejectionView {
  file: string;
  line: number;
  column: string | null;
  reason: string;
}

export async function listImportRuns(database: Database, opts: { limit?: number } = {}): Promise<ImportRunView[]> {
  const rows = await many<Cols<typeof importRuns, 'id' | 'created_at' | 'finished_at' | 'dry_run' | 'started_by' | 'summary'> & { rejections: number }>(
    database.pool,
    `SELECT r.id, r.created_at, r.finished_at, r.dry_run, r.started_by, r.summary,
            (SELECT count(*)::int FROM import_rejections x WHERE x.run_id = r.id) AS rejections
       FROM import_runs r ORDER BY r.created_at DESC LIMIT $1`,
    [opts.limit ?? 20],
  );
  return rows.map((x) => {
    const summary = x.summary as Partial<ImportSummary> | null;
    return {
      id: x.id,
      createdAt: x.created_at.toISOString(),
      finishedAt: x.finished_at ? x.finished_at.toISOString() : null,
      dryRun: x.dry_run,
      startedBy: x.started_by,
      rows: typeof summary?.rows === 'number' ? summary.rows : null,
      rejections: x.rejections,
      files: Array.isArray(summary?.files) ? summary.files.map((f) => f.file) : [],
      failure: typeof summary?.failure === 'string' ? summary.failure : null,
    };
  });
}

export async function getImportRun(database: Database, runId: string): Promise<{ run: ImportRunView; summary: ImportSummary | null } | undefined> {
  if (!UUID.test(runId)) return undefined;
  const row = await maybeOne<Cols<typeof importRuns, 'summary'>>(database.pool, `SELECT summary FROM import_runs WHERE id = $1`, [runId]);
  if (!row) return undefined;
  const run = (await listImportRuns(database, { limit: 1000 })).find((x) => x.id === runId);
  // Written by the importer (importer/report.ts) in this shape.
  return run ? { run, summary: (row.summary ?? null) as ImportSummary | null } : undefined;
}

export async function listImportRejections(database: Database, runId: string, opts: { limit?: number } = {}): Promise<ImportRejectionView[]> {
  if (!UUID.test(runId)) return [];
  const rows = await many<Cols<typeof importRejections, 'file' | 'line' | 'column' | 'reason'>>(
    database.pool,
    `SELECT file, line, "column", reason FROM import_rejections WHERE run_id = $1 ORDER BY file, line, "column" NULLS FIRST LIMIT $2`,
    [runId, opts.limit ?? 1000],
  );
  return rows.map((x) => ({ file: x.file, line: x.line, column: x.column, reason: x.reason }));
}
