// A large generated catalog for one company: items with a barcode and a price each, made with
// set-based SQL through the normal tables (so the change-capture triggers log every row, as an
// import would). Used by the large-catalog benches (catalog-100k, backup-100k).
import type { Database } from '../db/client';

/** Adds `items` items (codes K-000001…) to company `code`; returns how long it took. */
export async function generateCatalog(database: Database, items: number, code = 'U'): Promise<{ companyId: string; ms: number }> {
  const company = (await database.pool.query<{ id: string }>(`SELECT id FROM companies WHERE code = $1`, [code])).rows[0]!.id;
  const tax = (await database.pool.query<{ id: string }>(`SELECT id FROM tax_rates WHERE company_id = $1 ORDER BY is_default DESC, code LIMIT 1`, [company]))
    .rows[0]!.id;
  const t0 = Date.now();
  await database.pool.query(
    `INSERT INTO items (company_id, code, name, item_group, tax_rate_id, max_discount_bp)
     SELECT $1, 'K-' || lpad(g::text, 6, '0'), 'Catalog item ' || g, 'Group ' || (g % 40), $2, 1000 FROM generate_series(1, $3::int) g`,
    [company, tax, items],
  );
  await database.pool.query(
    `INSERT INTO barcodes (company_id, item_id, code, barcode_type)
     SELECT company_id, id, '29' || lpad(substr(code, 3), 11, '0'), 'EAN-13' FROM items WHERE company_id = $1 AND code LIKE 'K-%'`,
    [company],
  );
  await database.pool.query(
    `INSERT INTO prices (company_id, item_id, amount, currency)
     SELECT company_id, id, 49 + (hashtext(code) & 4095), 'EUR' FROM items WHERE company_id = $1 AND code LIKE 'K-%'`,
    [company],
  );
  return { companyId: company, ms: Date.now() - t0 };
}
