// Set-based writes of validated items (item, barcodes, price) in one transaction per batch.
// Every upsert only touches rows whose values differ, so a repeated import updates nothing and
// the change-capture triggers stay quiet.
import type pg from 'pg';
import type { Database } from '../db/client';
import { many, type Cols } from '../db/query';
import type { barcodes, items, prices } from '../db/schema';
import { withTransaction } from '../db/transaction';
import type { ItemCandidate } from './item-records';
import { SELLING_PRICE_LIST } from './item-price-records';

export type WriteStatus = 'created' | 'updated' | 'unchanged';

/** A price upsert's RETURNING: which item, and whether the row is new (xmax = 0). */
type PriceWrite = Cols<typeof prices, 'item_id'> & { inserted: boolean };

export interface ItemWriteResult {
  candidate: ItemCandidate;
  status: WriteStatus;
  /** What happened to the price (null: the item carried no price). */
  priceStatus: WriteStatus | null;
  error?: string;
}

/** Which item (by code) owns each of these barcodes in the company now. */
export async function findBarcodeOwners(database: Database, companyId: string, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await many<Cols<typeof barcodes, 'code'> & { item_code: string }>(
    database.pool,
    `SELECT b.code, i.code AS item_code FROM barcodes b JOIN items i ON i.id = b.item_id
      WHERE b.company_id = $1 AND b.code = ANY($2::text[])`,
    [companyId, codes],
  );
  return new Map(rows.map((x) => [x.code, x.item_code]));
}

/** Runs `fn` in a transaction; `rollback` (dry runs) undoes it after measuring what it would change. */
export const inTransaction = <T>(database: Database, fn: (c: pg.PoolClient) => Promise<T>, rollback = false): Promise<T> =>
  withTransaction(database, fn, { rollback });

