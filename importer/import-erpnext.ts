// Imports a folder of ERPNext exports (Item, Item Price, Customer CSVs) into Till.
// Order: Item Price files are read first into a price book (import-prices.ts), then items with
// their barcodes and price (import-items.ts), then Item Price rows whose item was not in this
// import, then customers (import-customers.ts). Every run is recorded in import_runs, also one that
// fails half-way (with the reason), so an operator never finds a run that looks still running.
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client';
import { execute, one, type Cols } from '../db/query';
import type { importRuns } from '../db/schema';
import { companyResolver, CompanyMapError, loadCompanies, parseCompanyMap } from './company-map';
import { createPlannedCompanies, planCompanies, plannedCompanyInfos, type CompanyPlan } from './create-companies';
import type { ImportContext } from './import-context';
import { CustomerImport } from './import-customers';
import { ItemImport } from './import-items';
import { priceStoredItems, readPriceBook } from './import-prices';
import { DocumentReader, entityFiles, listFiles, readInputs, type InputFile } from './input-files';
import { DEFAULT_NUMBER_FORMAT, type NumberFormat } from './money';
import { Counts, ReportSink, type ImportProgress, type ImportSummary } from './report';
import { ImportUsageError } from './usage-error';

export { ImportUsageError } from './usage-error';

export interface ImportOptions {
  /** Every *.csv (and, to refuse them with a message, *.xlsx/*.xls/*.ods) in this folder. */
  dataDir?: string;
  /** Or these files. */
  files?: string[];
  /** Validate and count what would change (each batch runs in a rolled-back transaction); nothing is kept. */
  dryRun?: boolean;
  /** `"ERPNext name=Till name,…"` or a map; names not in it must equal a companies.name. */
  companyMap?: string | Map<string, string> | Record<string, string>;
  /** Number format of the export; ERPNext's default `#,###.##`. */
  numberFormat?: NumberFormat;
  /** Write every rejected row (and notice) to this CSV file; null/undefined: no CSV. */
  reportFile?: string | null;
  /** Create the companies the export names (with its warehouses and VAT rates) when they do not exist. */
  createCompanies?: boolean;
  /** Recorded in import_runs.started_by. */
  startedBy?: string;
  /** Items or customers per transaction. */
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** YYYY-MM-DD for expired Item Price rows (default: today). */
  today?: string;
}

function toMap(m: ImportOptions['companyMap']): Map<string, string> {
  if (!m) return new Map();
  if (typeof m === 'string') return parseCompanyMap(m);
  if (m instanceof Map) return m;
  return new Map(Object.entries(m));
}

function usage<T>(f: () => T, suffix = ''): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CompanyMapError) throw new ImportUsageError(`${e.message}${suffix}`);
    throw e;
  }
}

export async function importErpnext(database: Database, opts: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const dryRun = opts.dryRun ?? false;

  const paths = await listFiles(opts);
  const companyMap = usage(() => toMap(opts.companyMap));
  let companies = await loadCompanies(database);
  let plans: CompanyPlan[] = [];
  if (opts.createCompanies) {
    plans = await planCompanies(database, await entityFiles(paths), companies, companyMap);
    if (dryRun) companies = [...companies, ...plannedCompanyInfos(plans, randomUUID)];
    else if (plans.length) {
      await createPlannedCompanies(database, plans, opts.startedBy ?? 'cli');
      companies = await loadCompanies(database);
    }
  }
  if (companies.length === 0) throw new ImportUsageError('no companies in the database: create the companies first, or pass --create-companies');
  const resolve = usage(() => companyResolver(companies, companyMap), '; create it first, or pass --create-companies');

  const { id: runId } = await one<Cols<typeof importRuns, 'id'>>(
    database.pool,
    `INSERT INTO import_runs (source, dry_run, started_by) VALUES ('erpnext', $1, $2) RETURNING id`,
    [dryRun, opts.startedBy ?? 'cli'],
  );
  const ctx: ImportContext = {
    database,
    dryRun,
    numberFormat: opts.numberFormat ?? DEFAULT_NUMBER_FORMAT,
    batchSize: opts.batchSize ?? 1000,
    today: opts.today ?? startedAt.slice(0, 10),
    companies,
    resolve,
    sink: new ReportSink({ database, runId, csvPath: opts.reportFile ?? null }),
    counts: new Counts(),
  };
  let inputs: InputFile[] = [];
  let reader: DocumentReader | undefined;
  const summary = (failure?: string): ImportSummary => {
    const finished = Date.now();
    return {
      runId,
      dryRun,
      startedAt,
      finishedAt: new Date(finished).toISOString(),
      elapsedMs: finished - started,
      rows: reader?.totalRows ?? 0,
      files: inputs.map((f) => f.summary),
      counts: ctx.counts.list(),
      rejections: ctx.sink.rejections,
      notices: ctx.sink.notices,
      reportFile: opts.reportFile ?? null,
      ...(opts.createCompanies ? { companiesCreated: plans } : {}),
      ...(failure ? { failure } : {}),
    };
  };
  const finish = (s: ImportSummary) =>
    execute(database.pool, `UPDATE import_runs SET finished_at = now(), summary = $2::jsonb WHERE id = $1`, [runId, JSON.stringify(s)]);

  try {
    inputs = await readInputs(paths, ctx.sink);
    reader = new DocumentReader(inputs, started, opts.onProgress);
    const book = await readPriceBook(ctx, reader);
    await reader.eachBatch('item', ctx.batchSize, new ItemImport(ctx, book).flush);
    await priceStoredItems(ctx, book);
    await reader.eachBatch('customer', ctx.batchSize, new CustomerImport(ctx).flush);
    await ctx.sink.close();
  } catch (e) {
    // Written batches stay (each was its own transaction); the run says where it stopped and why.
    await ctx.sink.close().catch(() => undefined);
    await finish(summary(e instanceof Error ? e.message : String(e))).catch(() => undefined);
    throw e;
  }
  const done = summary();
  await finish(done);
  return done;
}
