// `--create-companies`: a store set up from zero gets its companies from the export itself.
// A first pass over the Item and Customer files collects the companies they name (through the
// company map: with a map, its targets are the companies; without one, every name in the export),
// the warehouses their Item Defaults name and the VAT rates their Item Tax Templates spell out
// ("VAT 20% - AHO" → 20 %). Missing companies are created with those warehouses (else one default
// warehouse each) and rates (else none), in one audited transaction, before the import runs.
import type { PoolClient } from 'pg';
import type { Database } from '../db/client';
import { execute, many, maybeOne, one, type Cols, type SqlRow } from '../db/query';
import type { companies, stores, storeSettings, taxRates, warehouses as warehouseTable } from '../db/schema';
import { withTransaction } from '../db/transaction';
import type { CompanyInfo } from './company-map';
import { readLayout, type Entity } from './detect-layout';
import { itemCompanyNames } from './item-records';
import { readRows } from './read-rows';
import { groupRecords, RecordShape } from './records';

export interface PlannedWarehouse {
  code: string;
  name: string;
}

export interface PlannedTaxRate {
  code: string;
  name: string;
  rateBp: number;
  isDefault: boolean;
}

export interface CompanyPlan {
  name: string;
  code: string;
  currency: string;
  currencyExponent: number;
  /** ERPNext names that lead to this company. */
  sources: string[];
  warehouses: PlannedWarehouse[];
  /** True when the export names no warehouse for the company: one default warehouse is made. */
  defaultWarehouse: boolean;
  taxRates: PlannedTaxRate[];
  /** Item Tax Templates whose name holds no percentage: they cannot become rates. */
  unreadTemplates: string[];
}

/** ERPNext suffixes warehouses and templates with the company abbreviation: "Stores - AHO". */
const bare = (name: string) => name.trim().replace(/\s+-\s+[^-]+$/, '');

/** "VAT 20% - AHO" → 2000 basis points; "Zero rated 0 %" → 0; undefined when no percentage is written. */
export function rateFromTemplate(template: string): number | undefined {
  const m = /(\d{1,3}(?:[.,]\d{1,2})?)\s*%/.exec(template);
  if (!m) return undefined;
  const [whole, frac = ''] = m[1]!.replace(',', '.').split('.');
  const bp = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return bp <= 10_000 ? bp : undefined;
}

