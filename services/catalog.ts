// Read side of companies, items and barcodes for the API and the back office.
import type { Database } from '../db/client';
import { decodeCursor, encodeCursor } from './pagination';

export interface CompanyView {
  id: string;
  code: string;
  name: string;
  currency: string;
  currencyExponent: number;
  isDefault: boolean;
}

export async function listCompanies(database: Database): Promise<CompanyView[]> {
  const r = await database.pool.query(`
    SELECT c.id, c.code, c.name, c.currency, c.currency_exponent,
           EXISTS (SELECT 1 FROM store_settings s WHERE s.default_company_id = c.id) AS is_default
      FROM companies c ORDER BY c.name`);
  return r.rows.map((x) => ({
    id: x.id,
    code: x.code,
    name: x.name,
    currency: x.currency,
    currencyExponent: x.currency_exponent,
    isDefault: x.is_default,
  }));
}

export async function companyExists(database: Database, companyId: string): Promise<boolean> {
  const r = await database.pool.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
  return r.rowCount === 1;
}

export interface ItemView {
  id: string;
  companyId: string;
  code: string;
  name: string;
  itemGroup: string;
  uom: string;
  unitPrecision: number;
  price: number | null;
  currency: string | null;
  rateBp: number | null;
  maxDiscountBp: number;
  disabled: boolean;
  barcodes: string[];
}

const itemSelect = `
  SELECT i.id, i.company_id, i.code, i.name, i.item_group, i.uom, i.unit_precision, i.max_discount_bp, i.disabled,
         p.amount AS price, p.currency, t.rate_bp,
         COALESCE((SELECT array_agg(b.code ORDER BY b.code) FROM barcodes b WHERE b.item_id = i.id), '{}') AS barcodes
    FROM items i
    LEFT JOIN prices p ON p.item_id = i.id AND p.price_list = 'Standard Selling'
    LEFT JOIN tax_rates t ON t.id = i.tax_rate_id`;

function toItem(x: Record<string, unknown>): ItemView {
  return {
    id: x.id as string,
    companyId: x.company_id as string,
    code: x.code as string,
    name: x.name as string,
    itemGroup: x.item_group as string,
    uom: x.uom as string,
    unitPrecision: x.unit_precision as number,
    price: (x.price as number | null) ?? null,
    currency: (x.currency as string | null) ?? null,
    rateBp: (x.rate_bp as number | null) ?? null,
    maxDiscountBp: x.max_discount_bp as number,
    disabled: x.disabled as boolean,
    barcodes: x.barcodes as string[],
  };
}

/** Items of one company ordered by name, optionally filtered by a name/code/barcode search. */
export async function searchItems(
  database: Database,
  opts: { companyId: string; q?: string; limit: number; cursor?: string },
): Promise<{ items: ItemView[]; nextCursor: string | null }> {
  const params: unknown[] = [opts.companyId];
  const where = ['i.company_id = $1'];
  if (opts.q) {
    params.push(`%${opts.q.replace(/[\\%_]/g, '\\$&')}%`, opts.q);
    where.push(
      `(i.name ILIKE $${params.length - 1} OR i.code ILIKE $${params.length - 1} OR EXISTS (SELECT 1 FROM barcodes b WHERE b.item_id = i.id AND b.code = $${params.length}))`,
    );
  }
  const cursor = decodeCursor(opts.cursor);
  if (cursor) {
    params.push(cursor.k, cursor.id);
    where.push(`(i.name, i.id) > ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(opts.limit + 1);
  const r = await database.pool.query(
    `${itemSelect} WHERE ${where.join(' AND ')} ORDER BY i.name, i.id LIMIT $${params.length}`,
    params,
  );
  const rows = r.rows.map(toItem);
  const more = rows.length > opts.limit;
  const page = more ? rows.slice(0, opts.limit) : rows;
  const last = page[page.length - 1];
  return { items: page, nextCursor: more && last ? encodeCursor({ k: last.name, id: last.id }) : null };
}

export async function findItemByBarcode(
  database: Database,
  companyId: string,
  barcode: string,
): Promise<ItemView | undefined> {
  const r = await database.pool.query(
    `${itemSelect} JOIN barcodes bc ON bc.item_id = i.id WHERE bc.company_id = $1 AND bc.code = $2`,
    [companyId, barcode],
  );
  return r.rows[0] ? toItem(r.rows[0]) : undefined;
}
