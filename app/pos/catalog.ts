// What the register can sell, read from its local copy of the catalog (works offline).
import type { Queryable } from '../../sync/register/db-protocol';

export interface CatalogItem {
  itemId: string;
  companyId: string;
  code: string;
  barcode: string | null;
  name: string;
  uom: string;
  unitPrecision: number;
  unitPrice: number;
  taxRateId: string;
  rateBp: number;
  maxDiscountBp: number;
}

const SELECT = `
  SELECT i.id AS item_id, i.company_id, i.code, b.code AS barcode, i.name, i.uom, i.unit_precision,
         p.amount AS unit_price, t.id AS tax_rate_id, t.rate_bp, i.max_discount_bp
    FROM items i
    JOIN prices p ON p.item_id = i.id AND p.price_list = 'Standard Selling'
    JOIN tax_rates t ON t.id = i.tax_rate_id
    LEFT JOIN barcodes b ON b.item_id = i.id`;

type Row = {
  item_id: string;
  company_id: string;
  code: string;
  barcode: string | null;
  name: string;
  uom: string;
  unit_precision: number;
  unit_price: number;
  tax_rate_id: string;
  rate_bp: number;
  max_discount_bp: number;
};

const toItem = (r: Row): CatalogItem => ({
  itemId: r.item_id,
  companyId: r.company_id,
  code: r.code,
  barcode: r.barcode,
  name: r.name,
  uom: r.uom,
  unitPrecision: r.unit_precision,
  unitPrice: r.unit_price,
  taxRateId: r.tax_rate_id,
  rateBp: r.rate_bp,
  maxDiscountBp: r.max_discount_bp,
});

/** Every sellable item carrying this barcode, one per company at most. */
export async function itemsByBarcode(pg: Queryable, code: string): Promise<CatalogItem[]> {
  const r = await pg.query<Row>(`${SELECT} WHERE b.code = $1 AND NOT i.disabled AND i.allow_sales`, [code]);
  return r.rows.map(toItem);
}

/** Name or item-code search across the given companies, for the search box. */
export async function searchCatalog(pg: Queryable, q: string, companyIds: string[], limit = 20): Promise<CatalogItem[]> {
  const like = `%${q.replace(/[\\%_]/g, '\\$&')}%`;
  const r = await pg.query<Row>(
    `${SELECT.replace('SELECT', 'SELECT DISTINCT ON (i.name, i.id)')}
      WHERE i.company_id = ANY($2::uuid[]) AND NOT i.disabled AND i.allow_sales
        AND (i.name ILIKE $1 OR i.code ILIKE $1 OR b.code = $3)
      ORDER BY i.name, i.id LIMIT $4`,
    [like, companyIds, q, limit],
  );
  return r.rows.map(toItem);
}