function codeFrom(text: string, max: number, taken: Set<string>, fallback: string): string {
  const base = (
    text
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '')
      .slice(0, max) || fallback
  ).replace(/^[^A-Z0-9]/, '');
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base.slice(0, max - String(n).length)}${n}`;
  taken.add(code);
  return code;
}

/** One or two letters for receipt numbers: the initial, then initials of two words, then two letters. */
export function companyCode(name: string, taken: Set<string>): string {
  const letters = name.toUpperCase().replace(/[^A-Z ]/g, '');
  const words = letters.split(/\s+/).filter(Boolean);
  const tries = [
    words[0]?.[0],
    words.length > 1 ? `${words[0]![0]}${words.at(-1)![0]}` : undefined,
    words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : undefined,
    letters.replace(/ /g, '').slice(0, 2),
  ];
  for (const t of tries) if (t && /^[A-Z]{1,2}$/.test(t) && !taken.has(t)) return (taken.add(t), t);
  for (const a of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') for (const b of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') if (!taken.has(a + b)) return (taken.add(a + b), a + b);
  throw new Error('no company code left');
}

/** Decimals of an ISO 4217 currency (2 for EUR, 0 for JPY, 3 for KWD). */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

interface Seen {
  sources: Set<string>;
  warehouses: Map<string, string>; // code → name
  templates: Map<string, number>; // template bare name → items using it
}

/**
 * Companies the export names that do not exist yet, with what to create for them. `files` are the
 * Item and Customer CSVs (by entity); `existing` the companies already stored.
 */
export async function planCompanies(
  database: Database,
  files: { path: string; name: string; entity: Entity }[],
  existing: CompanyInfo[],
  map: Map<string, string>,
): Promise<CompanyPlan[]> {
  const known = (name: string) => existing.some((c) => c.name.toLowerCase() === name.toLowerCase());
  const mapLower = new Map([...map].map(([from, to]) => [from.toLowerCase(), to]));
  // With a map, its targets are the store's companies; names it does not cover stay unknown (row errors).
  const target = (erpnext: string): string | undefined => {
    const n = erpnext.trim();
    if (!n) return undefined;
    if (map.size) return mapLower.get(n.toLowerCase());
    return n;
  };
  const seen = new Map<string, Seen>();
  const note = (name: string, source: string) => {
    const key = name.toLowerCase();
    let s = seen.get(key);
    if (!s) seen.set(key, (s = { sources: new Set(), warehouses: new Map(), templates: new Map() }));
    s.sources.add(source);
    return s;
  };
  // Map targets are companies even when no row names them.
  for (const [from, to] of map) note(to, from);
  const display = new Map<string, string>();
  for (const to of map.values()) display.set(to.toLowerCase(), to);

  for (const f of files) {
    if (f.entity !== 'item' && f.entity !== 'customer') continue;
    const rows = readRows(f.path);
    try {
      const shape = new RecordShape(await readLayout(rows));
      for await (const record of groupRecords(f.name, shape, rows)) {
        const names =
          f.entity === 'item'
            ? itemCompanyNames(record).map((c) => c.name)
            : (record.children.get('credit_limits') ?? []).map((c) => c.values.get('company') ?? '').filter(Boolean);
        const companies: Seen[] = [];
        for (const n of names) {
          const t = target(n);
          if (!t) continue;
          if (!display.has(t.toLowerCase())) display.set(t.toLowerCase(), t);
          const s = note(t, n);
          if (!companies.includes(s)) companies.push(s);
        }
        if (f.entity !== 'item') continue;
        for (const d of record.children.get('item_defaults') ?? []) {
          const wh = d.values.get('default_warehouse');
          const t = target(d.values.get('company') ?? '');
          if (wh && t) note(t, d.values.get('company')!).warehouses.set(bare(wh).toLowerCase(), wh.trim());
        }
        const plainWh = record.values.get('default_warehouse');
        if (plainWh) for (const s of companies) s.warehouses.set(bare(plainWh).toLowerCase(), plainWh.trim());
        // A template applies to the item in every company it is sold by, so each gets the rate.
        const templates = [
          ...(record.children.get('taxes') ?? []).map((x) => x.values.get('item_tax_template') ?? ''),
          record.values.get('item_tax_template') ?? '',
        ].filter(Boolean);
        for (const tpl of new Set(templates.map(bare))) for (const s of companies) s.templates.set(tpl, (s.templates.get(tpl) ?? 0) + 1);
      }
    } finally {
      await rows.return(undefined);
    }
  }

  const settings = await maybeOne<Cols<typeof storeSettings, 'currency'>>(database.pool, `SELECT currency FROM store_settings ORDER BY store_id LIMIT 1`);
  const currency = settings?.currency ?? 'EUR';
  const codes = new Set((await many<Cols<typeof companies, 'code'>>(database.pool, `SELECT code FROM companies`)).map((r) => r.code));
  const plans: CompanyPlan[] = [];
  for (const [key, s] of [...seen].sort((a, b) => a[0].localeCompare(b[0]))) {
    const name = display.get(key) ?? key;
    if (known(name)) continue;
    const whCodes = new Set<string>();
    const warehouses = [...s.warehouses.values()].map((n) => ({ code: codeFrom(bare(n), 20, whCodes, 'WH'), name: n }));
    const rateCodes = new Set<string>();
    const unreadTemplates: string[] = [];
    const used = [...s.templates].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const taxRates: PlannedTaxRate[] = [];
    for (const [tpl] of used) {
      const rateBp = rateFromTemplate(tpl);
      if (rateBp === undefined) {
        unreadTemplates.push(tpl);
        continue;
      }
      // The rate most items use is the default for items without a template.
      taxRates.push({ code: codeFrom(tpl, 16, rateCodes, 'VAT'), name: tpl, rateBp, isDefault: taxRates.length === 0 });
    }
    plans.push({
      name,
      code: companyCode(name, codes),
      currency,
      currencyExponent: currencyExponent(currency),
      sources: [...s.sources].sort(),
      warehouses: warehouses.length ? warehouses : [{ code: 'MAIN', name: `${name} main` }],
      defaultWarehouse: warehouses.length === 0,
      taxRates,
      unreadTemplates,
    });
  }
  return plans;
}

/** Plans as the company list the import resolves against (ids made up: a dry run writes nothing). */
export function plannedCompanyInfos(plans: CompanyPlan[], newId: () => string): CompanyInfo[] {
  return plans.map((p) => {
    const taxRates = p.taxRates.map((r) => ({ id: newId(), code: r.code, name: r.name, isDefault: r.isDefault }));
    return {
      id: newId(),
      code: p.code,
      name: p.name,
      currency: p.currency,
      currencyExponent: p.currencyExponent,
      defaultTaxRateId: taxRates.find((r) => r.isDefault)?.id ?? null,
      taxRates: taxRates.map(({ id, code, name }) => ({ id, code, name })),
      planned: true,
    };
  });
}

async function audit(client: PoolClient, actor: string, action: string, entity: string, id: string, after: unknown) {
  await client.query(`INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('admin', $1, $2, $3, $4, $5)`, [
    actor,
    action,
    entity,
    id,
    JSON.stringify(after),
  ]);
}

/**
 * Creates the planned companies with their warehouses and tax rates in one transaction (and the store
 * row and settings when the store is empty). Returns nothing new when another run created them meanwhile.
 */
export async function createPlannedCompanies(database: Database, plans: CompanyPlan[], actor: string): Promise<void> {
  if (plans.length === 0) return;
  await withTransaction(database, async (client) => {
    await client.query('LOCK TABLE companies IN SHARE ROW EXCLUSIVE MODE');
    let store = (await maybeOne<Cols<typeof stores, 'id'>>(client, `SELECT id FROM stores ORDER BY created_at LIMIT 1`))?.id;
    if (!store) {
      store = (await one<Cols<typeof stores, 'id'>>(client, `INSERT INTO stores (name) VALUES ('Store') RETURNING id`)).id;
      await audit(client, actor, 'store.created', 'store', store, { name: 'Store' });
    }
    let firstCompany: string | null = null;
    for (const p of plans) {
      if (await execute(client, `SELECT 1 FROM companies WHERE lower(name) = lower($1)`, [p.name])) continue;
      const company = await one<SqlRow<typeof companies>>(
        client,
        `INSERT INTO companies (code, name, currency, currency_exponent) VALUES ($1, $2, $3, $4) RETURNING *`,
        [p.code, p.name, p.currency, p.currencyExponent],
      );
      firstCompany ??= company.id;
      const warehouses = [];
      for (const [i, w] of p.warehouses.entries()) {
        warehouses.push(
          await one<Cols<typeof warehouseTable, 'id' | 'code' | 'name' | 'is_default'>>(
            client,
            `INSERT INTO warehouses (company_id, store_id, code, name, is_default) VALUES ($1, $2, $3, $4, $5) RETURNING id, code, name, is_default`,
            [company.id, store, w.code, w.name, i === 0],
          ),
        );
      }
      const rates = [];
      for (const r of p.taxRates) {
        rates.push(
          await one<Cols<typeof taxRates, 'id' | 'code' | 'name' | 'rate_bp' | 'is_default'>>(
            client,
            `INSERT INTO tax_rates (company_id, code, name, rate_bp, is_default) VALUES ($1, $2, $3, $4, $5) RETURNING id, code, name, rate_bp, is_default`,
            [company.id, r.code, r.name, r.rateBp, r.isDefault],
          ),
        );
      }
      await audit(client, actor, 'company.created', 'company', company.id, {
        ...company,
        source: 'erpnext import',
        erpnextNames: p.sources,
        warehouses,
        taxRates: rates,
      });
    }
    if (firstCompany) {
      const settings = await maybeOne<Cols<typeof storeSettings, 'store_id' | 'default_company_id'>>(
        client,
        `SELECT store_id, default_company_id FROM store_settings WHERE store_id = $1`,
        [store],
      );
      if (!settings) await client.query(`INSERT INTO store_settings (store_id, default_company_id) VALUES ($1, $2)`, [store, firstCompany]);
      else if (!settings.default_company_id)
        await client.query(`UPDATE store_settings SET default_company_id = $2, updated_at = now() WHERE store_id = $1`, [store, firstCompany]);
    }
  });
}

/** Summary lines: what was (or, on a dry run, would be) created. */
export function formatCompanyPlans(plans: CompanyPlan[], dryRun: boolean): string[] {
  if (plans.length === 0) return [];
  const verb = dryRun ? 'would create' : 'created';
  const lines = [`Companies ${verb}:`];
  for (const p of plans) {
    lines.push(`  ${p.name} (code ${p.code}, ${p.currency}) from ${p.sources.map((s) => `"${s}"`).join(', ')}`);
    lines.push(
      `    warehouses: ${p.warehouses.map((w) => `${w.code} "${w.name}"`).join(', ')}${p.defaultWarehouse ? ' (the export names none: one default warehouse)' : ''}`,
    );
    lines.push(
      p.taxRates.length
        ? `    VAT rates: ${p.taxRates.map((r) => `${r.name} (${r.rateBp / 100} %)${r.isDefault ? ' default' : ''}`).join(', ')}`
        : '    VAT rates: none found in the export; items get no VAT rate until you add one (Admin → Tax rates) and re-import',
    );
    if (p.unreadTemplates.length) lines.push(`    not read as rates (no percentage in the name): ${p.unreadTemplates.join(', ')}`);
  }
  return lines;
}
