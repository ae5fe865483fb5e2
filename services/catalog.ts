// Read side of companies, items and barcodes for the API and the back office.
import type { Database } from '../db/client';
import { execute, many, maybeOne, type Cols } from '../db/query';
import type { companies, items, prices, taxRates } from '../db/schema';
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
  const rows = await many<Cols<typeof companies, 'id' | 'code' | 'name' | 'currency' | 'currency_exponent'> & { is_default: boolean }>(
    database.pool,
    `
    SELECT c.id, c.code, c.name, c.currency, c.currency_exponent,
           EXISTS (SELECT 1 FROM store_settings s WHERE s.default_company_id = c.id) AS is_default
      FROM companies c ORDER BY c.name`,
  );
  return rows.map((x) => ({
    id: x.id,
    code: x.code,
    name: x.name,
    currency: x.currency,
    currencyExponent: x.currency_exponent,
    isDefault: x.is_default,
  }));
}

export async function companyExists(database: Database, companyId: string): Promise<boolean> {
  return (await execute(database.pool, 'SELECT 1 FROM companies WHERE id = $1', [companyId])) === 1;
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

// prices and tax_rates are LEFT JOINed: an item may have neither.
type ItemRow = Cols<typeof items, 'id' | 'company_id' | 'code' | 'name' | 'item_group' | 'uom' | 'unit_precision' | 'max_discount_bp' | 'disabled'> & {
  price: Cols<typeof prices, 'amount'>['amount'] | null;
  currency: Cols<typeof prices, 'currency'>['currency'] | null;
  rate_bp: Cols<typeof taxRates, 'rate_bp'>['rate_bp'] | null;
  barcodes: string[];
};

function toItem(x: ItemRow): ItemView {
  return {
    id: x.id,
    companyId: x.company_id,
    code: x.code,
    name: x.name,
    itemGroup: x.item_group,
    uom: x.uom,
    unitPrecision: x.unit_precision,
    price: x.price,
    currency: x.currency,
    rateBp: x.rate_bp,
    maxDiscountBp: x.max_discount_bp,
    disabled: x.disabled,
    barcodes: x.barcodes,
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
  const rows = (await many<ItemRow>(database.pool, `${itemSelect} WHERE ${where.join(' AND ')} ORDER BY i.name, i.id LIMIT $${params.length}`, params)).map(
    toItem,
  );
  const more = rows.length > opts.limit;
  const page = more ? rows.slice(0, opts.limit) : rows;
  const last = page[page.length - 1];
  return { items: page, nextCursor: more && last ? encodeCursor({ k: last.name, id: last.id }) : null };
}

export async function findItemByBarcode(database: Database, companyId: string, barcode: string): Promise<ItemView | undefined> {
  const row = await maybeOne<ItemRow>(database.pool, `${itemSelect} JOIN barcodes bc ON bc.item_id = i.id WHERE bc.company_id = $1 AND bc.code = $2`, [
    companyId,
    barcode,
  ]);
  return row ? toItem(row) : undefined;
}
