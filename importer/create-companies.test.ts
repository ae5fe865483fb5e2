// `--create-companies`: a store from zero gets its companies, warehouses and VAT rates from the export.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backends, useMigratedDatabase } from '../test/databases';
import { main, parseCli } from './cli';
import { companyCode, rateFromTemplate } from './create-companies';
import { csvFolder } from './test-helpers';

const SAMPLES = path.join(__dirname, '..', 'seeds', 'erpnext');
const SAMPLE_MAP = 'AH Trading Official=Official,AH Trading Unofficial=Unofficial';
const expected = JSON.parse(readFileSync(path.join(SAMPLES, 'expected.json'), 'utf8')) as {
  items: { Official: number; Unofficial: number };
  customers: number;
};

describe('company plans', () => {
  it('reads VAT rates from template names and gives one- or two-letter codes', () => {
    expect(rateFromTemplate('VAT 20% - AHO')).toBe(2000);
    expect(rateFromTemplate('Reduced 5,5 %')).toBe(550);
    expect(rateFromTemplate('Exempt')).toBeUndefined();
    const taken = new Set<string>();
    expect(companyCode('Official', taken)).toBe('O');
    expect(companyCode('Unofficial', taken)).toBe('U');
    expect(companyCode('Other Trading', taken)).toBe('OT');
    expect(parseCli(['--data-dir', 'x', '--create-companies']).createCompanies).toBe(true);
  });
});

describe.each(backends)('import:erpnext --create-companies on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const q = async (sql: string, params: unknown[] = []) => (await t.database.pool.query(sql, params)).rows;
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
  const run = async (args: string[]) => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.stubEnv('DATABASE_URL', t.url);
    const code = await main(args);
    const text = { out: out.mock.calls.map((c) => String(c[0])).join('\n'), err: err.mock.calls.map((c) => String(c[0])).join('\n') };
    err.mockRestore();
    out.mockRestore();
    return { code, ...text };
  };
  const report = () => path.join(csvFolder({}), 'r.csv');

  it('without the flag an empty store keeps the clear error and nothing is written', async () => {
    const r = await run(['--data-dir', SAMPLES, '--company-map', SAMPLE_MAP, '--report', report()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no companies in the database: create the companies first, or pass --create-companies/);
    const plain = await run(['--data-dir', SAMPLES, '--report', report()]);
    expect(plain.code).toBe(2);
    expect(plain.err).toMatch(/no companies in the database: create the companies first, or pass --create-companies/);
    expect((await q(`SELECT count(*)::int AS n FROM companies`))[0].n).toBe(0);
  });

  it('--dry-run lists the companies, warehouses and VAT rates it would create, and creates none', async () => {
    const r = await run(['--data-dir', SAMPLES, '--company-map', SAMPLE_MAP, '--create-companies', '--dry-run', '--report', report()]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('dry run');
    expect(r.out).toMatch(/Companies would create:/);
    expect(r.out).toMatch(/Official \(code O, EUR\) from "AH Trading Official"/);
    expect(r.out).toMatch(/Unofficial \(code U, EUR\) from "AH Trading Unofficial"/);
    expect(r.out).toMatch(/warehouses: STORES "Stores - AHO"/);
    expect(r.out).toMatch(/VAT rates: VAT (10|20)% \((10|20) %\) default/);
    // Every item is counted as it would be created.
    expect(r.out).toMatch(new RegExp(`Item\\s+Official\\s+${expected.items.Official}\\s`));
    expect((await q(`SELECT count(*)::int AS n FROM companies`))[0].n).toBe(0);
    expect((await q(`SELECT count(*)::int AS n FROM items`))[0].n).toBe(0);
  });

  it('creates the companies on an empty store and imports the samples into them; a re-run creates nothing', async () => {
    const r = await run(['--data-dir', SAMPLES, '--company-map', SAMPLE_MAP, '--create-companies', '--report', report()]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Companies created:/);
    const companies = await q(`SELECT code, name, currency, currency_exponent FROM companies ORDER BY name`);
    expect(companies).toEqual([
      { code: 'O', name: 'Official', currency: 'EUR', currency_exponent: 2 },
      { code: 'U', name: 'Unofficial', currency: 'EUR', currency_exponent: 2 },
    ]);
    const perCompany = await q(`SELECT c.name, count(*)::int AS n FROM items i JOIN companies c ON c.id = i.company_id GROUP BY c.name ORDER BY c.name`);
    expect(perCompany).toEqual([
      { name: 'Official', n: expected.items.Official },
      { name: 'Unofficial', n: expected.items.Unofficial },
    ]);
    expect((await q(`SELECT count(*)::int AS n FROM customers`))[0].n).toBe(expected.customers);
    // Warehouses the export names (one default per company), VAT rates from its templates.
    const wh = await q(
      `SELECT c.code AS company, w.code, w.is_default FROM warehouses w JOIN companies c ON c.id = w.company_id WHERE w.is_default ORDER BY c.code`,
    );
    expect(wh.map((w) => w.company)).toEqual(['O', 'U']);
    const rates = await q(
      `SELECT c.code AS company, t.rate_bp, t.is_default FROM tax_rates t JOIN companies c ON c.id = t.company_id ORDER BY c.code, t.rate_bp`,
    );
    expect(rates.filter((x) => x.company === 'O').map((x) => x.rate_bp)).toEqual([1000, 2000]);
    expect(rates.filter((x) => x.is_default)).toHaveLength(2);
    // Every imported item has a VAT rate of its own company.
    expect(
      (await q(`SELECT count(*)::int AS n FROM items i LEFT JOIN tax_rates t ON t.id = i.tax_rate_id AND t.company_id = i.company_id WHERE t.id IS NULL`))[0].n,
    ).toBe(0);
    // The store exists with a default invoice company; the creation is audited and reaches registers.
    expect((await q(`SELECT count(*)::int AS n FROM store_settings WHERE default_company_id IS NOT NULL`))[0].n).toBe(1);
    expect((await q(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'company.created' AND actor_id = 'cli'`))[0].n).toBe(2);
    expect((await q(`SELECT count(*)::int AS n FROM change_log WHERE table_name = 'companies' AND operation = 'insert'`))[0].n).toBe(2);

    const again = await run(['--data-dir', SAMPLES, '--company-map', SAMPLE_MAP, '--create-companies', '--report', report()]);
    expect(again.code).toBe(0);
    expect(again.out).not.toMatch(/Companies created/);
    expect((await q(`SELECT count(*)::int AS n FROM companies`))[0].n).toBe(2);
  });

  it('without a map creates every company the export names; a company with no warehouse gets a default one', async () => {
    const dir = csvFolder({
      'items.csv': 'Item Code,Item Name,Standard Selling Rate,Company\nZ-1,Zed,1.00,Zeta Traders\n',
    });
    const r = await run(['--data-dir', dir, '--create-companies', '--report', report()]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/one default warehouse/);
    expect(r.out).toMatch(/VAT rates: none found in the export/);
    const z = await q(
      `SELECT c.code, w.code AS warehouse, w.is_default FROM companies c JOIN warehouses w ON w.company_id = c.id WHERE c.name = 'Zeta Traders'`,
    );
    expect(z).toEqual([{ code: 'Z', warehouse: 'MAIN', is_default: true }]);
    expect((await q(`SELECT count(*)::int AS n FROM items WHERE code = 'Z-1' AND tax_rate_id IS NULL`))[0].n).toBe(1);
  });
});
