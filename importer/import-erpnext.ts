// Imports a folder of ERPNext exports (Item, Item Price, Customer CSVs) into Till.
// Order: Item Price files are read first into a price book, then items (with their barcodes and
// price, batch by batch: validate everything, then write the good ones in one transaction), then
// Item Price rows whose item was not in this import, then customers.
import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/client';
import { one, type Cols } from '../db/query';
import type { importRuns } from '../db/schema';
import { companyResolver, CompanyMapError, loadCompanies, parseCompanyMap, type CompanyInfo } from './company-map';
import { createPlannedCompanies, planCompanies, plannedCompanyInfos, type CompanyPlan } from './create-companies';
import { validateCustomer, type CustomerCandidate } from './customer-records';
import { LayoutError, readLayout, type Entity, type FileLayout } from './detect-layout';
import { itemCompanyNames, validateItem, type ItemCandidate } from './item-records';
import { companiesForCurrency, PriceBook, priceFromRow, readItemPrice, type ItemPriceRow } from './item-price-records';
import { DEFAULT_NUMBER_FORMAT, type NumberFormat } from './money';
import { readRows } from './read-rows';
import { groupRecords, RecordShape, recordSnapshot, type RowIssue, type SourceRecord } from './records';
import {
  ALL_COMPANIES,
  Counts,
  ReportSink,
  type FileSummary,
  type ImportProgress,
  type ImportSummary,
} from './report';
import { writeCustomers } from './upsert-customers';
import { findBarcodeOwners, findItems, writeItems, writePrices, type StoredPrice } from './upsert-items';

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

/** Bad options: no files, unknown folder, malformed company map. The CLI exits 2 on these. */
export class ImportUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportUsageError';
  }
}

const SPREADSHEET = /\.(xlsx|xlsm|xls|ods)$/i;

async function listFiles(opts: ImportOptions): Promise<string[]> {
  if (opts.files?.length) {
    for (const f of opts.files) {
      const s = await stat(f).catch(() => null);
      if (!s?.isFile()) throw new ImportUsageError(`no such file: ${f}`);
    }
    return [...opts.files];
  }
  if (!opts.dataDir) throw new ImportUsageError('give a data folder (dataDir) or files');
  const s = await stat(opts.dataDir).catch(() => null);
  if (!s?.isDirectory()) throw new ImportUsageError(`no such folder: ${opts.dataDir}`);
  const names = (await readdir(opts.dataDir)).filter((n) => /\.csv$/i.test(n) || SPREADSHEET.test(n)).sort();
  if (names.length === 0) throw new ImportUsageError(`no .csv files in ${opts.dataDir}`);
  return names.map((n) => path.join(opts.dataDir!, n));
}

function toMap(m: ImportOptions['companyMap']): Map<string, string> {
  if (!m) return new Map();
  if (typeof m === 'string') return parseCompanyMap(m);
  if (m instanceof Map) return m;
  return new Map(Object.entries(m));
}

/** The Item and Customer files among `paths`, by their header (unreadable files are left to the import's report). */
async function entityFiles(paths: string[]): Promise<{ path: string; name: string; entity: Entity }[]> {
  const out: { path: string; name: string; entity: Entity }[] = [];
  for (const p of paths) {
    if (SPREADSHEET.test(p)) continue;
    const rows = readRows(p);
    try {
      out.push({ path: p, name: path.basename(p), entity: (await readLayout(rows)).entity });
    } catch (e) {
      if (!(e instanceof LayoutError)) throw e;
    } finally {
      await rows.return(undefined);
    }
  }
  return out;
}

interface InputFile {
  path: string;
  name: string;
  size: number;
  layout: FileLayout | null;
  summary: FileSummary;
}

