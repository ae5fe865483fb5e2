import { describe, expect, it } from 'vitest';
import type { CompanyInfo } from './company-map';
import { detectHeaderLayout } from './detect-layout';
import { PriceBook, priceFromRow, readItemPrice, type ItemPriceRow } from './item-price-records';
import { DEFAULT_NUMBER_FORMAT } from './money';
import { groupRecords, RecordShape, type SourceRecord } from './records';

const eur: CompanyInfo = { id: 'O', code: 'O', name: 'Official', currency: 'EUR', currencyExponent: 2, defaultTaxRateId: null, taxRates: [] };
const kwd: CompanyInfo = { id: 'K', code: 'K', name: 'Kuwait', currency: 'KWD', currencyExponent: 3, defaultTaxRateId: null, taxRates: [] };
const ctx = { companies: [eur, kwd], numberFormat: DEFAULT_NUMBER_FORMAT, today: '2025-01-01' };
const HEADER = ['Item Code', 'UOM', 'Price List', 'Rate', 'Currency', 'Customer', 'Valid From', 'Valid Upto'];

async function parse(data: string[][]) {
  const shape = new RecordShape(detectHeaderLayout({ line: 1, cells: HEADER }));
  async function* rows() {
    let line = 2;
    for (const cells of data) yield { line: line++, cells };
  }
  const out: SourceRecord[] = [];
  for await (const r of groupRecords('Item Price.csv', shape, rows())) out.push(r);
  return out.map((r) => readItemPrice(r, shape, ctx));
}

describe('readItemPrice', () => {
  it('keeps Standard Selling rows and skips other lists, customer prices and expired rows', async () => {
    const r = await parse([
      ['A', 'Nos', 'Standard Selling', '1,234.50', 'EUR', '', '', ''],
      ['A', 'Nos', 'Standard Buying', '1.00', 'EUR', '', '', ''],
      ['A', 'Nos', 'Standard Selling', '1.00', 'EUR', 'CUST-1', '', ''],
      ['A', 'Nos', 'Standard Selling', '1.00', 'EUR', '', '2020-01-01', '2024-12-31'],
    ]);
    expect(r.map((x) => x.kind)).toEqual(['price', 'skip', 'skip', 'skip']);
  });
  it('rejects a missing code or rate, an unparsable rate and an unknown currency', async () => {
    const r = await parse([
      ['', 'Nos', 'Standard Selling', '1.00', 'EUR', '', '', ''],
      ['A', 'Nos', 'Standard Selling', '', 'EUR', '', '', ''],
      ['A', 'Nos', 'Standard Selling', '1.2.3', 'EUR', '', '', ''],
      ['A', 'Nos', 'Standard Selling', '1.00', 'USD', '', '', ''],
    ]);
    expect(r.map((x) => (x.kind === 'error' ? x.issues.map((i) => i.column).join() : x.kind))).toEqual(['Item Code', 'Rate', 'Rate', 'Currency']);
  });
});

describe('PriceBook', () => {
  const row = (code: string, currency: string, line: number): ItemPriceRow => ({
    file: 'p.csv',
    line,
    code,
    currency,
    uom: '',
    rateText: '12.345',
    rateColumn: 'Rate',
  });
  it('finds by code and company currency, refuses a second row for the same currency, lists what was not used', () => {
    const b = new PriceBook();
    expect(b.add(row('A', 'EUR', 2))).toBeNull();
    expect(b.add(row('A', '', 3))).toBeNull();
    expect(b.add(row('A', 'eur', 4))?.reason).toMatch(/first at line 2/);
    expect(b.find('A', eur)?.line).toBe(2);
    expect(b.find('A', kwd)?.line).toBe(3);
    b.markConsumed(b.find('A', eur)!);
    expect(b.unconsumed().map((r) => r.line)).toEqual([3]);
  });
  it('parses the rate with the company exponent', () => {
    const p = priceFromRow(row('A', '', 2), eur, DEFAULT_NUMBER_FORMAT);
    expect('price' in p && [p.price.amount, p.notice !== null]).toEqual([1235, true]);
    const k = priceFromRow(row('A', '', 2), kwd, DEFAULT_NUMBER_FORMAT);
    expect('price' in k && [k.price.amount, k.notice]).toEqual([12345, null]);
  });
});
