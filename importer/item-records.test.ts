import { describe, expect, it } from 'vitest';
import { companyResolver, type CompanyInfo } from './company-map';
import { detectHeaderLayout } from './detect-layout';
import { normaliseBarcodeType, unitPrecisionOf, validateItem } from './item-records';
import { DEFAULT_NUMBER_FORMAT } from './money';
import { groupRecords, RecordShape, type SourceRecord } from './records';

const company = (name: string, code: string, exponent = 2): CompanyInfo => ({
  id: code,
  code,
  name,
  currency: exponent === 3 ? 'KWD' : 'EUR',
  currencyExponent: exponent,
  defaultTaxRateId: `${code}-20`,
  taxRates: [
    { id: `${code}-20`, code: 'VAT20', name: 'VAT 20%' },
    { id: `${code}-10`, code: 'VAT10', name: 'VAT 10%' },
  ],
});
const companies = [company('Official', 'O'), company('Unofficial', 'U')];
const ctx = {
  resolveCompany: companyResolver(
    companies,
    new Map([
      ['AH Trading Official', 'Official'],
      ['AH Trading Unofficial', 'Unofficial'],
    ]),
  ),
  numberFormat: DEFAULT_NUMBER_FORMAT,
};

const HEADER = [
  'ID',
  'Item Code',
  'Item Name',
  'Item Group',
  'Default Unit of Measure',
  'Disabled',
  'Standard Selling Rate',
  'Barcode (Barcodes)',
  'Barcode Type (Barcodes)',
  'Company (Item Defaults)',
  'Item Tax Template (Taxes)',
];

async function parse(header: string[], data: string[][]) {
  const shape = new RecordShape(detectHeaderLayout({ line: 1, cells: header }));
  async function* rows() {
    let line = 2;
    for (const cells of data) yield { line: line++, cells };
  }
  const out: SourceRecord[] = [];
  for await (const r of groupRecords('Item.csv', shape, rows())) out.push(r);
  return { shape, records: out };
}

describe('grouping continuation lines', () => {
  it('gathers child rows of one item from its continuation lines', async () => {
    const { records } = await parse(HEADER, [
      ['A1', 'A1', 'Apple', 'Produce', 'Kg', '0', '1,234.50', '111', 'EAN-13', 'AH Trading Official', ''],
      ['', '', '', '', '', '', '', '112', 'EAN', 'AH Trading Unofficial', 'VAT 10% - AHO'],
      ['', '', '', '', '', '', '', '', '', '', ''],
      ['B1', 'B1', 'Bread', 'Bakery', 'Nos', '0', '2', '', '', 'AH Trading Official', ''],
    ]);
    expect(records).toHaveLength(2);
    expect(records[0]!.line).toBe(2);
    expect(records[0]!.children.get('barcodes')!.map((b) => [b.line, b.values.get('barcode')])).toEqual([
      [2, '111'],
      [3, '112'],
    ]);
    expect(records[0]!.children.get('item_defaults')).toHaveLength(2);
    expect(records[1]!.line).toBe(5);
    expect(records[1]!.children.get('barcodes')).toBeUndefined();
  });

  it('keeps continuation lines with nothing above as orphans', async () => {
    const { records } = await parse(HEADER, [
      ['', '', '', '', '', '', '', '999', '', '', ''],
      ['A1', 'A1', 'Apple', '', '', '', '', '', '', 'Official', ''],
    ]);
    expect(records[0]!.orphanLines).toEqual([2]);
    expect(records[0]!.line).toBe(3);
  });
});

