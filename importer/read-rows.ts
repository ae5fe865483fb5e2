// Streams the rows of a CSV file with their physical line numbers; never holds the whole file.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';

export interface CsvRow {
  /** Physical line (1-based) where the row starts; a quoted cell may make a row span several lines. */
  line: number;
  cells: string[];
}

const DELIMITERS = [',', ';', '\t'] as const;

/** Picks the delimiter from the first line: the candidate that occurs most often outside quotes. */
export function sniffDelimiter(firstLine: string): string {
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let n = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === d) n++;
    }
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

async function readFirstLine(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(16 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    await fh.close();
  }
}

export interface ReadRowsOptions {
  /** Called with the number of bytes read so far (for progress). */
  onBytes?: (bytes: number) => void;
  delimiter?: string;
}

/** Every row of the file in order, blank lines included (as `['']`), so line numbers stay exact. */
export async function* readRows(file: string, opts: ReadRowsOptions = {}): AsyncGenerator<CsvRow> {
  const delimiter = opts.delimiter ?? sniffDelimiter(await readFirstLine(file));
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  if (opts.onBytes) {
    const onBytes = opts.onBytes;
    input.on('data', (chunk) => {
      bytes += chunk.length;
      onBytes(bytes);
    });
  }
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      raw: true,
    }),
  );
  let line = 1;
  try {
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      yield { line, cells: record };
      // `raw` holds the row's text; csv-parse leaves the final "\n" out of it for CRLF files (and
      // for the last row), so count the breaks inside and add the row's own end when missing.
      let breaks = raw.endsWith('\n') ? 0 : 1;
      for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) breaks++;
      line += breaks;
    }
  } finally {
    input.destroy();
  }
}

/** True when every cell is blank. */
export function isBlankRow(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}
