// The files of one import: which ones, what each holds (read off its header rows), and a stream of
// documents per file that keeps rows and progress counted.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LayoutError, readLayout, type Entity, type FileLayout } from './detect-layout';
import { readRows } from './read-rows';
import { groupRecords, RecordShape, type SourceRecord } from './records';
import type { FileSummary, ImportProgress, ReportSink } from './report';
import { ImportUsageError } from './usage-error';

const SPREADSHEET = /\.(xlsx|xlsm|xls|ods)$/i;

export interface InputFile {
  path: string;
  name: string;
  size: number;
  layout: FileLayout | null;
  summary: FileSummary;
}

export interface Document {
  record: SourceRecord;
  shape: RecordShape;
}

/** The given files, or every *.csv (and, to refuse them with a message, spreadsheets) in the folder. */
export async function listFiles(opts: { files?: string[]; dataDir?: string }): Promise<string[]> {
  if (opts.files?.length) {
    for (const f of opts.files) {
      const s = await stat(f).catch(() => null);
      if (!s?.isFile()) throw new ImportUsageError(`no such file: ${f}`);
    }
    return [...opts.files];
  }
  const dataDir = opts.dataDir;
  if (!dataDir) throw new ImportUsageError('give a data folder (dataDir) or files');
  const s = await stat(dataDir).catch(() => null);
  if (!s?.isDirectory()) throw new ImportUsageError(`no such folder: ${dataDir}`);
  const names = (await readdir(dataDir)).filter((n) => /\.csv$/i.test(n) || SPREADSHEET.test(n)).sort();
  if (names.length === 0) throw new ImportUsageError(`no .csv files in ${dataDir}`);
  return names.map((n) => path.join(dataDir, n));
}

/** The Item and Customer files among `paths`, by their header (unreadable files are left to the import's report). */
export async function entityFiles(paths: string[]): Promise<{ path: string; name: string; entity: Entity }[]> {
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

/** Reads only the header rows of each file; a file that cannot be read is refused in the report. */
export async function readInputs(paths: string[], sink: ReportSink): Promise<InputFile[]> {
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
  return inputs;
}

/** Streams documents out of the readable files, counting every physical row and reporting progress over all bytes. */
export class DocumentReader {
  readonly readable: InputFile[];
  private readonly bytesTotal: number;
  private bytesBefore = 0;
  private lastProgress = 0;
  totalRows = 0;

  constructor(
    inputs: InputFile[],
    private readonly started: number,
    private readonly onProgress?: (p: ImportProgress) => void,
  ) {
    this.readable = inputs.filter((f) => f.layout);
    this.bytesTotal = this.readable.reduce((n, f) => n + f.size, 0);
  }

  filesOf(entity: Entity): InputFile[] {
    return this.readable.filter((f) => f.layout!.entity === entity);
  }

  private progress(file: string, bytesInFile: number, force = false): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < 100) return;
    this.lastProgress = now;
    this.onProgress({ file, bytesDone: this.bytesBefore + bytesInFile, bytesTotal: this.bytesTotal, rows: this.totalRows, elapsedMs: now - this.started });
  }

  /** Every physical row read (header and preamble included) counts towards the totals. */
  private async *counted<T>(source: AsyncIterable<T>, input: InputFile): AsyncGenerator<T> {
    for await (const row of source) {
      input.summary.rows++;
      this.totalRows++;
      yield row;
    }
  }

  async *documents(input: InputFile): AsyncGenerator<Document> {
    let bytes = 0;
    const source = readRows(input.path, {
      onBytes: (b) => {
        bytes = b;
      },
    });
    input.summary.rows = 0;
    const rows = this.counted(source, input);
    try {
      const shape = new RecordShape(await readLayout(rows));
      for await (const record of groupRecords(input.name, shape, rows)) {
        this.progress(input.name, bytes);
        yield { record, shape };
      }
    } finally {
      await rows.return(undefined);
      this.bytesBefore += input.size;
      this.progress(input.name, 0, true);
    }
  }

  /** Every document of the files of `entity`, handed over `size` at a time. */
  async eachBatch(entity: Entity, size: number, flush: (batch: Document[]) => Promise<void>): Promise<void> {
    for (const input of this.filesOf(entity)) {
      let batch: Document[] = [];
      for await (const doc of this.documents(input)) {
        batch.push(doc);
        if (batch.length >= size) {
          await flush(batch);
          batch = [];
        }
      }
      await flush(batch);
    }
  }
}