describe('validateItem', () => {
  it('makes one candidate per company with barcodes, price, UOM precision and tax', async () => {
    const { shape, records } = await parse(HEADER, [
      ['A1', 'A1', 'Apple', 'Produce', 'Kg', '0', '"1,234.50"'.replace(/"/g, ''), '111', 'ean-13', 'AH Trading Official', ''],
      ['', '', '', '', '', '', '', '112', '', 'AH Trading Unofficial', 'VAT 10% - AHO'],
    ]);
    const v = validateItem(records[0]!, shape, ctx);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.candidates.map((c) => [c.company.code, c.code, c.price?.amount, c.unitPrecision, c.taxRateId])).toEqual([
      ['O', 'A1', 123450, 3, 'O-10'],
      ['U', 'A1', 123450, 3, 'U-10'],
    ]);
    expect(v.candidates[0]!.barcodes).toEqual([
      { code: '111', type: 'EAN-13', line: 2 },
      { code: '112', type: '', line: 3 },
    ]);
  });

  it('uses the company default tax rate when the item has no template', async () => {
    const { shape, records } = await parse(HEADER, [['A1', 'A1', 'Apple', '', 'Nos', '', '2', '', '', 'Official', '']]);
    const v = validateItem(records[0]!, shape, ctx);
    expect(v.ok && v.candidates[0]!.taxRateId).toBe('O-20');
    expect(v.ok && v.candidates[0]!.barcodes).toEqual([]);
  });

  it('rejects the whole item with line and column for every problem', async () => {
    const { shape, records } = await parse(HEADER, [
      ['', '', 'No code', '', 'Nos', 'maybe', '12,5O', '111', 'QR', 'AH Trading Official', ''],
      ['', '', '', '', '', '', '', '', '', 'AH Trading Export', 'Zero - AHO'],
    ]);
    const v = validateItem(records[0]!, shape, ctx);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.map((i) => [i.line, i.column, i.reason.slice(0, 24)])).toEqual([
      [2, 'Item Code', 'missing Item Code'],
      [3, 'Company (Item Defaults)', 'unknown company "AH Trad'],
      [2, 'Disabled', '"maybe" is not 0 or 1'],
      [2, 'Barcode Type (Barcodes)', 'unknown Barcode Type "QR'],
      [3, 'Item Tax Template (Taxes)', 'Item Tax Template "Zero '],
      [2, 'Standard Selling Rate', 'unparsable amount (inval'],
    ]);
  });

  it('rounds a 3-decimal rate HalfUp for a 2-decimal currency and says so; keeps 3 decimals for a 3-decimal currency', async () => {
    const { shape, records } = await parse(HEADER, [['A1', 'A1', 'A', '', '', '', '12.345', '', '', 'Official', '']]);
    const v = validateItem(records[0]!, shape, ctx);
    expect(v.ok && v.candidates[0]!.price?.amount).toBe(1235);
    expect(v.ok && v.notices[0]!.reason).toMatch(/rounded HalfUp to 1235/);
    const kwd = [company('Kuwait', 'K', 3)];
    const v3 = validateItem(records[0]!, shape, { ...ctx, resolveCompany: companyResolver(kwd, new Map([['Official', 'Kuwait']])) });
    expect(v3.ok && v3.candidates[0]!.price?.amount).toBe(12345);
    expect(v3.ok && v3.notices).toEqual([]);
  });

  it('reads a flattened row with plain Company and Barcode columns', async () => {
    const { shape, records } = await parse(
      ['Item Code', 'Item Name', 'Default Unit of Measure', 'Standard Selling Rate', 'Barcode', 'Barcode Type', 'Company', 'Allow Sales', 'Maintain Stock'],
      [['F1', 'Flour', 'Gram', '0.99', '400', 'UPC-A', 'Unofficial', '0', '0']],
    );
    const v = validateItem(records[0]!, shape, ctx);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.candidates[0]).toMatchObject({
      code: 'F1',
      unitPrecision: 3,
      allowSales: false,
      maintainStock: false,
      barcodes: [{ code: '400', type: 'UPC-A' }],
    });
    expect(v.candidates[0]!.company.code).toBe('U');
  });
});

describe('helpers', () => {
  it('normalises barcode types and unit precision', () => {
    expect(normaliseBarcodeType('ean13')).toBe('EAN-13');
    expect(normaliseBarcodeType('UPC-A')).toBe('UPC-A');
    expect(normaliseBarcodeType('')).toBe('');
    expect(normaliseBarcodeType('QR')).toBeNull();
    expect(['Kg', 'kg', 'Gram', 'Litre', 'Nos', 'Box'].map(unitPrecisionOf)).toEqual([3, 3, 3, 3, 0, 0]);
  });
});