async function writeCompanyItems(c: pg.PoolClient, companyId: string, list: ItemCandidate[]): Promise<ItemWriteResult[]> {
  // Only rows that are new or differ reach the INSERT: unchanged rows are not even locked.
  const upserted = await many<Cols<typeof items, 'code'> & { inserted: boolean }>(
    c,
    `WITH u AS (
       SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::uuid[], $8::bool[], $9::bool[], $10::bool[])
         AS u(code, name, item_group, uom, unit_precision, tax_rate_id, disabled, allow_sales, maintain_stock)
     ), changed AS (
       SELECT u.* FROM u LEFT JOIN items x ON x.company_id = $1 AND x.code = u.code
        WHERE x.id IS NULL
           OR (x.name, x.item_group, x.uom, x.unit_precision, x.tax_rate_id, x.disabled, x.allow_sales, x.maintain_stock)
              IS DISTINCT FROM (u.name, u.item_group, u.uom, u.unit_precision, u.tax_rate_id, u.disabled, u.allow_sales, u.maintain_stock)
     )
     INSERT INTO items AS i (company_id, code, name, item_group, uom, unit_precision, tax_rate_id, disabled, allow_sales, maintain_stock)
     SELECT $1::uuid, code, name, item_group, uom, unit_precision, tax_rate_id, disabled, allow_sales, maintain_stock FROM changed
     ON CONFLICT (company_id, code) DO UPDATE SET
       name = EXCLUDED.name, item_group = EXCLUDED.item_group, uom = EXCLUDED.uom, unit_precision = EXCLUDED.unit_precision,
       tax_rate_id = EXCLUDED.tax_rate_id, disabled = EXCLUDED.disabled, allow_sales = EXCLUDED.allow_sales,
       maintain_stock = EXCLUDED.maintain_stock, updated_at = now()
     WHERE (i.name, i.item_group, i.uom, i.unit_precision, i.tax_rate_id, i.disabled, i.allow_sales, i.maintain_stock)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.item_group, EXCLUDED.uom, EXCLUDED.unit_precision, EXCLUDED.tax_rate_id,
                         EXCLUDED.disabled, EXCLUDED.allow_sales, EXCLUDED.maintain_stock)
     RETURNING i.code, (i.xmax = 0) AS inserted`,
    [
      companyId,
      list.map((x) => x.code),
      list.map((x) => x.name),
      list.map((x) => x.itemGroup),
      list.map((x) => x.uom),
      list.map((x) => x.unitPrecision),
      list.map((x) => x.taxRateId),
      list.map((x) => x.disabled),
      list.map((x) => x.allowSales),
      list.map((x) => x.maintainStock),
    ],
  );
  const touched = new Map<string, boolean>(upserted.map((r) => [r.code, r.inserted]));
  const ids = new Map<string, string>(
    (
      await many<Cols<typeof items, 'id' | 'code'>>(c, `SELECT id, code FROM items WHERE company_id = $1 AND code = ANY($2::text[])`, [
        companyId,
        list.map((x) => x.code),
      ])
    ).map((r) => [r.code, r.id]),
  );
  const changedChildren = new Set<string>();

  const withBarcodes = list.filter((x) => x.barcodes !== null);
  if (withBarcodes.length) {
    const itemIds: string[] = [];
    const codes: string[] = [];
    const types: string[] = [];
    for (const x of withBarcodes)
      for (const b of x.barcodes!) {
        itemIds.push(ids.get(x.code)!);
        codes.push(b.code);
        types.push(b.type);
      }
    // Stored barcodes the export no longer lists (only items that existed before can have any).
    const existing = withBarcodes.filter((x) => touched.get(x.code) !== true).map((x) => ids.get(x.code)!);
    const removed = existing.length
      ? await many<Cols<typeof barcodes, 'item_id'>>(
          c,
          `DELETE FROM barcodes b WHERE b.id IN (
             SELECT s.id FROM barcodes s
               LEFT JOIN unnest($2::uuid[], $3::text[]) AS k(item_id, code) ON k.item_id = s.item_id AND k.code = s.code
              WHERE s.item_id = ANY($1::uuid[]) AND k.item_id IS NULL)
           RETURNING b.item_id`,
          [existing, itemIds, codes],
        )
      : [];
    for (const r of removed) changedChildren.add(r.item_id);
    if (codes.length) {
      const put = await many<Cols<typeof barcodes, 'item_id'>>(
        c,
        `WITH u AS (SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[]) AS u(item_id, code, barcode_type)),
         changed AS (
           SELECT u.* FROM u LEFT JOIN barcodes x ON x.company_id = $1 AND x.code = u.code
            WHERE x.id IS NULL OR (x.item_id, x.barcode_type) IS DISTINCT FROM (u.item_id, u.barcode_type)
         )
         INSERT INTO barcodes AS b (company_id, item_id, code, barcode_type)
         SELECT $1::uuid, item_id, code, barcode_type FROM changed
         ON CONFLICT (company_id, code) DO UPDATE SET item_id = EXCLUDED.item_id, barcode_type = EXCLUDED.barcode_type
         WHERE (b.item_id, b.barcode_type) IS DISTINCT FROM (EXCLUDED.item_id, EXCLUDED.barcode_type)
         RETURNING b.item_id`,
        [companyId, itemIds, codes, types],
      );
      for (const r of put) changedChildren.add(r.item_id);
    }
  }

  const priceStatus = new Map<string, WriteStatus>();
  const priced = list.filter((x) => x.price !== null);
  if (priced.length) {
    const put = await many<PriceWrite>(
      c,
      `WITH u AS (SELECT * FROM unnest($4::uuid[], $5::int[]) AS u(item_id, amount)),
       changed AS (
         SELECT u.* FROM u LEFT JOIN prices x ON x.item_id = u.item_id AND x.price_list = $2
          WHERE x.id IS NULL OR (x.amount, x.currency) IS DISTINCT FROM (u.amount, $3::text)
       )
       INSERT INTO prices AS p (company_id, item_id, price_list, amount, currency)
       SELECT $1::uuid, item_id, $2, amount, $3 FROM changed
       ON CONFLICT (item_id, price_list) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, updated_at = now()
       WHERE (p.amount, p.currency) IS DISTINCT FROM (EXCLUDED.amount, EXCLUDED.currency)
       RETURNING p.item_id, (p.xmax = 0) AS inserted`,
      [companyId, SELLING_PRICE_LIST, priced[0]!.company.currency, priced.map((x) => ids.get(x.code)!), priced.map((x) => x.price!.amount)],
    );
    for (const r of put) {
      priceStatus.set(r.item_id, r.inserted ? 'created' : 'updated');
      changedChildren.add(r.item_id);
    }
  }

  return list.map((candidate) => {
    const id = ids.get(candidate.code)!;
    const inserted = touched.get(candidate.code);
    const status: WriteStatus = inserted === true ? 'created' : inserted === false || changedChildren.has(id) ? 'updated' : 'unchanged';
    return { candidate, status, priceStatus: candidate.price ? (priceStatus.get(id) ?? 'unchanged') : null };
  });
}

