import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli';
import { backends, useMigratedDatabase } from '../test/databases';
import { importErpnext, ImportUsageError } from './import-erpnext';
import { changeLogCount, createCompanies, csvFolder, type TestCompanies } from './test-helpers';

const SAMPLES = path.join(__dirname, '..', 'seeds', 'erpnext');
const SAMPLE_MAP = 'AH Trading Official=Official,AH Trading Unofficial=Unofficial';
const expected = JSON.parse(readFileSync(path.join(SAMPLES, 'expected.json'), 'utf8')) as {
  items: { Official: number; Unofficial: number };
  sharedBarcodes: number;
  customers: number;
  bad: { file: string; line: number; column: string; reason: string }[];
};

const CURRENT = [
  'ID,Item Code,Item Name,Item Group,Default Unit of Measure,Disabled,Maintain Stock,Standard Selling Rate,Allow Sales,ID (Barcodes),Barcode (Barcodes),Barcode Type (Barcodes),ID (Item Defaults),Company (Item Defaults),ID (Taxes),Item Tax Template (Taxes),Tax Category (Taxes)',
  'C-1,C-1,Cola,Beverages,Nos,0,1,"1,234.50",1,b1,4000001,EAN-13,d1,AH Official,t1,VAT 10% - AHO,',
  ',,,,,,,,,b2,4000002,,d2,AH Unofficial,,,',
  'C-2,C-2,"Cheese, aged",Dairy,Kg,1,0,12.345,0,b3,4000003,UPC-A,d3,AH Official,,,',
].join('\r\n');

const FLAT = [
  'Item Code,Item Name,Item Group,Default Unit of Measure,Standard Selling Rate,Barcode,Barcode Type,Company',
  'F-1,Flour,Bakery,Gram,0.99,5000001,EAN-8,AH Unofficial',
].join('\n');

const TEMPLATE = [
  'Data Import Template',
  'Table:,Item',
  '',
  'Notes:',
  'DocType:,Item,,,,~,Item Barcode,barcodes,,~,Item Default,item_defaults',
  'Column Labels:,ID,Item Code,Item Name,Standard Selling Rate,~,ID,Barcode,Barcode Type,~,ID,Company',
  'Column Name:,name,item_code,item_name,standard_rate,~,name,barcode,barcode_type,~,name,company',
  'Mandatory:,Yes,Yes,Yes,No,~,Yes,Yes,No,~,Yes,No',
  'Start entering data below this line',
  ',T-1,T-1,Tea,3.50,,x1,6000001,EAN-13,,y1,AH Official',
  ',,,,,,x2,6000002,,,,',
].join('\r\n');

const MAP = 'AH Official=Official,AH Unofficial=Unofficial';

