// What an import tells people: counts per entity and company, every rejected row (CSV report and
// import_rejections), and a progress bar for the terminal.
import { formatCompanyPlans, type CompanyPlan } from './create-companies';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/client';
import type { Entity, LayoutKind } from './detect-layout';
import type { RowIssue } from './records';

export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'rejected' | 'skipped';

export interface EntityCounts {
  entity: Entity;
  /** Till company name; `(all)` for customers (shared) and rows not tied to one company. */
  company: string;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
}

export interface FileSummary {
  file: string;
  entity: Entity | null;
  layout: LayoutKind | null;
  /** Physical CSV rows read (header rows included). */
  rows: number;
  /** Set when the whole file was refused (unknown layout, XLSX…). */
  error?: string;
}

export interface ImportSummary {
  runId: string | null;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  elapsedMs: number;
  rows: number;
  files: FileSummary[];
  counts: EntityCounts[];
  /** Issue lines (one rejected record may have several). */
  rejections: number;
  /** Informational lines: rounded prices, skipped price rows. */
  notices: number;
  reportFile: string | null;
  /** Companies created (or, on a dry run, that would be) by `createCompanies`. */
  companiesCreated?: CompanyPlan[];
  /** Why the run stopped before the end (what was written before it stays). */
  failure?: string;
}

export interface ImportProgress {
  file: string;
  /** Bytes of all input files read so far / in total. */
  bytesDone: number;
  bytesTotal: number;
  rows: number;
  elapsedMs: number;
}

export interface Rejection extends RowIssue {
  entity: Entity | null;
  company: string | null;
  row?: Record<string, unknown>;
}

export const ALL_COMPANIES = '(all)';

export class Counts {
  private readonly map = new Map<string, EntityCounts>();

  add(entity: Entity, company: string, outcome: WriteOutcome, n = 1): void {
    const k = `${entity}\u0000${company}`;
    let c = this.map.get(k);
    if (!c) {
      c = { entity, company, created: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0 };
      this.map.set(k, c);
    }
    c[outcome] += n;
  }

  list(): EntityCounts[] {
    const order: Record<Entity, number> = { item: 0, itemPrice: 1, customer: 2 };
    return [...this.map.values()].sort((a, b) => order[a.entity] - order[b.entity] || a.company.localeCompare(b.company));
  }
}

const CSV_HEADER = ['file', 'line', 'column', 'entity', 'company', 'severity', 'reason'];

export function csvCell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Streams issues to the CSV report and (errors only) to import_rejections, in batches. */
export class ReportSink {
  rejections = 0;
  notices = 0;
  private csv: WriteStream | null = null;
  private pending: Rejection[] = [];

  constructor(private readonly opts: { database?: Database; runId?: string | null; csvPath?: string | null }) {
    if (opts.csvPath) {
      mkdirSync(path.dirname(path.resolve(opts.csvPath)), { recursive: true });
      this.csv = createWriteStream(opts.csvPath);
      this.csv.write(CSV_HEADER.join(',') + '\n');
    }
  }

  private async line(r: Rejection, severity: 'error' | 'notice'): Promise<void> {
    if (!this.csv) return;
    const ok = this.csv.write([r.file, r.line, r.column ?? '', r.entity ?? '', r.company ?? '', severity, r.reason].map(csvCell).join(',') + '\n');
    if (!ok) await once(this.csv, 'drain');
  }

  async reject(r: Rejection): Promise<void> {
    this.rejections++;
    await this.line(r, 'error');
    if (this.opts.database && this.opts.runId) {
      this.pending.push(r);
      if (this.pending.length >= 500) await this.flush();
    }
  }

  async notice(r: Rejection): Promise<void> {
    this.notices++;
    await this.line(r, 'notice');
  }

  async flush(): Promise<void> {
    const list = this.pending.splice(0);
    if (list.length === 0 || !this.opts.database || !this.opts.runId) return;
    await this.opts.database.pool.query(
      `INSERT INTO import_rejections (run_id, file, line, "column", reason, "row")
       SELECT $1::uuid, u.file, u.line, u.col, u.reason, u.row::jsonb
         FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) AS u(file, line, col, reason, row)`,
      [
        this.opts.runId,
        list.map((r) => r.file),
        list.map((r) => r.line),
        list.map((r) => r.column),
        list.map((r) => r.reason),
        list.map((r) => (r.row ? JSON.stringify({ entity: r.entity, company: r.company, ...r.row }) : null)),
      ],
    );
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.csv) {
      const csv = this.csv;
      this.csv = null;
      await new Promise<void>((resolve, reject) => csv.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
  }
}

const ENTITY_LABEL: Record<Entity, string> = { item: 'Item', itemPrice: 'Item Price', customer: 'Customer' };

/** The summary as a plain-text table for a terminal. */
export function formatSummary(s: ImportSummary): string {
  const lines: string[] = [];
  const secs = (s.elapsedMs / 1000).toFixed(1);
  lines.push(`ERPNext import${s.dryRun ? ' (dry run: nothing written)' : ''}: ${s.files.length} file(s), ${s.rows} rows in ${secs} s`);
  for (const f of s.files)
    lines.push(`  ${f.file}: ${f.error ? `refused: ${f.error}` : `${f.entity ? ENTITY_LABEL[f.entity] : '?'}, ${f.layout} layout, ${f.rows} rows`}`);
  const head = ['entity', 'company', 'created', 'updated', 'unchanged', 'rejected', 'skipped'];
  const body = s.counts.map((c) => [ENTITY_LABEL[c.entity], c.company, c.created, c.updated, c.unchanged, c.rejected, c.skipped].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => '  ' + r.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  lines.push('', fmt(head), ...body.map(fmt));
  if (s.companiesCreated?.length) lines.push('', ...formatCompanyPlans(s.companiesCreated, s.dryRun));
  lines.push('', `${s.rejections} rejected row issue(s), ${s.notices} notice(s)${s.reportFile ? `; report: ${s.reportFile}` : ''}`);
  return lines.join('\n');
}

const clock = (secs: number) => {
  if (!Number.isFinite(secs)) return '--:--';
  const s = Math.max(0, Math.round(secs));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** One progress line (no newline): bar, percent, rows, rows/s, ETA. */
export function formatProgress(p: ImportProgress, width = 24): string {
  const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
  const filled = Math.round(frac * width);
  const rate = p.elapsedMs > 0 ? (p.rows * 1000) / p.elapsedMs : 0;
  const eta = frac > 0 ? ((p.elapsedMs / 1000) * (1 - frac)) / frac : Infinity;
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ` +
    `${p.rows.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')} rows/s  ETA ${clock(eta)}  ${path.basename(p.file)}`
  );
}

/** A progress bar redrawn in place on `out` at most every `intervalMs`. */
export function progressBar(out: NodeJS.WritableStream, intervalMs = 100) {
  let last = 0;
  let drawn = false;
  return {
    update(p: ImportProgress) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      drawn = true;
      out.write(`\r${formatProgress(p)}\u001b[K`);
    },
    done() {
      if (drawn) out.write('\n');
    },
  };
}
