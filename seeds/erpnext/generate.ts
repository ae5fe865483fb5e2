// Writes the sample ERPNext exports in this folder (deterministic: same files on every run).
// `npx tsx seeds/erpnext/generate.ts` — see README.md for what the files contain and which rows are bad on purpose.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CURRENT_ITEM_HEADER, csvLine, currentItemLines, ean13, prng, rateText, sampleItem, type ItemSpec } from './rows';

export const OFFICIAL = { name: 'AH Trading Official', abbr: 'AHO' };
export const UNOFFICIAL = { name: 'AH Trading Unofficial', abbr: 'AHU' };
export const SAMPLE_COMPANY_MAP = 'AH Trading Official=Official,AH Trading Unofficial=Unofficial';

export interface SampleBadRow {
  file: string;
  line: number;
  /** Header label of the offending column ('' when the row as a whole is at fault). */
  column: string;
  reason: RegExp | string;
}

/** Writes every sample file into `dir` and returns what a clean import of them must produce. */
export function generateSamples(dir: string) {
  const r = prng(20240611);
  const bad: SampleBadRow[] = [];
  let barcodeSeq = 100000;
  const nextBarcode = () => ean13(`5012345${String(barcodeSeq++).padStart(5, '0')}`);
  const official = new Set<string>();
  const unofficial = new Set<string>();
  let shared = 0;

  // 1. Current layout: Items of AH Trading Official; 45 of them also have Item Defaults for Unofficial.
  let text = csvLine(CURRENT_ITEM_HEADER);
  let line = 2;
  for (let i = 1; i <= 170; i++) {
    const s = sampleItem(i, r);
    const both = i % 4 === 0 && i <= 180;
    const barcodes = Array.from({ length: r.chance(0.25) ? 2 : 1 }, () => ({ code: nextBarcode(), type: r.pick(['EAN-13', 'EAN', 'EAN-13', '']) }));
    if (r.chance(0.05)) barcodes.push({ code: `INT${1000 + i}`, type: 'CODE-39' });
    const item: ItemSpec = {
      code: `AH-${String(i).padStart(4, '0')}`,
      name: s.name,
      group: s.group,
      uom: s.uom,
      rate: rateText(s.milli, s.decimals),
      description: i % 29 === 0 ? `${s.name}\nKeep dry, store below 25°C` : i % 7 === 0 ? `${s.name}, pack of ${r.int(2, 12)}` : s.name,
      brand: r.pick(['AH', 'Acme', 'Sunny', '']),
      disabled: i % 53 === 0,
      allowSales: i % 61 !== 0,
      maintainStock: s.group !== 'Bakery',
      barcodes,
      uoms:
        s.uom === 'Nos' && r.chance(0.3)
          ? [
              { uom: 'Nos', factor: '1' },
              { uom: 'Box', factor: '12' },
            ]
          : [{ uom: s.uom, factor: '1' }],
      companies: both ? [OFFICIAL, UNOFFICIAL] : [OFFICIAL],
      taxTemplate: s.group === 'Produce' || s.group === 'Dairy' ? 'VAT 10% - AHO' : r.chance(0.2) ? 'VAT 20% - AHO' : undefined,
    };
    // Deliberate bad rows.
    if (i === 33) {
      item.rate = '12,5O';
      bad.push({ file: 'Item.csv', line, column: 'Standard Selling Rate', reason: /unparsable/ });
    }
    if (i === 77) {
      item.companies = [{ name: 'AH Trading Export', abbr: 'AHX' }];
      bad.push({ file: 'Item.csv', line, column: 'Company (Item Defaults)', reason: /unknown company "AH Trading Export"/ });
    }
    const chunk = currentItemLines(item, r);
    if (i !== 33 && i !== 77) {
      official.add(item.code);
      if (both) {
        unofficial.add(item.code);
        shared += barcodes.length;
      }
    }
    text += chunk;
    line += (chunk.match(/\n/g) ?? []).length;
  }
  writeFileSync(path.join(dir, 'Item.csv'), text);

  // 2. Flattened sheet: one row per item with a plain Company column (AH Trading Unofficial).
  const flatHeader = [
    'Item Code',
    'Item Name',
    'Item Group',
    'Default Unit of Measure',
    'Standard Selling Rate',
    'Disabled',
    'Allow Sales',
    'Maintain Stock',
    'Barcode',
    'Barcode Type',
    'Company',
  ];
  text = csvLine(flatHeader, '\n');
  line = 2;
  const flatBarcodes: string[] = [];
  for (let i = 1; i <= 160; i++) {
    const s = sampleItem(1000 + i, r);
    const code = `AHU-${String(i).padStart(4, '0')}`;
    let barcode = nextBarcode();
    let company = UNOFFICIAL.name;
    let itemCode = code;
    let rate = rateText(s.milli, s.decimals);
    let ok = true;
    if (i === 40) {
      barcode = flatBarcodes[5]!; // duplicate of AHU-0006's barcode
      bad.push({ file: 'Item-flat-unofficial.csv', line, column: 'Barcode', reason: /duplicate barcode/ });
      ok = false;
    }
    if (i === 90) {
      itemCode = '';
      bad.push({ file: 'Item-flat-unofficial.csv', line, column: 'Item Code', reason: 'missing Item Code' });
      ok = false;
    }
    if (i === 120) {
      company = 'AH Trading Wholesale';
      bad.push({ file: 'Item-flat-unofficial.csv', line, column: 'Company', reason: /unknown company/ });
      ok = false;
    }
    if (i === 140) {
      rate = 'twelve';
      bad.push({ file: 'Item-flat-unofficial.csv', line, column: 'Standard Selling Rate', reason: /unparsable/ });
      ok = false;
    }
    flatBarcodes.push(barcode);
    if (ok) unofficial.add(code);
    text += csvLine([itemCode, s.name, s.group, s.uom, rate, 0, 1, 1, barcode, 'EAN-13', company], '\n');
    line++;
  }
  writeFileSync(path.join(dir, 'Item-flat-unofficial.csv'), text);

  // 3. The older Data Export template: a few Official items with their barcodes.
  const tmplCols: [string, string][] = [
    ['name', 'ID'],
    ['item_code', 'Item Code'],
    ['item_name', 'Item Name'],
    ['item_group', 'Item Group'],
    ['stock_uom', 'Default Unit of Measure'],
    ['standard_rate', 'Standard Selling Rate'],
    ['is_sales_item', 'Allow Sales'],
  ];
  const childBarcodes: [string, string][] = [
    ['name', 'ID'],
    ['barcode', 'Barcode'],
    ['barcode_type', 'Barcode Type'],
  ];
  const childDefaults: [string, string][] = [
    ['name', 'ID'],
    ['company', 'Company'],
    ['default_warehouse', 'Default Warehouse'],
  ];
  // Separator columns hold "~" in the header rows and stay blank in data rows.
  const row = (first: string, parent: string[], b: string[], d: string[]) => {
    const sep = first === '' ? '' : '~';
    return csvLine([first, ...parent, sep, ...b, sep, ...d]);
  };
  const doctypeRow = [
    'DocType:',
    'Item',
    ...Array<string>(tmplCols.length - 1).fill(''),
    '~',
    'Item Barcode',
    'barcodes',
    '',
    '~',
    'Item Default',
    'item_defaults',
    '',
  ];
  text =
    csvLine(['Data Import Template']) +
    csvLine(['Table:', 'Item']) +
    csvLine(['']) +
    csvLine(['']) +
    csvLine(['Notes:']) +
    csvLine(['Please do not change the template headings.']) +
    csvLine(['First data column must be blank.']) +
    csvLine(['If you are uploading new records, leave the "name" (ID) column blank.']) +
    csvLine(doctypeRow) +
    row(
      'Column Labels:',
      tmplCols.map((c) => c[1]),
      childBarcodes.map((c) => c[1]),
      childDefaults.map((c) => c[1]),
    ) +
    row(
      'Column Name:',
      tmplCols.map((c) => c[0]),
      childBarcodes.map((c) => c[0]),
      childDefaults.map((c) => c[0]),
    ) +
    row('Mandatory:', ['Yes', 'Yes', 'Yes', 'Yes', 'Yes', 'No', 'No'], ['Yes', 'Yes', 'No'], ['Yes', 'No', 'No']) +
    row('Type:', ['Data', 'Data', 'Data', 'Link', 'Link', 'Currency', 'Check'], ['Data', 'Data', 'Select'], ['Data', 'Link', 'Link']) +
    row('Info:', ['', '', '', 'Valid Item Group', 'Valid UOM', '', '0 or 1'], ['', '', ''], ['', 'Valid Company', '']) +
    csvLine(['Start entering data below this line']);
  for (let i = 1; i <= 20; i++) {
    const s = sampleItem(2000 + i, r);
    const code = `AHT-${String(i).padStart(3, '0')}`;
    const b1 = nextBarcode();
    text += row(
      '',
      [code, code, s.name, s.group, s.uom, rateText(s.milli, s.decimals), '1'],
      [r.hex(10), b1, 'EAN-13'],
      [r.hex(10), OFFICIAL.name, `Stores - ${OFFICIAL.abbr}`],
    );
    if (i % 5 === 0) text += row('', Array<string>(tmplCols.length).fill(''), [r.hex(10), nextBarcode(), 'EAN-13'], ['', '', '']);
    official.add(code);
  }
  writeFileSync(path.join(dir, 'Item-template-legacy.csv'), text);

  // 4. Item Price export: Standard Selling prices win over the items' Standard Selling Rate.
  text = csvLine(['Item Code', 'UOM', 'Price List', 'Rate', 'Currency', 'Customer', 'Valid From', 'Valid Upto']);
  line = 2;
  for (let i = 1; i <= 60; i++) {
    const code = `AH-${String(i * 2).padStart(4, '0')}`;
    const milli = i % 9 === 0 ? r.int(1000, 3000) * 1000 + 500 : r.int(50, 5000) * 10 + (i % 10 === 0 ? 5 : 0);
    text += csvLine([code, '', 'Standard Selling', rateText(milli, i % 10 === 0 ? 3 : 2), 'EUR', '', '2024-01-01', '']);
    line++;
  }
  text += csvLine(['AH-0003', 'Nos', 'Standard Buying', '0.80', 'EUR', '', '', '']); // skipped (buying list)
  text += csvLine(['AH-0005', 'Nos', 'Standard Selling', '0.95', 'EUR', 'CUST-00001', '', '']); // skipped (customer price)
  line += 2;
  text += csvLine(['AH-9999', 'Nos', 'Standard Selling', '9.99', 'EUR', '', '', '']);
  bad.push({ file: 'Item Price.csv', line, column: '', reason: /unknown Item Code "AH-9999"/ });
  line++;
  text += csvLine(['AHU-0010', 'Nos', 'Standard Selling', '1.234,5', 'EUR', '', '', '']);
  bad.push({ file: 'Item Price.csv', line, column: 'Rate', reason: /unparsable/ });
  line++;
  writeFileSync(path.join(dir, 'Item Price.csv'), text);

  // 5. Customers (current layout, Credit Limit child rows per company).
  const custHeader = [
    'ID',
    'Series',
    'Customer Name',
    'Customer Type',
    'Customer Group',
    'Territory',
    'Tax ID',
    'Tax Category',
    'Default Price List',
    'Billing Currency',
    'Default Payment Terms Template',
    'Is Internal Customer',
    'Represents Company',
    'Disabled',
    'ID (Credit Limit)',
    'Company (Credit Limit)',
    'Credit Limit (Credit Limit)',
    'Bypass credit limit_check (Credit Limit)',
  ];
  text = csvLine(custHeader);
  line = 2;
  let customers = 0;
  const first = ['Ali', 'Sara', 'Omar', 'Lina', 'Karim', 'Maya', 'Hadi', 'Nour', 'Rami', 'Dana'];
  const last = ['Haddad', 'Khoury', 'Saleh', 'Nasser', 'Mansour', 'Aziz'];
  for (let i = 1; i <= 60; i++) {
    const id = `CUST-${String(i).padStart(5, '0')}`;
    const isCompany = i % 6 === 0;
    const name = isCompany ? `${r.pick(last)} Trading ${i} SARL` : `${r.pick(first)} ${r.pick(last)}`;
    const limits: [string, string][] = [];
    if (i % 3 !== 0) limits.push([OFFICIAL.name, rateText(r.int(1, 50) * 100_000, 2)]);
    if (i % 2 === 0) limits.push([UNOFFICIAL.name, rateText(r.int(1, 20) * 50_000, 2)]);
    if (i === 13) {
      limits.push(['AH Trading Export', '500.00']);
    }
    const n = Math.max(1, limits.length);
    for (let k = 0; k < n; k++) {
      const l = limits[k];
      const parent =
        k === 0
          ? [
              id,
              'CUST-.#####',
              name,
              isCompany ? 'Company' : 'Individual',
              isCompany ? 'Commercial' : 'Individual',
              'Lebanon',
              isCompany ? `LB${100000 + i}` : '',
              '',
              'Standard Selling',
              'EUR',
              '',
              0,
              '',
              i % 25 === 0 ? 1 : 0,
            ]
          : Array<string>(14).fill('');
      text += csvLine([...parent, ...(l ? [r.hex(10), l[0], l[1], 0] : ['', '', '', ''])]);
      if (i === 13 && l?.[0] === 'AH Trading Export') bad.push({ file: 'Customer.csv', line, column: 'Company (Credit Limit)', reason: /unknown company/ });
      line++;
    }
    if (i !== 13) customers++;
  }
  writeFileSync(path.join(dir, 'Customer.csv'), text);

  return {
    items: { Official: official.size, Unofficial: unofficial.size },
    sharedBarcodes: shared,
    customers,
    bad,
  };
}

if (process.argv[1] && /generate\.ts$/.test(process.argv[1])) {
  const dir = __dirname;
  const out = generateSamples(dir);
  writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(out, (_k: string, v: unknown) => (v instanceof RegExp ? v.source : v), 2) + '\n');
  console.log(JSON.stringify({ items: out.items, sharedBarcodes: out.sharedBarcodes, customers: out.customers, bad: out.bad.length }));
}
