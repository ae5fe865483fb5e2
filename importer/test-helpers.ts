// Shared by the importer tests: two companies with tax rates in a fresh database, temp CSV folders.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../db/client';
import { one } from '../db/query';

export interface TestCompanies {
  official: { id: string; vat20: string; vat10: string; vat0: string };
  unofficial: { id: string; vat20: string; vat10: string; vat0: string };
}

/** Companies "Official" (O) and "Unofficial" (U), EUR, each with VAT 20 % (default), 10 % and 0 %. */
export async function createCompanies(database: Database, opts: { exponent?: number } = {}): Promise<TestCompanies> {
  const { pool } = database;
  const out: Record<string, { id: string; vat20: string; vat10: string; vat0: string }> = {};
  for (const [code, name] of [
    ['O', 'Official'],
    ['U', 'Unofficial'],
  ] as const) {
    const { id } = await one<{ id: string }>(pool, `INSERT INTO companies (code, name, currency_exponent) VALUES ($1, $2, $3) RETURNING id`, [
      code,
      name,
      opts.exponent ?? 2,
    ]);
    const rates = (
      await pool.query(
        `INSERT INTO tax_rates (company_id, code, name, rate_bp, is_default) VALUES
           ($1, 'VAT20', 'VAT 20%', 2000, true), ($1, 'VAT10', 'VAT 10%', 1000, false), ($1, 'VAT0', 'VAT exempt', 0, false)
         RETURNING id, code`,
        [id],
      )
    ).rows as { id: string; code: string }[];
    const rate = (c: string) => rates.find((r) => r.code === c)!.id;
    out[code] = { id, vat20: rate('VAT20'), vat10: rate('VAT10'), vat0: rate('VAT0') };
  }
  return { official: out.O!, unofficial: out.U! };
}

/** A fresh temp folder holding these files. */
export function csvFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'erpnext-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

export async function changeLogCount(database: Database): Promise<number> {
  return (await one<{ n: number }>(database.pool, 'SELECT count(*)::int AS n FROM change_log')).n;
}