export async function importErpnext(database: Database, opts: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const dryRun = opts.dryRun ?? false;
  const numberFormat = opts.numberFormat ?? DEFAULT_NUMBER_FORMAT;
  const batchSize = opts.batchSize ?? 1000;
  const today = opts.today ?? startedAt.slice(0, 10);

  const paths = await listFiles(opts);
  let resolve: ReturnType<typeof companyResolver>;
  let companyMap: Map<string, string>;
  try {
    companyMap = toMap(opts.companyMap);
  } catch (e) {
    if (e instanceof CompanyMapError) throw new ImportUsageError(e.message);
    throw e;
  }
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
  try {
    resolve = companyResolver(companies, companyMap);
  } catch (e) {
    if (e instanceof CompanyMapError) throw new ImportUsageError(`${e.message}; create it first, or pass --create-companies`);
    throw e;
  }

  const { id: runId } = await one<Cols<typeof importRuns, 'id'>>(
    database.pool,
    `INSERT INTO import_runs (source, dry_run, started_by) VALUES ('erpnext', $1, $2) RETURNING id`,
    [dryRun, opts.startedBy ?? 'cli'],
  );
  const sink = new ReportSink({ database, runId, csvPath: opts.reportFile ?? null });
  const counts = new Counts();

  // Which file is which: read only the header rows now.
  const inputs: InputFile[] = [];
  for (const p of paths) {
    const name = path.basename(p);
    const size = (await stat(p)).size;
    const input: InputFile = { path: p, name, size, layout: null, summary: { file: name, entity: null, layout: null, rows: 0 } };
    inputs.push(input);
    if (SPREADSHEET.test(p)) {
      input.summary.error = 'spreadsheet files are not read; export the sheet as CSV (comma separated, UTF-8) and import that';
      await sink.reject({ file: name, line: 1, column: null, reason: input.summary.error, entity: null, company: null });
      continue;
    }
    const rows = readRows(p);
    try {
      input.layout = await readLayout(rows);
      input.summary.entity = input.layout.entity;
      input.summary.layout = input.layout.kind;
    } catch (e) {
      if (!(e instanceof LayoutError)) throw e;
      input.summary.error = e.message;
      await sink.reject({ file: name, line: e.line, column: null, reason: e.message, entity: null, company: null });
    } finally {
      await rows.return(undefined);
    }
  }

  // Items of a company a dry run would create are all new: counted, not test-written (no such company row).
  const planned = (c: ItemCandidate) => c.company.planned === true;
  const realCompanyIds = companies.filter((c) => !c.planned).map((c) => c.id);

  // Progress over every readable byte.
  const readable = inputs.filter((f) => f.layout);
  const bytesTotal = readable.reduce((n, f) => n + f.size, 0);
  let bytesBefore = 0;
  let totalRows = 0;
  let lastProgress = 0;
  const progress = (file: string, bytesInFile: number, force = false) => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < 100) return;
    lastProgress = now;
    opts.onProgress({ file, bytesDone: bytesBefore + bytesInFile, bytesTotal, rows: totalRows, elapsedMs: now - started });
  };

  /** Streams the documents of one file, keeping rows and progress counted. */
  async function* documents(input: InputFile): AsyncGenerator<{ record: SourceRecord; shape: RecordShape }> {
    let bytes = 0;
    const source = readRows(input.path, {
      onBytes: (b) => {
        bytes = b;
      },
    });
    // Every physical row read (header and preamble included) counts towards the totals.
    async function* counted() {
      for await (const row of source) {
        input.summary.rows++;
        totalRows++;
        yield row;
      }
    }
    const rows = counted();
    input.summary.rows = 0;
    try {
      const shape = new RecordShape(await readLayout(rows));
      for await (const record of groupRecords(input.name, shape, rows)) {
        progress(input.name, bytes);
        yield { record, shape };
      }
    } finally {
      await rows.return(undefined);
      bytesBefore += input.size;
      progress(input.name, 0, true);
    }
  }

  const reportOrphans = async (record: SourceRecord, entity: Entity) => {
    for (const line of record.orphanLines)
      await sink.reject({
        file: record.file,
        line,
        column: null,
        reason: 'continuation line with no document above it (its parent cells are blank)',
        entity,
        company: null,
      });
  };
  const notice = (i: RowIssue, entity: Entity, company: string | null) => sink.notice({ ...i, entity, company });

  // 1. Item Price files → price book.
  const book = new PriceBook();
  for (const input of readable.filter((f) => f.layout!.entity === 'itemPrice')) {
    for await (const { record, shape } of documents(input)) {
      await reportOrphans(record, 'itemPrice');
      if (record.values.size === 0) continue;
      const r = readItemPrice(record, shape, { companies, numberFormat, today });
      if (r.kind === 'skip') {
        counts.add('itemPrice', ALL_COMPANIES, 'skipped');
        await notice(r.issue, 'itemPrice', null);
      } else if (r.kind === 'error') {
        counts.add('itemPrice', ALL_COMPANIES, 'rejected');
        for (const i of r.issues) await sink.reject({ ...i, entity: 'itemPrice', company: null, row: recordSnapshot(record) });
      } else {
        const dup = book.add(r.row);
        if (dup) {
          counts.add('itemPrice', ALL_COMPANIES, 'rejected');
          await sink.reject({ ...dup, entity: 'itemPrice', company: null, row: recordSnapshot(record) });
        }
      }
    }
  }

  // 2. Items.
  /** Per company: item code → where it was first imported; barcode → item code. */
  const seenItems = new Map<string, Map<string, { file: string; line: number; withBarcodes: boolean }>>();
  const seenBarcodes = new Map<string, Map<string, { item: string; file: string; line: number }>>();
  for (const c of companies) {
    seenItems.set(c.id, new Map());
    seenBarcodes.set(c.id, new Map());
  }

  const rejectRecord = async (record: SourceRecord, issues: RowIssue[], companyNames: string[], entity: Entity) => {
    const labels = [...new Set(companyNames.map((n) => resolve(n)?.name ?? n))];
    if (labels.length === 0) labels.push('(none)');
    for (const l of labels) counts.add(entity, l, 'rejected');
    const row = recordSnapshot(record);
    for (const i of issues) await sink.reject({ ...i, entity, company: labels.join(', '), row });
  };

  const flushItems = async (batch: { record: SourceRecord; shape: RecordShape }[]) => {
    // Validate each document on its own.
    const valid: { record: SourceRecord; candidates: ItemCandidate[] }[] = [];
    for (const { record, shape } of batch) {
      await reportOrphans(record, 'item');
      if (record.values.size === 0) continue;
      const v = validateItem(record, shape, { resolveCompany: resolve, numberFormat });
      if (!v.ok) {
        await rejectRecord(record, v.issues, v.companyNames, 'item');
        continue;
      }
      for (const n of v.notices) await notice(n, 'item', v.candidates.map((c) => c.company.name).join(', '));
      // An Item Price row for the item's code (and company currency) wins over Standard Selling Rate.
      for (const c of v.candidates) {
        const row = book.find(c.code, c.company);
        if (!row) continue;
        book.markConsumed(row);
        if (row.uom && row.uom.toLowerCase() !== c.uom.toLowerCase()) {
          counts.add('itemPrice', c.company.name, 'skipped');
          await notice(
            { file: row.file, line: row.line, column: row.rateColumn, reason: `price is per ${row.uom} but item "${c.code}" is sold per ${c.uom}; skipped` },
            'itemPrice',
            c.company.name,
          );
          continue;
        }
        const p = priceFromRow(row, c.company, numberFormat);
        if ('issue' in p) {
          counts.add('itemPrice', c.company.name, 'rejected');
          await sink.reject({ ...p.issue, entity: 'itemPrice', company: c.company.name });
          continue;
        }
        if (p.notice) await notice(p.notice, 'itemPrice', c.company.name);
        c.price = p.price;
      }
      valid.push({ record, candidates: v.candidates });
    }

    // Barcodes already stored, per company, for every barcode in the batch.
    const owners = new Map<string, Map<string, string>>();
    for (const company of companies) {
      const codes = valid.flatMap((v) => v.candidates.filter((c) => c.company === company).flatMap((c) => (c.barcodes ?? []).map((b) => b.code)));
      owners.set(company.id, await findBarcodeOwners(database, company.id, codes));
    }

    // Checks across documents (earlier in the import, or stored), in file order.
    const accepted: ItemCandidate[] = [];
    for (const { record, candidates } of valid) {
      const issues: RowIssue[] = [];
      const batchBarcodes = new Map<string, string>(); // company|barcode → code, within this document
      for (const c of candidates) {
        const items = seenItems.get(c.company.id)!;
        const first = items.get(c.code);
        if (first)
          issues.push({
            file: c.file,
            line: c.line,
            column: null,
            reason: `Item Code "${c.code}" for ${c.company.name} appears again (first at ${first.file} line ${first.line})`,
          });
        const codes = seenBarcodes.get(c.company.id)!;
        const stored = owners.get(c.company.id)!;
        for (const b of c.barcodes ?? []) {
          const inFile = codes.get(b.code);
          const inDoc = batchBarcodes.get(`${c.company.id}|${b.code}`);
          if (inFile && inFile.item !== c.code) {
            issues.push({
              file: c.file,
              line: b.line,
              column: c.barcodeColumn,
              reason: `duplicate barcode "${b.code}": already on item "${inFile.item}" of ${c.company.name} (${inFile.file} line ${inFile.line})`,
            });
            continue;
          }
          if (inDoc && inDoc !== c.code) continue;
          const owner = stored.get(b.code);
          // A stored owner that this import already re-imported without the barcode has given it up.
          const released = owner !== undefined && items.get(owner)?.withBarcodes === true && !inFile;
          if (owner !== undefined && owner !== c.code && !released) {
            issues.push({
              file: c.file,
              line: b.line,
              column: c.barcodeColumn,
              reason: `duplicate barcode "${b.code}": already on stored item "${owner}" of ${c.company.name}`,
            });
          }
          batchBarcodes.set(`${c.company.id}|${b.code}`, c.code);
        }
      }
      if (issues.length) {
        await rejectRecord(record, issues, itemCompanyNames(record).map((x) => x.name), 'item');
        continue;
      }
      for (const c of candidates) {
        seenItems.get(c.company.id)!.set(c.code, { file: c.file, line: c.line, withBarcodes: c.barcodes !== null });
        const codes = seenBarcodes.get(c.company.id)!;
        for (const b of c.barcodes ?? []) codes.set(b.code, { item: c.code, file: c.file, line: b.line });
        c.snapshot = recordSnapshot(record);
        accepted.push(c);
      }
    }

    // Write the good ones (a dry run rolls each batch back).
    for (const c of accepted.filter(planned)) counts.add('item', c.company.name, 'created');
    for (const r of await writeItems(database, accepted.filter((c) => !planned(c)), { rollback: dryRun })) {
      const c = r.candidate;
      if (r.error) {
        counts.add('item', c.company.name, 'rejected');
        await sink.reject({ file: c.file, line: c.line, column: null, reason: `database refused the item: ${r.error}`, entity: 'item', company: c.company.name, row: c.snapshot });
        continue;
      }
      counts.add('item', c.company.name, r.status);
      if (r.priceStatus && c.price?.source === 'itemPrice') counts.add('itemPrice', c.company.name, r.priceStatus);
    }
  };

  for (const input of readable.filter((f) => f.layout!.entity === 'item')) {
    let batch: { record: SourceRecord; shape: RecordShape }[] = [];
    for await (const doc of documents(input)) {
      batch.push(doc);
      if (batch.length >= batchSize) {
        await flushItems(batch);
        batch = [];
      }
    }
    await flushItems(batch);
  }

  // 3. Item Price rows no imported item used: price stored items.
  const leftover = book.unconsumed();
  for (let i = 0; i < leftover.length; i += batchSize) {
    const chunk = leftover.slice(i, i + batchSize);
    const stored = await findItems(database, [...new Set(chunk.map((r) => r.code))]);
    const byCode = new Map<string, ItemPriceRow[]>();
    for (const r of chunk) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
    const prices: (StoredPrice & { row: ItemPriceRow; company: CompanyInfo })[] = [];
    const used = new Set<ItemPriceRow>();
    for (const item of stored) {
      const company = companies.find((c) => c.id === item.companyId)!;
      const rows = byCode.get(item.code) ?? [];
      const row =
        rows.find((r) => r.currency.toUpperCase() === company.currency.toUpperCase()) ?? rows.find((r) => r.currency === '');
      if (!row) continue;
      used.add(row);
      if (row.uom && row.uom.toLowerCase() !== item.uom.toLowerCase()) {
        counts.add('itemPrice', company.name, 'skipped');
        await notice({ file: row.file, line: row.line, column: row.rateColumn, reason: `price is per ${row.uom} but item "${item.code}" is sold per ${item.uom}; skipped` }, 'itemPrice', company.name);
        continue;
      }
      const p = priceFromRow(row, company, numberFormat);
      if ('issue' in p) {
        counts.add('itemPrice', company.name, 'rejected');
        await sink.reject({ ...p.issue, entity: 'itemPrice', company: company.name });
        continue;
      }
      if (p.notice) await notice(p.notice, 'itemPrice', company.name);
      prices.push({ companyId: company.id, itemId: item.id, amount: p.price.amount, currency: company.currency, row, company });
    }
    for (const r of chunk) {
      if (used.has(r)) continue;
      const where = r.currency ? ` in a company using ${r.currency}` : '';
      const currencies = companiesForCurrency(companies, r.currency).map((c) => c.name).join(', ');
      counts.add('itemPrice', ALL_COMPANIES, 'rejected');
      await sink.reject({
        file: r.file,
        line: r.line,
        column: null,
        reason: `unknown Item Code "${r.code}": no item with this code${where} in this import or stored (${currencies || 'no company'})`,
        entity: 'itemPrice',
        company: null,
      });
    }
    const statuses = await writePrices(database, prices, { rollback: dryRun });
    statuses.forEach((s, k) => counts.add('itemPrice', prices[k]!.company.name, s));
  }

  // 4. Customers: shared by every company.
  const seenCustomers = new Map<string, { file: string; line: number }>();
  const companyIds = realCompanyIds;
  const flushCustomers = async (batch: { record: SourceRecord; shape: RecordShape }[]) => {
    const accepted: { record: SourceRecord; candidate: CustomerCandidate }[] = [];
    for (const { record, shape } of batch) {
      await reportOrphans(record, 'customer');
      if (record.values.size === 0) continue;
      const v = validateCustomer(record, shape, { resolveCompany: resolve, numberFormat });
      if (!v.ok) {
        counts.add('customer', ALL_COMPANIES, 'rejected');
        for (const i of v.issues) await sink.reject({ ...i, entity: 'customer', company: null, row: recordSnapshot(record) });
        continue;
      }
      const first = seenCustomers.get(v.candidate.code);
      if (first) {
        counts.add('customer', ALL_COMPANIES, 'rejected');
        await sink.reject({
          file: record.file,
          line: record.line,
          column: shape.label('name'),
          reason: `customer ID "${v.candidate.code}" appears again (first at ${first.file} line ${first.line})`,
          entity: 'customer',
          company: null,
          row: recordSnapshot(record),
        });
        continue;
      }
      seenCustomers.set(v.candidate.code, { file: record.file, line: record.line });
      for (const n of v.notices) await notice(n, 'customer', null);
      accepted.push({ record, candidate: v.candidate });
    }
    for (const r of await writeCustomers(database, accepted.map((a) => a.candidate), companyIds, { rollback: dryRun })) {
      if (r.error) {
        counts.add('customer', ALL_COMPANIES, 'rejected');
        await sink.reject({ file: r.candidate.file, line: r.candidate.line, column: null, reason: `database refused the customer: ${r.error}`, entity: 'customer', company: null });
      } else counts.add('customer', ALL_COMPANIES, r.status);
    }
  };
  for (const input of readable.filter((f) => f.layout!.entity === 'customer')) {
    let batch: { record: SourceRecord; shape: RecordShape }[] = [];
    for await (const doc of documents(input)) {
      batch.push(doc);
      if (batch.length >= batchSize) {
        await flushCustomers(batch);
        batch = [];
      }
    }
    await flushCustomers(batch);
  }

  await sink.close();
  const finished = Date.now();
  const summary: ImportSummary = {
    runId,
    dryRun,
    startedAt,
    finishedAt: new Date(finished).toISOString(),
    elapsedMs: finished - started,
    rows: totalRows,
    files: inputs.map((f) => f.summary),
    counts: counts.list(),
    rejections: sink.rejections,
    notices: sink.notices,
    reportFile: opts.reportFile ?? null,
    ...(opts.createCompanies ? { companiesCreated: plans } : {}),
  };
  await database.pool.query(`UPDATE import_runs SET finished_at = now(), summary = $2::jsonb WHERE id = $1`, [
    runId,
    JSON.stringify(summary),
  ]);
  return summary;
}
