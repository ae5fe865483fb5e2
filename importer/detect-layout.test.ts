import { describe, expect, it } from 'vitest';
import { columnKey, detectHeaderLayout, detectTemplateLayout, LayoutError, readLayout } from './detect-layout';
import type { CsvRow } from './read-rows';

const row = (line: number, cells: string[]): CsvRow => ({ line, cells });
async function* iter(rows: CsvRow[]) {
  yield* rows;
}

describe('columnKey', () => {
  it('maps labels, child labels and fieldnames to keys', () => {
    expect(columnKey('Item Code')).toEqual({ key: 'item_code', table: null });
    expect(columnKey('ID')).toEqual({ key: 'name', table: null });
    expect(columnKey('Standard Selling Rate').key).toBe('standard_rate');
    expect(columnKey('Default Unit of Measure').key).toBe('stock_uom');
    expect(columnKey('Barcode (Barcodes)')).toEqual({ key: 'barcodes.barcode', table: 'barcodes' });
    expect(columnKey('Company (Item Defaults)')).toEqual({ key: 'item_defaults.company', table: 'item_defaults' });
    expect(columnKey('Credit Limit (Credit Limit)')).toEqual({ key: 'credit_limits.credit_limit', table: 'credit_limits' });
    expect(columnKey('item_code').key).toBe('item_code');
    expect(columnKey('Rate').key).toBe('price_list_rate');
  });
});

describe('detectHeaderLayout', () => {
  it('recognises the current item export', () => {
    const l = detectHeaderLayout(row(1, ['ID', 'Item Code', 'Item Name', 'Barcode (Barcodes)', 'Company (Item Defaults)']));
    expect(l).toMatchObject({ kind: 'current', entity: 'item', headerLine: 1 });
    expect(l.columns.find((c) => c.key === 'barcodes.barcode')?.label).toBe('Barcode (Barcodes)');
  });
  it('recognises the flattened sheet, Item Price and Customer exports', () => {
    expect(detectHeaderLayout(row(1, ['Item Code', 'Item Name', 'Company', 'Barcode'])).kind).toBe('flat');
    expect(detectHeaderLayout(row(1, ['Item Code', 'UOM', 'Price List', 'Rate', 'Currency'])).entity).toBe('itemPrice');
    expect(detectHeaderLayout(row(1, ['ID', 'Customer Name', 'Company (Credit Limit)'])).entity).toBe('customer');
  });
  it('refuses an unknown header with a message naming the expected layouts', () => {
    expect(() => detectHeaderLayout(row(1, ['Name', 'Price']))).toThrow(LayoutError);
    expect(() => detectHeaderLayout(row(1, ['Name', 'Price']))).toThrow(/Item Code, Item Name.*Data Import Template/);
  });
});

describe('template layout', () => {
  const preamble = [
    row(1, ['Data Import Template']),
    row(2, ['Table:', 'Item']),
    row(3, ['']),
    row(4, ['Notes:']),
    row(5, ['DocType:', 'Item', '', '~', 'Item Barcode', 'barcodes', '']),
    row(6, ['Column Labels:', 'ID', 'Item Code', '~', 'ID', 'Barcode', 'Barcode Type']),
    row(7, ['Column Name:', 'name', 'item_code', '~', 'name', 'barcode', 'barcode_type']),
    row(8, ['Mandatory:', 'Yes', 'Yes', '~', 'Yes', 'Yes', 'No']),
    row(9, ['Start entering data below this line']),
  ];
  it('reads the preamble, sections after ~ and leaves the iterator at the data', async () => {
    const it = iter([...preamble, row(10, ['', 'A', 'A', '', 'x', '123', 'EAN'])]);
    const l = await readLayout(it);
    expect(l.kind).toBe('template');
    expect(l.entity).toBe('item');
    expect(l.columns.map((c) => [c.index, c.key, c.label])).toEqual([
      [1, 'name', 'ID'],
      [2, 'item_code', 'Item Code'],
      [4, 'barcodes.name', 'ID (Item Barcode)'],
      [5, 'barcodes.barcode', 'Barcode (Item Barcode)'],
      [6, 'barcodes.barcode_type', 'Barcode Type (Item Barcode)'],
    ]);
    expect((await it.next()).value).toEqual(row(10, ['', 'A', 'A', '', 'x', '123', 'EAN']));
  });
  it('refuses a template without the data marker or of another doctype', () => {
    expect(() => detectTemplateLayout(preamble.slice(0, 7))).toThrow(/Start entering data below this line/);
    const other = preamble.map((r) => (r.line === 2 ? row(2, ['Table:', 'Supplier']) : r));
    expect(() => detectTemplateLayout(other)).toThrow(/only Item, Item Price and Customer/);
  });
  it('refuses an empty file', async () => {
    await expect(readLayout(iter([row(1, [''])]))).rejects.toThrow(/empty file/);
  });
});