describe.each(backends)('importErpnext on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let co: TestCompanies;
  beforeAll(async () => {
    co = await createCompanies(t.database);
  });
  beforeEach(async () => {
    await t.database.pool.query('TRUNCATE barcodes, prices, items, customer_credit, customers, import_rejections, import_runs CASCADE');
  });
  const q = async (sql: string, params: unknown[] = []) => (await t.database.pool.query(sql, params)).rows;

  it('imports the samples: everything but the deliberate bad rows, then re-runs without a single change', async () => {
    const reportFile = path.join(csvFolder({}), 'report.csv');
    const first = await importErpnext(t.database, { dataDir: SAMPLES, companyMap: SAMPLE_MAP, reportFile, today: '2025-06-01' });
    const perCompany = await q(`SELECT c.name, count(*)::int AS n FROM items i JOIN companies c ON c.id = i.company_id GROUP BY c.name ORDER BY c.name`);
    expect(perCompany).toEqual([
      { name: 'Official', n: expected.items.Official },
      { name: 'Unofficial', n: expected.items.Unofficial },
    ]);
    const shared = await q(`SELECT count(*)::int AS n FROM barcodes a JOIN barcodes b ON a.code = b.code AND a.company_id = $1 AND b.company_id = $2`, [
      co.official.id,
      co.unofficial.id,
    ]);
    expect(shared[0].n).toBe(expected.sharedBarcodes);
    expect((await q(`SELECT count(*)::int AS n FROM customers`))[0].n).toBe(expected.customers);
    expect((await q(`SELECT count(*)::int AS n FROM customer_credit`))[0].n).toBe(expected.customers * 2);
    // Every item of both companies has a price; Item Price rows won over Standard Selling Rate.
    expect((await q(`SELECT count(*)::int AS n FROM items i LEFT JOIN prices p ON p.item_id = i.id WHERE p.id IS NULL`))[0].n).toBe(0);

    const rejections = await q(
      `SELECT file, line, "column" FROM import_rejections r JOIN import_runs u ON u.id = r.run_id WHERE u.id = $1 ORDER BY file, line`,
      [first.runId],
    );
    const want = expected.bad
      .map((b) => ({ file: b.file, line: b.line, column: b.column || null }))
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    expect(rejections).toEqual(want);
    const reasons = await q(`SELECT file, line, reason FROM import_rejections WHERE run_id = $1`, [first.runId]);
    for (const b of expected.bad) {
      expect(reasons.find((r) => r.file === b.file && r.line === b.line)?.reason, `${b.file}:${b.line}`).toMatch(new RegExp(b.reason));
    }
    const report = readFileSync(reportFile, 'utf8').split('\n');
    expect(report[0]).toBe('file,line,column,entity,company,severity,reason');
    expect(report.filter((l) => l.includes(',error,'))).toHaveLength(expected.bad.length);
    expect(first.files.map((f) => [f.file, f.entity, f.layout])).toEqual([
      ['Customer.csv', 'customer', 'current'],
      ['Item Price.csv', 'itemPrice', 'flat'],
      ['Item-flat-unofficial.csv', 'item', 'flat'],
      ['Item-template-legacy.csv', 'item', 'template'],
      ['Item.csv', 'item', 'current'],
    ]);
    const run = (await q(`SELECT dry_run, finished_at, summary FROM import_runs WHERE id = $1`, [first.runId]))[0];
    expect(run.dry_run).toBe(false);
    expect(run.finished_at).not.toBeNull();
    expect(run.summary.rejections).toBe(expected.bad.length);

    const logBefore = await changeLogCount(t.database);
    const updatedAt = await q(`SELECT max(updated_at) AS m FROM items`);
    const second = await importErpnext(t.database, { dataDir: SAMPLES, companyMap: SAMPLE_MAP, today: '2025-06-01' });
    expect(await changeLogCount(t.database)).toBe(logBefore);
    expect(await q(`SELECT max(updated_at) AS m FROM items`)).toEqual(updatedAt);
    for (const c of second.counts) {
      expect([c.entity, c.company, c.created, c.updated]).toEqual([c.entity, c.company, 0, 0]);
    }
    const items = second.counts.filter((c) => c.entity === 'item' && ['Official', 'Unofficial'].includes(c.company));
    expect(items.map((c) => c.unchanged)).toEqual([expected.items.Official, expected.items.Unofficial]);
    expect(second.rejections).toBe(expected.bad.length);
  });

  it('reads the current, flattened and template layouts into items, barcodes, prices and tax rates', async () => {
    const dir = csvFolder({ 'a-current.csv': CURRENT, 'b-flat.csv': FLAT, 'c-template.csv': TEMPLATE });
    const s = await importErpnext(t.database, { dataDir: dir, companyMap: MAP });
    expect(s.rejections).toBe(0);
    expect(s.files.map((f) => f.layout)).toEqual(['current', 'flat', 'template']);
    const items = await q(
      `SELECT c.code AS co, i.code, i.name, i.item_group, i.uom, i.unit_precision, i.disabled, i.allow_sales, i.maintain_stock, t.code AS tax, p.amount,
              (SELECT string_agg(b.code || ':' || b.barcode_type, ' ' ORDER BY b.code) FROM barcodes b WHERE b.item_id = i.id) AS barcodes
         FROM items i JOIN companies c ON c.id = i.company_id LEFT JOIN tax_rates t ON t.id = i.tax_rate_id LEFT JOIN prices p ON p.item_id = i.id
        ORDER BY i.code, c.code`,
    );
    expect(items).toEqual([
      {
        co: 'O',
        code: 'C-1',
        name: 'Cola',
        item_group: 'Beverages',
        uom: 'Nos',
        unit_precision: 0,
        disabled: false,
        allow_sales: true,
        maintain_stock: true,
        tax: 'VAT10',
        amount: 123450,
        barcodes: '4000001:EAN-13 4000002:',
      },
      {
        co: 'U',
        code: 'C-1',
        name: 'Cola',
        item_group: 'Beverages',
        uom: 'Nos',
        unit_precision: 0,
        disabled: false,
        allow_sales: true,
        maintain_stock: true,
        tax: 'VAT10',
        amount: 123450,
        barcodes: '4000001:EAN-13 4000002:',
      },
      {
        co: 'O',
        code: 'C-2',
        name: 'Cheese, aged',
        item_group: 'Dairy',
        uom: 'Kg',
        unit_precision: 3,
        disabled: true,
        allow_sales: false,
        maintain_stock: false,
        tax: 'VAT20',
        amount: 1235,
        barcodes: '4000003:UPC-A',
      },
      {
        co: 'U',
        code: 'F-1',
        name: 'Flour',
        item_group: 'Bakery',
        uom: 'Gram',
        unit_precision: 3,
        disabled: false,
        allow_sales: true,
        maintain_stock: true,
        tax: 'VAT20',
        amount: 99,
        barcodes: '5000001:EAN-8',
      },
      {
        co: 'O',
        code: 'T-1',
        name: 'Tea',
        item_group: '',
        uom: 'Nos',
        unit_precision: 0,
        disabled: false,
        allow_sales: true,
        maintain_stock: true,
        tax: 'VAT20',
        amount: 350,
        barcodes: '6000001:EAN-13 6000002:',
      },
    ]);
    expect(s.notices).toBe(1); // 12.345 rounded
  });

  it('maps companies by name without a map, and reports an unknown company as a row error', async () => {
    const dir = csvFolder({
      'items.csv': ['Item Code,Item Name,Company', 'X-1,One,Official', 'X-2,Two,unofficial', 'X-3,Three,AH Official'].join('\n'),
    });
    const s = await importErpnext(t.database, { dataDir: dir });
    expect(await q(`SELECT code FROM items ORDER BY code`)).toEqual([{ code: 'X-1' }, { code: 'X-2' }]);
    expect(s.counts.find((c) => c.company === 'AH Official')).toMatchObject({ entity: 'item', rejected: 1 });
    const r = await q(`SELECT file, line, "column", reason FROM import_rejections`);
    expect(r).toEqual([{ file: 'items.csv', line: 4, column: 'Company', reason: expect.stringMatching(/unknown company "AH Official"/) }]);
    await expect(importErpnext(t.database, { dataDir: dir, companyMap: 'A=Nowhere' })).rejects.toThrow(ImportUsageError);
  });

  it('keeps good rows around bad ones and reports each bad row with file, physical line and column', async () => {
    const header = 'Item Code,Item Name,Description,Standard Selling Rate,Barcode,Company';
    const dir = csvFolder({
      'items.csv': [
        header,
        'G-1,Good,"two\nlines",1.00,7000001,Official',
        ',Nameless,,1.00,7000002,Official',
        'G-2,Bad price,,1.2.3,7000003,Official',
        'G-3,Dup barcode,,1.00,7000001,Official',
        'G-4,Good too,,2.00,7000004,Official',
        'G-1,Again,,3.00,,Official',
      ].join('\n'),
    });
    const s = await importErpnext(t.database, { dataDir: dir, batchSize: 2 });
    expect(await q(`SELECT code FROM items ORDER BY code`)).toEqual([{ code: 'G-1' }, { code: 'G-4' }]);
    expect(await q(`SELECT line, "column", reason FROM import_rejections ORDER BY line`)).toEqual([
      { line: 4, column: 'Item Code', reason: 'missing Item Code' },
      { line: 5, column: 'Standard Selling Rate', reason: expect.stringMatching(/unparsable/) },
      { line: 6, column: 'Barcode', reason: expect.stringMatching(/duplicate barcode "7000001": already on item "G-1" of Official \(items.csv line 2\)/) },
      { line: 8, column: null, reason: expect.stringMatching(/Item Code "G-1" for Official appears again \(first at items.csv line 2\)/) },
    ]);
    expect(s.counts.find((c) => c.entity === 'item' && c.company === 'Official')).toMatchObject({ created: 2, rejected: 4 });
    const row = (await q(`SELECT "row" FROM import_rejections WHERE line = 5`))[0].row;
    expect(row).toMatchObject({ item_code: 'G-2', standard_rate: '1.2.3', entity: 'item' });
  });

  it('refuses a barcode stored on another item of the company, but lets a re-imported item hand it over', async () => {
    await importErpnext(t.database, { dataDir: csvFolder({ 'a.csv': 'Item Code,Item Name,Barcode,Company\nH-1,One,8000001,Official\n' }) });
    const s = await importErpnext(t.database, {
      dataDir: csvFolder({ 'a.csv': 'Item Code,Item Name,Barcode,Company\nH-2,Two,8000001,Official\nH-3,Three,8000001,Unofficial\n' }),
    });
    expect(await q(`SELECT reason FROM import_rejections`)).toEqual([{ reason: expect.stringMatching(/already on stored item "H-1" of Official/) }]);
    expect(s.counts.find((c) => c.company === 'Unofficial')).toMatchObject({ created: 1 });
    await importErpnext(t.database, {
      dataDir: csvFolder({ 'a.csv': 'Item Code,Item Name,Barcode,Company\nH-1,One,8000009,Official\nH-2,Two,8000001,Official\n' }),
    });
    expect(
      await q(`SELECT i.code, b.code AS barcode FROM barcodes b JOIN items i ON i.id = b.item_id WHERE b.company_id = $1 ORDER BY b.code`, [co.official.id]),
    ).toEqual([
      { code: 'H-2', barcode: '8000001' },
      { code: 'H-1', barcode: '8000009' },
    ]);
  });

  it('parses decimal prices exactly (groups, HalfUp rounding, refusals) and leaves blank prices alone', async () => {
    const rows: [string, string, number | null][] = [
      ['D-1', '"1,234.50"', 123450],
      ['D-2', '12.345', 1235],
      ['D-3', '12.344', 1234],
      ['D-4', '0.005', 1],
      ['D-5', '" 7 "', 700],
      ['D-6', '12.340', 1234],
      ['D-7', '"1,234,567.891"', 123456789],
      ['D-8', '"12,5"', null],
      ['D-9', '-1.00', null],
      ['D-10', '1e3', null],
      ['D-11', '"1.234,50"', null],
      ['D-12', '', null],
    ];
    const dir = csvFolder({ 'p.csv': ['Item Code,Item Name,Standard Selling Rate,Company', ...rows.map(([c, r]) => `${c},${c},${r},Official`)].join('\n') });
    const s = await importErpnext(t.database, { dataDir: dir });
    const prices = new Map((await q(`SELECT i.code, p.amount FROM items i LEFT JOIN prices p ON p.item_id = i.id`)).map((r) => [r.code, r.amount]));
    for (const [code, , amount] of rows.slice(0, 7)) expect(prices.get(code), code).toBe(amount);
    expect(prices.has('D-12') && prices.get('D-12')).toBeNull(); // imported, no price
    expect((await q(`SELECT line FROM import_rejections ORDER BY line`)).map((r) => r.line)).toEqual([9, 10, 11, 12]);
    expect(s.notices).toBe(4); // D-2, D-3, D-4, D-7 rounded (D-6's trailing zero is exact)

    // The European format reads "1.234,50" when declared.
    const eu = csvFolder({ 'p.csv': 'Item Code;Item Name;Standard Selling Rate;Company\nE-1;E;1.234,50;Official\n' });
    await importErpnext(t.database, { dataDir: eu, numberFormat: { decimal: ',', group: '.' } });
    expect((await q(`SELECT p.amount FROM prices p JOIN items i ON i.id = p.item_id WHERE i.code = 'E-1'`))[0].amount).toBe(123450);
  });

  it('counts updates and logs changes only for rows that changed', async () => {
    const file = (rate: string, name: string) =>
      csvFolder({
        'a.csv': `Item Code,Item Name,Standard Selling Rate,Barcode,Company\nU-1,${name},${rate},9000001,Official\nU-2,Same,1.00,9000002,Official\n`,
      });
    await importErpnext(t.database, { dataDir: file('1.00', 'First') });
    const before = await changeLogCount(t.database);
    const s = await importErpnext(t.database, { dataDir: file('2.00', 'Second') });
    expect(s.counts.find((c) => c.entity === 'item')).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const log = await q(`SELECT table_name, operation FROM change_log WHERE lsn > (SELECT max(lsn) FROM change_log) - 1 ORDER BY op_position`);
    expect(log).toEqual([
      { table_name: 'items', operation: 'update' },
      { table_name: 'prices', operation: 'update' },
    ]);
    expect(await changeLogCount(t.database)).toBe(before + 2);
  });

  it('dry run validates and counts but writes nothing', async () => {
    const before = await changeLogCount(t.database);
    const s = await importErpnext(t.database, { dataDir: SAMPLES, companyMap: SAMPLE_MAP, dryRun: true, today: '2025-06-01' });
    expect((await q(`SELECT count(*)::int AS n FROM items`))[0].n).toBe(0);
    expect((await q(`SELECT count(*)::int AS n FROM customers`))[0].n).toBe(0);
    expect(await changeLogCount(t.database)).toBe(before);
    expect(s.counts.filter((c) => c.entity === 'item' && c.created > 0).map((c) => c.created)).toEqual([expected.items.Official, expected.items.Unofficial]);
    expect(s.rejections).toBe(expected.bad.length);
    expect((await q(`SELECT dry_run FROM import_runs WHERE id = $1`, [s.runId]))[0].dry_run).toBe(true);
  });

  it('imports customers into both companies with their per-company credit limits', async () => {
    const dir = csvFolder({
      'Customer.csv': [
        'ID,Customer Name,Customer Type,Territory,Company (Credit Limit),Credit Limit (Credit Limit)',
        'K-1,Ali,Company,LB,AH Official,"1,000.00"',
        ',,,,AH Unofficial,250.5',
        'K-2,Sara,Individual,LB,,',
      ].join('\n'),
    });
    const s = await importErpnext(t.database, { dataDir: dir, companyMap: MAP });
    expect(s.counts).toEqual([expect.objectContaining({ entity: 'customer', company: '(all)', created: 2 })]);
    const credit = await q(
      `SELECT cu.code, co.code AS co, cc.credit_limit FROM customer_credit cc JOIN customers cu ON cu.id = cc.customer_id JOIN companies co ON co.id = cc.company_id ORDER BY 1, 2`,
    );
    expect(credit).toEqual([
      { code: 'K-1', co: 'O', credit_limit: 100000 },
      { code: 'K-1', co: 'U', credit_limit: 25050 },
      { code: 'K-2', co: 'O', credit_limit: 0 },
      { code: 'K-2', co: 'U', credit_limit: 0 },
    ]);
    const again = await importErpnext(t.database, { dataDir: dir, companyMap: MAP });
    expect(again.counts[0]).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('records a run that stops half-way as finished with the reason, keeping the batches written before', async () => {
    const dir = csvFolder({ 'Item.csv': CURRENT, 'Customer.csv': 'ID,Customer Name\nK-1,Kim\n' });
    let calls = 0;
    const stop = () => {
      // The first progress report comes from the item file; fail once the customers start.
      if (++calls > 2) throw new Error('disk went away');
    };
    await expect(importErpnext(t.database, { dataDir: dir, companyMap: MAP, onProgress: stop })).rejects.toThrow('disk went away');
    const runs = await q(`SELECT finished_at, summary FROM import_runs`);
    expect(runs).toHaveLength(1);
    expect(runs[0].finished_at).not.toBeNull();
    expect(runs[0].summary.failure).toBe('disk went away');
    expect((await q(`SELECT count(*)::int AS n FROM items`))[0].n).toBeGreaterThan(0);
  });

  it('refuses spreadsheets and unknown CSVs with a message naming the expected layout', async () => {
    const dir = csvFolder({ 'Item.xlsx': 'PK', 'notes.csv': 'Name,Price\nA,1\n', 'ok.csv': 'Item Code,Item Name,Company\nZ-1,Z,Official\n' });
    const s = await importErpnext(t.database, { dataDir: dir });
    expect(s.files.map((f) => [f.file, f.error?.slice(0, 30) ?? null])).toEqual([
      ['Item.xlsx', 'spreadsheet files are not read'],
      ['notes.csv', 'unrecognised header: expected '],
      ['ok.csv', null],
    ]);
    expect((await q(`SELECT count(*)::int AS n FROM items`))[0].n).toBe(1);
    await expect(importErpnext(t.database, { dataDir: path.join(dir, 'missing') })).rejects.toThrow(/no such folder/);
  });

  it('CLI: exits 2 on usage errors and 0 when the import ran, even with rejected rows', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.stubEnv('DATABASE_URL', t.url);
    expect(await main(['--data-dir', '/nonexistent/folder'])).toBe(2);
    expect(err.mock.calls.at(-1)![0]).toMatch(/no such folder/);
    expect(await main(['--data-dir', csvFolder({ 'a.csv': 'Item Code,Item Name,Company\nA,A,Official\n' }), '--company-map', 'X=Nowhere'])).toBe(2);

    const dir = csvFolder({ 'a.csv': 'Item Code,Item Name,Company\nCLI-1,A,Official\nCLI-2,B,Elsewhere\n' });
    const report = path.join(csvFolder({}), 'r.csv');
    expect(await main(['--data-dir', dir, '--report', report])).toBe(0);
    expect(out.mock.calls.at(-1)![0]).toMatch(/1 rejected row issue\(s\)/);
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('a.csv,3,Company,item,Elsewhere,error,');
    expect((await t.database.pool.query(`SELECT count(*)::int AS n FROM items WHERE code = 'CLI-1'`)).rows[0].n).toBe(1);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
});
