// What every step of one import shares: its settings, the companies it resolves names to, and where
// its counts, rejections and notices go.
import type { Database } from '../db/client';
import type { companyResolver, CompanyInfo } from './company-map';
import type { Entity } from './detect-layout';
import type { NumberFormat } from './money';
import { recordSnapshot, type RowIssue, type SourceRecord } from './records';
import type { Counts, ReportSink } from './report';

export interface ImportContext {
  database: Database;
  dryRun: boolean;
  numberFormat: NumberFormat;
  batchSize: number;
  /** YYYY-MM-DD: Item Price rows valid until before it are expired. */
  today: string;
  /** Stored companies, plus on a dry run the ones `createCompanies` would create (`planned`). */
  companies: CompanyInfo[];
  resolve: ReturnType<typeof companyResolver>;
  sink: ReportSink;
  counts: Counts;
}

/** Continuation lines with nothing above them cannot belong to any document. */
export async function reportOrphans(ctx: ImportContext, record: SourceRecord, entity: Entity): Promise<void> {
  for (const line of record.orphanLines)
    await ctx.sink.reject({
      file: record.file,
      line,
      column: null,
      reason: 'continuation line with no document above it (its parent cells are blank)',
      entity,
      company: null,
    });
}

export const notice = (ctx: ImportContext, i: RowIssue, entity: Entity, company: string | null) => ctx.sink.notice({ ...i, entity, company });

/** Refuses a whole document: counted once per company it named, each issue reported with the row. */
export async function rejectRecord(ctx: ImportContext, record: SourceRecord, issues: RowIssue[], companyNames: string[], entity: Entity): Promise<void> {
  const labels = [...new Set(companyNames.map((n) => ctx.resolve(n)?.name ?? n))];
  if (labels.length === 0) labels.push('(none)');
  for (const l of labels) ctx.counts.add(entity, l, 'rejected');
  const row = recordSnapshot(record);
  for (const i of issues) await ctx.sink.reject({ ...i, entity, company: labels.join(', '), row });
}
