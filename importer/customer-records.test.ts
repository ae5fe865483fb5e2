import { describe, expect, it } from 'vitest';
import { companyResolver, type CompanyInfo } from './company-map';
import { validateCustomer } from './customer-records';
import { detectHeaderLayout } from './detect-layout';
import { DEFAULT_NUMBER_FORMAT } from './money';
import { groupRecords, RecordShape, type SourceRecord } from './records';

const company = (name: string, code: string): CompanyInfo => ({
  id: code,
  code,
  name,
  currency: 'EUR',
  currencyExponent: 2,
  defaultTaxRateId: null,
  taxRates: [],
});
const ctx = {
  resolveCompany: companyResolver(
    [company('Official', 'O'), company('Unofficial', 'U')],
    new Map([
      ['AH Trading Official', 'Official'],
      ['AH Trading Unofficial', 'Unofficial'],
    ]),
  ),
  numberFormat: DEFAULT_NUMBER_FORMAT,
};
const HEADER = [
  'ID',
  'Customer Name',
  'Customer Type',
  'Customer Group',
  'Territory',
  'Tax ID',
  'Disabled',
  'Company (Credit Limit)',
  'Credit Limit (Credit Limit)',
];

async function parse(header: string[], data: string[][]) {
  const shape = new RecordShape(detectHeaderLayout({ line: 1, cells: header }));
  async function* rows() {
    let line = 2;
    for (const cells of data) yield { line: line++, cells };
  }
  const out: SourceRecord[] = [];
  for await (const r of groupRecords('Customer.csv', shape, rows())) out.push(r);
  return { shape, records: out };
}

describe('validateCustomer', () => {
  it('reads per-company credit limits from the Credit Limit rows', async () => {
    const { shape, records } = await parse(HEADER, [
      ['C1', 'Ali', 'Company', 'Commercial', 'LB', 'T1', '0', 'AH Trading Official', '1,500.00'],
      ['', '', '', '', '', '', '', 'AH Trading Unofficial', '250'],
      ['C2', 'Sara', '', '', '', '', '1', '', ''],
    ]);
    const a = validateCustomer(records[0]!, shape, ctx);
    expect(a.ok && [...a.candidate.creditLimits]).toEqual([
      ['O', 150000],
      ['U', 25000],
    ]);
    expect(a.ok && a.candidate).toMatchObject({ code: 'C1', name: 'Ali', customerType: 'Company', taxId: 'T1', disabled: false });
    const b = validateCustomer(records[1]!, shape, ctx);
    expect(b.ok && b.candidate.creditLimits.size).toBe(0);
    expect(b.ok && b.candidate.disabled).toBe(true);
  });

  it('rejects an unknown company, a bad limit or a missing ID, with line and column', async () => {
    const { shape, records } = await parse(HEADER, [
      ['', 'Nobody', '', '', '', '', '', '', ''],
      ['C3', 'Omar', 'Alien', '', '', '', '', 'AH Trading Official', 'lots'],
      ['', '', '', '', '', '', '', 'AH Trading Export', '5'],
    ]);
    const a = validateCustomer(records[0]!, shape, ctx);
    expect(!a.ok && a.issues.map((i) => [i.line, i.column])).toEqual([[2, 'ID']]);
    const b = validateCustomer(records[1]!, shape, ctx);
    expect(!b.ok && b.issues.map((i) => [i.line, i.column])).toEqual([
      [3, 'Customer Type'],
      [3, 'Credit Limit (Credit Limit)'],
      [4, 'Company (Credit Limit)'],
    ]);
  });

  it('reads a flattened sheet with plain Company and Credit Limit columns', async () => {
    const { shape, records } = await parse(['ID', 'Customer Name', 'Company', 'Credit Limit', 'Email Id'], [['C9', 'Maya', 'Unofficial', '99.99', 'm@x.org']]);
    const v = validateCustomer(records[0]!, shape, ctx);
    expect(v.ok && [...v.candidate.creditLimits]).toEqual([['U', 9999]]);
    expect(v.ok && v.candidate.email).toBe('m@x.org');
    expect(v.ok && v.candidate.phone).toBeNull();
  });
});