async function writeBatch(database: Database, candidates: ItemCandidate[], rollback: boolean): Promise<ItemWriteResult[]> {
  return inTransaction(
    database,
    async (c) => {
      const byCompany = new Map<string, ItemCandidate[]>();
      for (const x of candidates) {
        const list = byCompany.get(x.company.id) ?? [];
        list.push(x);
        byCompany.set(x.company.id, list);
      }
      const results: ItemWriteResult[] = [];
      for (const [companyId, list] of byCompany) results.push(...(await writeCompanyItems(c, companyId, list)));
      return results;
    },
    rollback,
  );
}

/**
 * Writes validated items, each with its barcodes and price, in one transaction. Should the batch fail
 * (a concurrent edit), every item is retried in its own transaction so one bad item rejects only itself.
 */
export async function writeItems(database: Database, candidates: ItemCandidate[], opts: { rollback?: boolean } = {}): Promise<ItemWriteResult[]> {
  if (candidates.length === 0) return [];
  const rollback = opts.rollback ?? false;
  try {
    return await writeBatch(database, candidates, rollback);
  } catch {
    const out: ItemWriteResult[] = [];
    for (const candidate of candidates) {
      try {
        out.push(...(await writeBatch(database, [candidate], rollback)));
      } catch (e) {
        out.push({ candidate, status: 'unchanged', priceStatus: null, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return out;
  }
}

export interface StoredPrice {
  companyId: string;
  itemId: string;
  amount: number;
  currency: string;
}

/** Stored items with these codes, by company (for Item Price rows whose item is not in this import). */
export async function findItems(database: Database, codes: string[]): Promise<{ id: string; companyId: string; code: string; uom: string }[]> {
  if (codes.length === 0) return [];
  const rows = await many<Cols<typeof items, 'id' | 'company_id' | 'code' | 'uom'>>(
    database.pool,
    `SELECT id, company_id, code, uom FROM items WHERE code = ANY($1::text[])`,
    [codes],
  );
  return rows.map((x) => ({
    id: x.id,
    companyId: x.company_id,
    code: x.code,
    uom: x.uom,
  }));
}

/** Upserts Standard Selling prices of stored items; returns each price's status in input order. */
export async function writePrices(database: Database, prices: StoredPrice[], opts: { rollback?: boolean } = {}): Promise<WriteStatus[]> {
  if (prices.length === 0) return [];
  return inTransaction(
    database,
    async (c) => {
      const r = await many<PriceWrite>(
        c,
        `INSERT INTO prices AS p (company_id, item_id, price_list, amount, currency)
       SELECT u.company_id, u.item_id, $1, u.amount, u.currency FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[]) AS u(company_id, item_id, amount, currency)
       ON CONFLICT (item_id, price_list) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, updated_at = now()
       WHERE (p.amount, p.currency) IS DISTINCT FROM (EXCLUDED.amount, EXCLUDED.currency)
       RETURNING p.item_id, (p.xmax = 0) AS inserted`,
        [SELLING_PRICE_LIST, prices.map((p) => p.companyId), prices.map((p) => p.itemId), prices.map((p) => p.amount), prices.map((p) => p.currency)],
      );
      const status = new Map<string, WriteStatus>(r.map((x) => [x.item_id, x.inserted ? 'created' : 'updated']));
      return prices.map((p) => status.get(p.itemId) ?? 'unchanged');
    },
    opts.rollback ?? false,
  );
}
