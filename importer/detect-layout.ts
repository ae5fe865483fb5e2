// Recognises which ERPNext export a CSV file is (entity and layout) from its header rows, and
// turns every header cell into a stable key: the ERPNext fieldname for parent columns and
// `<table fieldname>.<fieldname>` for child-table columns, whatever the layout.
import type { CsvRow } from './read-rows';

export type Entity = 'item' | 'customer' | 'itemPrice';
export type LayoutKind = 'current' | 'flat' | 'template';

export interface Column {
  index: number;
  /** `item_code`, `barcodes.barcode`… */
  key: string;
  /** The header text as written in the file (what the report shows). */
  label: string;
  /** Child table fieldname, or null for a parent column. */
  table: string | null;
}

export interface FileLayout {
  kind: LayoutKind;
  entity: Entity;
  columns: Column[];
  /** Line of the header row (the `Column Labels:` row for the template). */
  headerLine: number;
}

export class LayoutError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'LayoutError';
  }
}

export const EXPECTED_LAYOUTS =
  'expected an ERPNext Data Import/Export CSV of Item, Item Price or Customer: one header row of column labels ' +
  '(e.g. "Item Code, Item Name, …, Barcode (Barcodes), Company (Item Defaults)" or a flattened sheet with a plain "Company" column), ' +
  'or the older "Data Import Template" with "Column Name:" and "Start entering data below this line" rows';

/** Labels whose fieldname is not simply the snake-cased label. */
const FIELD_LABELS: Record<string, string> = {
  id: 'name',
  'default unit of measure': 'stock_uom',
  'maintain stock': 'is_stock_item',
  'standard selling rate': 'standard_rate',
  'allow sales': 'is_sales_item',
  rate: 'price_list_rate',
  series: 'naming_series',
  'bypass credit limit check': 'bypass_credit_limit_check',
  'credit limit': 'credit_limit',
};

const TABLE_LABELS: Record<string, string> = {
  barcodes: 'barcodes',
  uoms: 'uoms',
  'item defaults': 'item_defaults',
  taxes: 'taxes',
  'credit limit': 'credit_limits',
  'credit limits': 'credit_limits',
  'supplier items': 'supplier_items',
  'customer items': 'customer_items',
};

const snake = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');

export function fieldKey(label: string): string {
  return FIELD_LABELS[norm(label)] ?? snake(label);
}

/** `Barcode (Barcodes)` → barcodes.barcode; `Item Code` → item_code; `item_code` → item_code. */
export function columnKey(label: string): { key: string; table: string | null } {
  const m = /^(.*\S)\s*\(([^()]+)\)\s*$/.exec(label.trim());
  if (m) {
    const table = TABLE_LABELS[norm(m[2]!)] ?? snake(m[2]!);
    return { key: `${table}.${fieldKey(m[1]!)}`, table };
  }
  return { key: fieldKey(label), table: null };
}

export function entityOf(keys: Set<string>): Entity | null {
  if (keys.has('item_code') && keys.has('price_list') && keys.has('price_list_rate')) return 'itemPrice';
  if (keys.has('customer_name')) return 'customer';
  if (keys.has('item_code') || (keys.has('item_name') && (keys.has('item_group') || keys.has('stock_uom')))) return 'item';
  return null;
}

const DOCTYPE_ENTITY: Record<string, Entity> = { item: 'item', customer: 'customer', 'item price': 'itemPrice' };

/** The older template begins with a `Data Import Template` row. */
export function isTemplateStart(row: CsvRow): boolean {
  return /^data import template$/i.test((row.cells[0] ?? '').trim());
}

export const TEMPLATE_DATA_MARKER = /^start entering data below this line$/i;

/** Layout of the current exporter (or a flattened sheet) from its single header row. */
export function detectHeaderLayout(header: CsvRow): FileLayout {
  const columns: Column[] = [];
  header.cells.forEach((label, index) => {
    if (label.trim() === '') return;
    const { key, table } = columnKey(label);
    columns.push({ index, key, label: label.trim(), table });
  });
  const entity = entityOf(new Set(columns.map((c) => c.key)));
  if (!entity) throw new LayoutError(`unrecognised header: ${EXPECTED_LAYOUTS}`, header.line);
  const kind: LayoutKind = columns.some((c) => c.table) ? 'current' : 'flat';
  return { kind, entity, columns, headerLine: header.line };
}

/** Layout of the older Data Export template from its preamble rows (up to the data marker). */
export function detectTemplateLayout(preamble: CsvRow[]): FileLayout {
  const find = (label: string) => preamble.find((r) => (r.cells[0] ?? '').trim().toLowerCase() === label);
  const table = find('table:');
  const doctypeRow = find('doctype:');
  const labels = find('column labels:');
  const names = find('column name:');
  const marker = preamble.find((r) => TEMPLATE_DATA_MARKER.test((r.cells[0] ?? '').trim()));
  const line = preamble[0]?.line ?? 1;
  if (!table || !names || !marker) {
    throw new LayoutError(
      `"Data Import Template" without its "Table:", "Column Name:" or "Start entering data below this line" row: ${EXPECTED_LAYOUTS}`,
      line,
    );
  }
  const doctype = (table.cells[1] ?? '').trim();
  const entity = DOCTYPE_ENTITY[doctype.toLowerCase()];
  if (!entity) throw new LayoutError(`template for "${doctype}": only Item, Item Price and Customer are imported`, table.line);
  const columns: Column[] = [];
  let current: { table: string | null; title: string } = { table: null, title: doctype };
  for (let i = 1; i < names.cells.length; i++) {
    const name = (names.cells[i] ?? '').trim();
    if (name === '~') {
      // The DocType row names the child doctype and its parent field right after the separator.
      const childField = (doctypeRow?.cells[i + 2] ?? '').trim();
      const childType = (doctypeRow?.cells[i + 1] ?? '').trim();
      current = { table: childField || snake(childType) || `table_${i}`, title: childType || childField };
      continue;
    }
    if (name === '') continue;
    const label = (labels?.cells[i] ?? name).trim() || name;
    columns.push({
      index: i,
      key: current.table ? `${current.table}.${name}` : name,
      label: current.table ? `${label} (${current.title})` : label,
      table: current.table,
    });
  }
  return { kind: 'template', entity, columns, headerLine: labels?.line ?? names.line };
}

/**
 * Pulls header rows from `rows` and returns the layout; `rows` is left at the first data row.
 * Throws LayoutError for anything that is not a recognised export.
 */
export async function readLayout(rows: AsyncIterator<CsvRow>): Promise<FileLayout> {
  let first: CsvRow | undefined;
  for (;;) {
    const r = await rows.next();
    if (r.done) throw new LayoutError(`empty file: ${EXPECTED_LAYOUTS}`, 1);
    if (r.value.cells.some((c) => c.trim() !== '')) {
      first = r.value;
      break;
    }
  }
  if (!isTemplateStart(first)) return detectHeaderLayout(first);
  const preamble: CsvRow[] = [first];
  for (let n = 0; n < 200; n++) {
    const r = await rows.next();
    if (r.done) break;
    preamble.push(r.value);
    if (TEMPLATE_DATA_MARKER.test((r.value.cells[0] ?? '').trim())) return detectTemplateLayout(preamble);
  }
  return detectTemplateLayout(preamble); // throws: no data marker
}
