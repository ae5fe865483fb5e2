// Groups data rows into documents: a row with any parent cell filled starts a document, a row with
// only child cells filled continues the previous one (the current exporter's continuation lines).
import type { Column, FileLayout } from './detect-layout';
import { isBlankRow, type CsvRow } from './read-rows';

export interface ChildRow {
  line: number;
  values: Map<string, string>;
}

export interface SourceRecord {
  file: string;
  line: number;
  /** Parent cells by key (trimmed); missing columns are absent. */
  values: Map<string, string>;
  /** Child rows by table fieldname, in file order; rows whose child cells are all blank are left out. */
  children: Map<string, ChildRow[]>;
  /** Lines of continuation rows that had no document to continue. */
  orphanLines: number[];
}

export interface RowIssue {
  file: string;
  line: number;
  column: string | null;
  reason: string;
}

export class RecordShape {
  readonly parent: Column[];
  readonly tables = new Map<string, Column[]>();
  readonly byKey = new Map<string, Column>();

  constructor(readonly layout: FileLayout) {
    this.parent = layout.columns.filter((c) => !c.table);
    for (const c of layout.columns) {
      this.byKey.set(c.key, c);
      if (c.table) {
        const list = this.tables.get(c.table) ?? [];
        list.push(c);
        this.tables.set(c.table, list);
      }
    }
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Header text of a key for the report (falls back to the key). */
  label(key: string): string {
    return this.byKey.get(key)?.label ?? key;
  }

  hasTable(table: string): boolean {
    return this.tables.has(table);
  }
}

function cell(row: CsvRow, c: Column): string {
  return (row.cells[c.index] ?? '').trim();
}

/** Documents of one file, streamed. Template data rows have a blank first cell; that changes nothing here. */
export async function* groupRecords(file: string, shape: RecordShape, rows: AsyncIterable<CsvRow>, onRow?: () => void): AsyncGenerator<SourceRecord> {
  let current: SourceRecord | null = null;
  const pendingOrphans: number[] = [];
  for await (const row of rows) {
    onRow?.();
    if (isBlankRow(row.cells)) continue;
    const parentFilled = shape.parent.some((c) => cell(row, c) !== '');
    if (parentFilled) {
      if (current) yield current;
      const values = new Map<string, string>();
      for (const c of shape.parent) values.set(c.key, cell(row, c));
      current = { file, line: row.line, values, children: new Map(), orphanLines: pendingOrphans.splice(0) };
    } else if (!current) {
      pendingOrphans.push(row.line);
      continue;
    }
    for (const [table, cols] of shape.tables) {
      if (!cols.some((c) => cell(row, c) !== '')) continue;
      const values = new Map<string, string>();
      for (const c of cols) values.set(c.key.slice(table.length + 1), cell(row, c));
      const list = current.children.get(table) ?? [];
      list.push({ line: row.line, values });
      current.children.set(table, list);
    }
  }
  if (current) yield current;
  else if (pendingOrphans.length) {
    // Only continuation rows and no document: report them through an empty record.
    yield { file, line: pendingOrphans[0]!, values: new Map(), children: new Map(), orphanLines: pendingOrphans };
  }
}

/** The record's parent cells as a plain object (stored with a rejection). */
export function recordSnapshot(r: SourceRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of r.values) if (v !== '') out[k] = v;
  for (const [t, rows] of r.children) out[t] = rows.map((c) => Object.fromEntries([...c.values].filter(([, v]) => v !== '')));
  return out;
}

const TRUE = new Set(['1', 'yes', 'true', 'y']);
const FALSE = new Set(['0', 'no', 'false', 'n']);

/** ERPNext check fields: 0/1 (also Yes/No, true/false); blank gives the default; anything else is null. */
export function parseCheck(text: string | undefined, fallback: boolean): boolean | null {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '') return fallback;
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return null;
}
