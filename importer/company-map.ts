// ERPNext company names → Till companies. `--company-map "AH Trading Official=Official,…"`;
// names not in the map are matched against companies.name as they are (identity map).
import type { Database } from '../db/client';
import { many, type Cols } from '../db/query';
import type { companies as companyTable, taxRates } from '../db/schema';

export interface TaxRateInfo {
  id: string;
  code: string;
  name: string;
}

export interface CompanyInfo {
  id: string;
  code: string;
  name: string;
  currency: string;
  currencyExponent: number;
  defaultTaxRateId: string | null;
  taxRates: TaxRateInfo[];
  /** A company `--create-companies` would create (dry run): validated against, never written. */
  planned?: boolean;
}

export class CompanyMapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompanyMapError';
  }
}

/** Parses `A=B,C=D` (spaces around names are trimmed). Throws CompanyMapError on a malformed entry. */
export function parseCompanyMap(text: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (!text || text.trim() === '') return map;
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const from = eq < 0 ? '' : entry.slice(0, eq).trim();
    const to = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (!from || !to) throw new CompanyMapError(`company map entry "${entry.trim()}" is not "ERPNext company=Till company"`);
    if (map.has(from)) throw new CompanyMapError(`company map names "${from}" twice`);
    map.set(from, to);
  }
  return map;
}

/** Every company with its currency, default tax rate and active tax rates. */
export async function loadCompanies(database: Database): Promise<CompanyInfo[]> {
  const companies = await many<Cols<typeof companyTable, 'id' | 'code' | 'name' | 'currency' | 'currency_exponent'>>(
    database.pool,
    `SELECT id, code, name, currency, currency_exponent FROM companies ORDER BY name`,
  );
  const rates = await many<Cols<typeof taxRates, 'id' | 'company_id' | 'code' | 'name' | 'is_default'>>(
    database.pool,
    `SELECT id, company_id, code, name, is_default FROM tax_rates WHERE active ORDER BY is_default DESC, code`,
  );
  return companies.map((c) => {
    const own = rates.filter((r) => r.company_id === c.id);
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      currency: c.currency,
      currencyExponent: c.currency_exponent,
      defaultTaxRateId: own.find((r) => r.is_default)?.id ?? null,
      taxRates: own.map((r) => ({ id: r.id, code: r.code, name: r.name })),
    };
  });
}

export type CompanyResolver = (erpnextName: string) => CompanyInfo | undefined;

/**
 * Resolver from ERPNext company names to companies. Every map target must name an existing
 * company (CompanyMapError otherwise); unmapped names match companies.name exactly, then ignoring case.
 */
export function companyResolver(companies: CompanyInfo[], map: Map<string, string>): CompanyResolver {
  const byName = new Map(companies.map((c) => [c.name, c]));
  const byLower = new Map(companies.map((c) => [c.name.toLowerCase(), c]));
  const mapped = new Map<string, CompanyInfo>();
  for (const [from, to] of map) {
    const target = byName.get(to) ?? byLower.get(to.toLowerCase());
    if (!target) {
      const known = companies.map((c) => `"${c.name}"`).join(', ') || 'none';
      throw new CompanyMapError(`company map target "${to}" is not a company here (companies: ${known})`);
    }
    mapped.set(from.toLowerCase(), target);
  }
  return (name) => {
    const n = name.trim();
    return mapped.get(n.toLowerCase()) ?? byName.get(n) ?? byLower.get(n.toLowerCase());
  };
}

/** Matches an ERPNext Item Tax Template ("VAT 20% - AHO") to one of the company's tax rates. */
export function matchTaxRate(company: CompanyInfo, template: string): TaxRateInfo | undefined {
  const t = template.trim().toLowerCase();
  const bare = t.replace(/\s+-\s+[^-]+$/, ''); // ERPNext suffixes templates with the company abbreviation
  return company.taxRates.find((r) => {
    const code = r.code.toLowerCase();
    const name = r.name.toLowerCase();
    return code === t || name === t || code === bare || name === bare;
  });
}
