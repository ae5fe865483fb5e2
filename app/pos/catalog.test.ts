import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyLocalSchema } from '../../sync/register/shape-sync';
import { itemsByBarcode, searchCatalog } from './catalog';

const O = '00000000-0000-4000-8000-00000000000a';
const U = '00000000-0000-4000-8000-00000000000b';

describe('register catalog (local database)', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = await PGlite.create();
    await applyLocalSchema(pg);
    for (const [company, n, price] of [
      [O, 1, 250],
      [U, 2, 199],
    ] as const) {
      const tax = `00000000-0000-4000-8000-0000000001${n}0`;
      const item = `00000000-0000-4000-8000-0000000002${n}0`;
      await pg.query(`INSERT INTO tax_rates (id, company_id, code, name, rate_bp, is_default, active) VALUES ($1,$2,'VAT20','VAT',2000,true,true)`, [
        tax,
        company,
      ]);
      await pg.query(
        `INSERT INTO items (id, company_id, code, name, uom, unit_precision, tax_rate_id, max_discount_bp, disabled, allow_sales) VALUES ($1,$2,$3,'Milk 1L','Nos',0,$4,1000,false,true)`,
        [item, company, `C${n}`, tax],
      );
      await pg.query(`INSERT INTO barcodes (id, company_id, item_id, code) VALUES (gen_random_uuid(), $1, $2, '4000000000013')`, [company, item]);
      await pg.query(
        `INSERT INTO prices (id, company_id, item_id, price_list, amount, currency) VALUES (gen_random_uuid(), $1, $2, 'Standard Selling', $3, 'EUR')`,
        [company, item, price],
      );
    }
  });
  afterAll(() => pg.close());

  it('finds a shared barcode in both companies with each company price', async () => {
    const found = await itemsByBarcode(pg, '4000000000013');
    expect(found.map((i) => [i.companyId, i.unitPrice]).sort()).toEqual([
      [O, 250],
      [U, 199],
    ]);
    expect(await itemsByBarcode(pg, '999')).toEqual([]);
  });

  it('searches by name, code or barcode within the given companies', async () => {
    expect((await searchCatalog(pg, 'milk', [O, U])).length).toBe(2);
    expect((await searchCatalog(pg, 'C2', [O])).length).toBe(0);
    expect((await searchCatalog(pg, '4000000000013', [U]))[0]!.companyId).toBe(U);
  });
});
