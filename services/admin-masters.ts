// Master data a store set up from zero needs from the back office: the store itself (name, address,
// time zone, currency), companies, items with all their fields, item groups, customers, and tax
// rates switched off. Same rules as every back-office change (ADR 501): zod-parsed input, errors
// naming the field, one transaction with its audit entry; the synced tables reach registers through
// their change-capture triggers (item_groups is edge-only: items carry the group's name).
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { Database } from '../db/client';
import { DomainError } from '../core/errors';
import { execute, many, maybeOne, one as oneRow, type Cols, type Queryable, type SqlRow } from '../db/query';
import type { companies, taxRates } from '../db/schema';
import { companyEditForm, companyForm, storeForm, taxRateActiveForm } from './forms/store';
import { itemEditForm, itemForm, itemGroupForm, itemGroupRenameForm } from './forms/catalog';
import { customerEditForm, customerForm } from './forms/customers';
import { inTransaction, isUniqueViolation, parseAmount, parseInput, parseRatePercent, UUID_RE, writeAudit } from './admin-common';

const uuid = (what: string) => z.string({ error: `choose a ${what}` }).regex(UUID_RE, `choose a ${what}`);
type Query = Queryable;
/** The first row or undefined; untyped rows come back as `Record<string, unknown>`. */
const one = <T extends object = Record<string, unknown>>(client: Query, sql: string, params: unknown[] = []): Promise<T | undefined> =>
  maybeOne<T & Record<string, unknown>>(client, sql, params);

function currencyExponent(code: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
}

// ---------------------------------------------------------------- store

export interface StoreView {
  id: string | null;
  name: string;
  address: string;
  timeZone: string;
  currency: string;
}

export async function getStore(database: Database): Promise<StoreView> {
  const x = await one(
    database.pool,
    `SELECT st.id, st.name, st.address, ss.time_zone, ss.currency FROM stores st LEFT JOIN store_settings ss ON ss.store_id = st.id ORDER BY st.created_at LIMIT 1`,
  );
  return {
    id: (x?.id as string) ?? null,
    name: (x?.name as string) ?? '',
    address: (x?.address as string) ?? '',
    timeZone: (x?.time_zone as string) ?? 'UTC',
    currency: (x?.currency as string) ?? 'EUR',
  };
}

/** Creates the store (and its settings row) on a store set up from zero, or updates it. */
export async function saveStore(database: Database, input: unknown, actor: string): Promise<{ id: string }> {
  const data = parseInput(storeForm, input);
  return inTransaction(database, async (client) => {
    const before = await one<{ id: string }>(client, `SELECT * FROM stores ORDER BY created_at LIMIT 1 FOR UPDATE`);
    const settingsBefore = before ? await one(client, `SELECT * FROM store_settings WHERE store_id = $1 FOR UPDATE`, [before.id]) : undefined;
    const store = before
      ? await one<{ id: string }>(client, `UPDATE stores SET name = $2, address = $3, updated_at = now() WHERE id = $1 RETURNING *`, [
          before.id,
          data.name,
          data.address,
        ])
      : await one<{ id: string }>(client, `INSERT INTO stores (name, address) VALUES ($1, $2) RETURNING *`, [data.name, data.address]);
    const firstCompany = await one<{ id: string }>(client, `SELECT id FROM companies ORDER BY created_at LIMIT 1`);
    const settings = await one(
      client,
      `INSERT INTO store_settings (store_id, default_company_id, time_zone, currency) VALUES ($1, $2, $3, $4)
       ON CONFLICT (store_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, currency = EXCLUDED.currency,
              default_company_id = COALESCE(store_settings.default_company_id, EXCLUDED.default_company_id), updated_at = now()
       RETURNING *`,
      [store!.id, firstCompany?.id ?? null, data.timeZone, data.currency],
    );
    await writeAudit(client, {
      actor,
      action: before ? 'store.updated' : 'store.created',
      entity: 'store',
      entityId: store!.id,
      before: before ? { ...before, settings: settingsBefore } : undefined,
      after: { ...store, settings },
    });
    return { id: store!.id };
  });
}

// ---------------------------------------------------------------- companies

export interface CompanyDetail {
  id: string;
  code: string;
  name: string;
  legalName: string;
  vatId: string;
  address: string;
  receiptFooter: string;
  currency: string;
  currencyExponent: number;
  roundingMode: string;
  taxRounding: string;
  pricesIncludeTax: boolean;
  warehouses: number;
  sales: number;
}

export async function listCompanyDetails(database: Database): Promise<CompanyDetail[]> {
  const rows = await many<SqlRow<typeof companies> & { warehouses: number; sales: number }>(
    database.pool,
    `SELECT c.*, (SELECT count(*)::int FROM warehouses w WHERE w.company_id = c.id) AS warehouses,
            (SELECT count(*)::int FROM sales s WHERE s.company_id = c.id) AS sales
       FROM companies c ORDER BY c.name`,
  );
  return rows.map((x) => ({
    id: x.id,
    code: x.code,
    name: x.name,
    legalName: x.legal_name,
    vatId: x.vat_id,
    address: x.address,
    receiptFooter: x.receipt_footer,
    currency: x.currency,
    currencyExponent: x.currency_exponent,
    roundingMode: x.rounding_mode,
    taxRounding: x.tax_rounding,
    pricesIncludeTax: x.prices_include_tax,
    warehouses: x.warehouses,
    sales: x.sales,
  }));
}

/** Names are matched ignoring case elsewhere (the importer), so two may not differ only in case. */
async function assertCompanyNameFree(client: Query, name: string, exceptId: string | null): Promise<void> {
  if (await one(client, `SELECT 1 FROM companies WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2`, [name, exceptId])) {
    throw new DomainError('conflict', 'name', `name: another company is called "${name}"`);
  }
}

function companyConflict(e: unknown, data: { name: string; code: string }): never {
  if (isUniqueViolation(e, 'companies_code_unique')) throw new DomainError('conflict', 'code', `code: another company uses ${data.code}`);
  if (isUniqueViolation(e)) throw new DomainError('conflict', 'name', `name: another company is called "${data.name}"`);
  throw e;
}

/** A new company (currency: the store's unless given); the store's default invoice company if it has none. */
export async function createCompany(database: Database, input: unknown, actor: string): Promise<{ id: string }> {
  const data = parseInput(companyForm, input);
  try {
    return await inTransaction(database, async (client) => {
      const settings = await one<{ store_id: string; currency: string; default_company_id: string | null }>(
        client,
        `SELECT store_id, currency, default_company_id FROM store_settings ORDER BY store_id LIMIT 1 FOR UPDATE`,
      );
      await assertCompanyNameFree(client, data.name, null);
      const cur = data.currency ?? settings?.currency ?? 'EUR';
      const after = await one<{ id: string }>(
        client,
        `INSERT INTO companies (code, name, legal_name, vat_id, address, receipt_footer, currency, currency_exponent, rounding_mode, tax_rounding, prices_include_tax)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [
          data.code,
          data.name,
          data.legalName,
          data.vatId,
          data.address,
          data.receiptFooter,
          cur,
          currencyExponent(cur),
          data.roundingMode,
          data.taxRounding,
          data.pricesIncludeTax,
        ],
      );
      if (settings && !settings.default_company_id) {
        await client.query(`UPDATE store_settings SET default_company_id = $2, updated_at = now() WHERE store_id = $1`, [settings.store_id, after!.id]);
      }
      await writeAudit(client, { actor, action: 'company.created', entity: 'company', entityId: after!.id, after });
      return { id: after!.id };
    });
  } catch (e) {
    companyConflict(e, data);
  }
}

/** Every field but the currency (prices and books are kept in it). The code only while the company has no sales. */
export async function editCompany(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(companyEditForm, input);
  try {
    await inTransaction(database, async (client) => {
      const before = await one<{ code: string }>(client, `SELECT * FROM companies WHERE id = $1 FOR UPDATE`, [data.id]);
      if (!before) throw new DomainError('not_found', null, 'no such company');
      await assertCompanyNameFree(client, data.name, data.id);
      if (before.code !== data.code && (await one(client, `SELECT 1 FROM sales WHERE company_id = $1 LIMIT 1`, [data.id]))) {
        throw new DomainError('conflict', 'code', `code: receipts were already numbered with ${before.code}; the code can no longer change`);
      }
      const after = await one(
        client,
        `UPDATE companies SET code = $2, name = $3, legal_name = $4, vat_id = $5, address = $6, receipt_footer = $7,
                rounding_mode = $8, tax_rounding = $9, prices_include_tax = $10, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [
          data.id,
          data.code,
          data.name,
          data.legalName,
          data.vatId,
          data.address,
          data.receiptFooter,
          data.roundingMode,
          data.taxRounding,
          data.pricesIncludeTax,
        ],
      );
      await writeAudit(client, { actor, action: 'company.updated', entity: 'company', entityId: data.id, before, after });
    });
  } catch (e) {
    companyConflict(e, data);
  }
}

// ---------------------------------------------------------------- item groups

export interface ItemGroupView {
  /** Null for a name items carry that is not a managed group. */
  id: string | null;
  name: string;
  items: number;
}

/** The managed groups plus, unmanaged, any group name items carry (e.g. from an import). */
export async function listItemGroups(database: Database): Promise<ItemGroupView[]> {
  // The unmanaged names have no id.
  const rows = await many<{ id: string | null; name: string; items: number }>(
    database.pool,
    `SELECT g.id, g.name, (SELECT count(*)::int FROM items i WHERE i.item_group = g.name) AS items FROM item_groups g
     UNION ALL
     SELECT NULL, i.item_group, count(*)::int FROM items i
      WHERE i.item_group <> '' AND NOT EXISTS (SELECT 1 FROM item_groups g WHERE g.name = i.item_group) GROUP BY i.item_group
     ORDER BY 2`,
  );
  return rows.map((x) => ({ id: x.id, name: x.name, items: x.items }));
}

export async function createItemGroup(database: Database, input: unknown, actor: string): Promise<{ id: string }> {
  const data = parseInput(itemGroupForm, input);
  try {
    return await inTransaction(database, async (client) => {
      const after = await one<{ id: string }>(client, `INSERT INTO item_groups (name) VALUES ($1) RETURNING *`, [data.name]);
      await writeAudit(client, { actor, action: 'item_group.created', entity: 'item_group', entityId: after!.id, after });
      return { id: after!.id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'name', `name: the group "${data.name}" exists`);
    throw e;
  }
}

/** Renames a group and every item in it (items carry the name, so registers see the new one). */
export async function renameItemGroup(database: Database, input: unknown, actor: string): Promise<{ items: number }> {
  const data = parseInput(itemGroupRenameForm, input);
  try {
    return await inTransaction(database, async (client) => {
      const before = await one<{ name: string }>(client, `SELECT * FROM item_groups WHERE id = $1 FOR UPDATE`, [data.id]);
      if (!before) throw new DomainError('not_found', null, 'no such item group');
      const after = await one(client, `UPDATE item_groups SET name = $2, updated_at = now() WHERE id = $1 RETURNING *`, [data.id, data.name]);
      const moved = await client.query(`UPDATE items SET item_group = $2, updated_at = now() WHERE item_group = $1`, [before.name, data.name]);
      await writeAudit(client, {
        actor,
        action: 'item_group.renamed',
        entity: 'item_group',
        entityId: data.id,
        before,
        after: { ...after, items: moved.rowCount },
      });
      return { items: moved.rowCount ?? 0 };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'name', `name: the group "${data.name}" exists`);
    throw e;
  }
}

// ---------------------------------------------------------------- items

export interface ItemFormOptions {
  companies: { id: string; name: string; currency: string; currencyExponent: number }[];
  /** Active rates only: a deactivated rate cannot be chosen for items. */
  taxRates: { id: string; companyId: string; code: string; name: string; rateBp: number; isDefault: boolean }[];
  groups: string[];
}

export async function itemFormOptions(database: Database): Promise<ItemFormOptions> {
  const [companyRows, rates, groups] = await Promise.all([
    many<Cols<typeof companies, 'id' | 'name' | 'currency' | 'currency_exponent'>>(
      database.pool,
      `SELECT id, name, currency, currency_exponent FROM companies ORDER BY name`,
    ),
    many<Cols<typeof taxRates, 'id' | 'company_id' | 'code' | 'name' | 'rate_bp' | 'is_default'>>(
      database.pool,
      `SELECT id, company_id, code, name, rate_bp, is_default FROM tax_rates WHERE active ORDER BY company_id, is_default DESC, rate_bp DESC`,
    ),
    listItemGroups(database),
  ]);
  return {
    companies: companyRows.map((c) => ({ id: c.id, name: c.name, currency: c.currency, currencyExponent: c.currency_exponent })),
    taxRates: rates.map((t) => ({ id: t.id, companyId: t.company_id, code: t.code, name: t.name, rateBp: t.rate_bp, isDefault: t.is_default })),
    groups: groups.map((g) => g.name),
  };
}

export interface ItemMaster {
  id: string;
  companyId: string;
  code: string;
  name: string;
  itemGroup: string;
  uom: string;
  weighed: boolean;
  taxRateId: string | null;
  maxDiscountBp: number;
  active: boolean;
  price: number | null;
  barcodes: string[];
}

export async function getItemMaster(database: Database, itemId: string): Promise<ItemMaster | undefined> {
  if (!UUID_RE.test(itemId)) return undefined;
  const x = await one(
    database.pool,
    `SELECT i.*, p.amount AS price, COALESCE((SELECT array_agg(b.code ORDER BY b.code) FROM barcodes b WHERE b.item_id = i.id), '{}') AS barcodes
       FROM items i LEFT JOIN prices p ON p.item_id = i.id AND p.price_list = 'Standard Selling' WHERE i.id = $1`,
    [itemId],
  );
  if (!x) return undefined;
  return {
    id: x.id as string,
    companyId: x.company_id as string,
    code: x.code as string,
    name: x.name as string,
    itemGroup: x.item_group as string,
    uom: x.uom as string,
    weighed: (x.unit_precision as number) > 0,
    taxRateId: x.tax_rate_id as string | null,
    maxDiscountBp: x.max_discount_bp as number,
    active: !(x.disabled as boolean),
    price: x.price as number | null,
    barcodes: x.barcodes as string[],
  };
}

interface ItemRow {
  id: string;
  company_id: string;
}

async function checkItemRefs(client: Query, companyId: string, taxRateId: string, itemGroup: string): Promise<{ currency: string; exponent: number }> {
  const company = await one<{ currency: string; currency_exponent: number }>(client, `SELECT currency, currency_exponent FROM companies WHERE id = $1`, [
    companyId,
  ]);
  if (!company) throw new DomainError('invalid', 'companyId', 'companyId: no such company');
  const rate = await one<{ active: boolean }>(client, `SELECT active FROM tax_rates WHERE id = $1 AND company_id = $2`, [taxRateId, companyId]);
  if (!rate) throw new DomainError('invalid', 'taxRateId', "taxRateId: not a tax rate of the item's company");
  if (!rate.active) throw new DomainError('invalid', 'taxRateId', 'taxRateId: this tax rate is deactivated; choose an active one');
  if (itemGroup && !(await one(client, `SELECT 1 FROM item_groups WHERE name = $1 UNION ALL SELECT 1 FROM items WHERE item_group = $1 LIMIT 1`, [itemGroup]))) {
    throw new DomainError('invalid', 'itemGroup', 'itemGroup: no such item group; create it under Item groups first');
  }
  return { currency: company.currency, exponent: company.currency_exponent };
}

/** Replaces the item's barcodes with `codes`, refusing one another item of the company has. */
async function setBarcodes(client: Query, item: ItemRow, codes: string[]): Promise<void> {
  const taken = await one<{ code: string; item_code: string }>(
    client,
    `SELECT b.code, i.code AS item_code FROM barcodes b JOIN items i ON i.id = b.item_id
      WHERE b.company_id = $1 AND b.code = ANY($2::text[]) AND b.item_id <> $3 LIMIT 1`,
    [item.company_id, codes, item.id],
  );
  if (taken) throw new DomainError('conflict', 'barcodes', `barcodes: ${taken.code} already belongs to item ${taken.item_code} in this company`);
  await client.query(`DELETE FROM barcodes WHERE item_id = $1 AND NOT (code = ANY($2::text[]))`, [item.id, codes]);
  for (const code of codes) {
    const type = /^[0-9]{13}$/.test(code) ? 'EAN-13' : /^[0-9]{8}$/.test(code) ? 'EAN-8' : '';
    await client.query(`INSERT INTO barcodes (company_id, item_id, code, barcode_type) VALUES ($1, $2, $3, $4) ON CONFLICT (company_id, code) DO NOTHING`, [
      item.company_id,
      item.id,
      code,
      type,
    ]);
  }
}

async function setPrice(client: Query, item: ItemRow, amount: number, currencyCode: string): Promise<void> {
  await client.query(
    `INSERT INTO prices (company_id, item_id, price_list, amount, currency) VALUES ($1, $2, 'Standard Selling', $3, $4)
     ON CONFLICT (item_id, price_list) DO UPDATE SET amount = EXCLUDED.amount, updated_at = now() WHERE prices.amount <> EXCLUDED.amount`,
    [item.company_id, item.id, amount, currencyCode],
  );
}

function parseItemNumbers(data: { price: string; maxDiscount: string }, exponent: number) {
  const price = parseAmount(data.price, exponent, 'price');
  const maxDiscountBp = parseRatePercent(data.maxDiscount || '0', 'maxDiscount');
  return { price, maxDiscountBp };
}

async function itemSnapshot(client: Query, id: string) {
  return one(
    client,
    `SELECT i.*, p.amount AS price, COALESCE((SELECT array_agg(b.code ORDER BY b.code) FROM barcodes b WHERE b.item_id = i.id), '{}') AS barcodes
       FROM items i LEFT JOIN prices p ON p.item_id = i.id AND p.price_list = 'Standard Selling' WHERE i.id = $1`,
    [id],
  );
}

function itemConflict(e: unknown, code: string): never {
  if (isUniqueViolation(e, 'items_company_code')) throw new DomainError('conflict', 'code', `code: item ${code} exists in this company`);
  if (isUniqueViolation(e, 'barcodes_company_code'))
    throw new DomainError('conflict', 'barcodes', 'barcodes: a barcode already belongs to another item of this company');
  throw e;
}

export async function createItem(database: Database, input: unknown, actor: string): Promise<{ id: string }> {
  const data = parseInput(itemForm, input);
  try {
    return await inTransaction(database, async (client) => {
      const company = await checkItemRefs(client, data.companyId, data.taxRateId, data.itemGroup);
      const { price, maxDiscountBp } = parseItemNumbers(data, company.exponent);
      const item = (await one<ItemRow>(
        client,
        `INSERT INTO items (id, company_id, code, name, item_group, uom, unit_precision, tax_rate_id, max_discount_bp, disabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, company_id`,
        [randomUUID(), data.companyId, data.code, data.name, data.itemGroup, data.uom, data.weighed ? 3 : 0, data.taxRateId, maxDiscountBp, !data.active],
      ))!;
      await setPrice(client, item, price, company.currency);
      await setBarcodes(client, item, data.barcodes);
      await writeAudit(client, { actor, action: 'item.created', entity: 'item', entityId: item.id, after: await itemSnapshot(client, item.id) });
      return { id: item.id };
    });
  } catch (e) {
    itemConflict(e, data.code);
  }
}

/** Every field of an item; its company stays. Past sales keep the rate they were sold at (sale_lines). */
export async function editItem(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(itemEditForm.extend({ itemId: uuid('item') }), input);
  try {
    await inTransaction(database, async (client) => {
      const item = await one<ItemRow & { tax_rate_id: string | null }>(client, `SELECT id, company_id, tax_rate_id FROM items WHERE id = $1 FOR UPDATE`, [
        data.itemId,
      ]);
      if (!item) throw new DomainError('not_found', null, 'no such item');
      const before = await itemSnapshot(client, item.id);
      // Keeping a rate that was deactivated since is allowed; choosing one is not.
      const company =
        item.tax_rate_id === data.taxRateId
          ? await checkItemRefs(client, item.company_id, data.taxRateId, data.itemGroup).catch((e) => {
              if (e instanceof DomainError && e.field === 'taxRateId' && /deactivated/.test(e.message)) return companyOf(client, item.company_id);
              throw e;
            })
          : await checkItemRefs(client, item.company_id, data.taxRateId, data.itemGroup);
      const { price, maxDiscountBp } = parseItemNumbers(data, company.exponent);
      await client.query(
        `UPDATE items SET code = $2, name = $3, item_group = $4, uom = $5, unit_precision = $6, tax_rate_id = $7, max_discount_bp = $8,
                disabled = $9, updated_at = now() WHERE id = $1`,
        [item.id, data.code, data.name, data.itemGroup, data.uom, data.weighed ? 3 : 0, data.taxRateId, maxDiscountBp, !data.active],
      );
      await setPrice(client, item, price, company.currency);
      await setBarcodes(client, item, data.barcodes);
      await writeAudit(client, { actor, action: 'item.updated', entity: 'item', entityId: item.id, before, after: await itemSnapshot(client, item.id) });
    });
  } catch (e) {
    itemConflict(e, data.code);
  }
}

async function companyOf(client: Query, id: string): Promise<{ currency: string; exponent: number }> {
  const c = (await one<{ currency: string; currency_exponent: number }>(client, `SELECT currency, currency_exponent FROM companies WHERE id = $1`, [id]))!;
  return { currency: c.currency, exponent: c.currency_exponent };
}

// ---------------------------------------------------------------- customers

export interface CustomerDetail {
  id: string;
  code: string;
  name: string;
  phone: string;
  email: string;
  taxId: string;
  address: string;
  customerGroup: string;
  disabled: boolean;
  credit: { companyId: string; creditLimit: number; balance: number }[];
}

export async function getCustomer(database: Database, customerId: string): Promise<CustomerDetail | undefined> {
  if (!UUID_RE.test(customerId)) return undefined;
  const x = await one(
    database.pool,
    `SELECT c.*, COALESCE((SELECT json_agg(json_build_object('companyId', cc.company_id, 'creditLimit', cc.credit_limit, 'balance', cc.balance))
                             FROM customer_credit cc WHERE cc.customer_id = c.id), '[]') AS credit
       FROM customers c WHERE c.id = $1`,
    [customerId],
  );
  if (!x) return undefined;
  return {
    id: x.id as string,
    code: x.code as string,
    name: x.name as string,
    phone: x.phone as string,
    email: x.email as string,
    taxId: x.tax_id as string,
    address: x.address as string,
    customerGroup: x.customer_group as string,
    disabled: x.disabled as boolean,
    credit: x.credit as CustomerDetail['credit'],
  };
}

const CREDIT_KEY = /^creditLimit\.([0-9a-f-]{36})$/i;

/** `creditLimit.<companyId>` fields (blank = leave as is) as minor units of each company's currency. */
async function parseCreditLimits(client: Query, input: unknown): Promise<{ companyId: string; creditLimit: number }[]> {
  const out: { companyId: string; creditLimit: number }[] = [];
  for (const [key, value] of Object.entries((input ?? {}) as Record<string, unknown>)) {
    const m = CREDIT_KEY.exec(key);
    if (!m || typeof value !== 'string' || value.trim() === '') continue;
    const company = await one<{ currency_exponent: number }>(client, `SELECT currency_exponent FROM companies WHERE id = $1`, [m[1]]);
    if (!company) throw new DomainError('invalid', key, `${key}: no such company`);
    out.push({ companyId: m[1]!, creditLimit: parseAmount(value, company.currency_exponent, key) });
  }
  return out;
}

async function writeCredit(client: Query, customerId: string, limits: { companyId: string; creditLimit: number }[]): Promise<void> {
  // Every company gets a credit row (0 = no credit), as the importer does; balances are never touched.
  await client.query(`INSERT INTO customer_credit (customer_id, company_id) SELECT $1, id FROM companies ON CONFLICT DO NOTHING`, [customerId]);
  for (const l of limits) {
    await client.query(`UPDATE customer_credit SET credit_limit = $3, updated_at = now() WHERE customer_id = $1 AND company_id = $2 AND credit_limit <> $3`, [
      customerId,
      l.companyId,
      l.creditLimit,
    ]);
  }
}

async function customerSnapshot(client: Query, id: string) {
  return one(
    client,
    `SELECT c.*, COALESCE((SELECT json_agg(json_build_object('companyId', cc.company_id, 'creditLimit', cc.credit_limit) ORDER BY cc.company_id)
                             FROM customer_credit cc WHERE cc.customer_id = c.id), '[]') AS credit FROM customers c WHERE c.id = $1`,
    [id],
  );
}

export async function createCustomer(database: Database, input: unknown, actor: string): Promise<{ id: string; code: string }> {
  const data = parseInput(customerForm, input);
  try {
    return await inTransaction(database, async (client) => {
      const limits = await parseCreditLimits(client, input);
      let code = data.code;
      if (!code) {
        await client.query(`LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE`);
        const n = (await one<{ n: number }>(client, `SELECT COALESCE(max(substring(code FROM '^CUST-([0-9]{1,9})$')::int), 0) + 1 AS n FROM customers`))!.n;
        code = `CUST-${String(n).padStart(5, '0')}`;
      }
      const row = await one<{ id: string }>(
        client,
        `INSERT INTO customers (code, name, phone, email, tax_id, address, customer_group, disabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [code, data.name, data.phone, data.email, data.taxId, data.address, data.customerGroup, !data.active],
      );
      await writeCredit(client, row!.id, limits);
      await writeAudit(client, { actor, action: 'customer.created', entity: 'customer', entityId: row!.id, after: await customerSnapshot(client, row!.id) });
      return { id: row!.id, code };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'code', `code: customer ${data.code} exists`);
    throw e;
  }
}

export async function editCustomer(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(customerEditForm.extend({ customerId: uuid('customer') }), input);
  await inTransaction(database, async (client) => {
    if (!(await one(client, `SELECT 1 FROM customers WHERE id = $1 FOR UPDATE`, [data.customerId])))
      throw new DomainError('not_found', null, 'no such customer');
    const limits = await parseCreditLimits(client, input);
    const before = await customerSnapshot(client, data.customerId);
    await client.query(
      `UPDATE customers SET name = $2, phone = $3, email = $4, tax_id = $5, address = $6, customer_group = $7, disabled = $8, updated_at = now() WHERE id = $1`,
      [data.customerId, data.name, data.phone, data.email, data.taxId, data.address, data.customerGroup, !data.active],
    );
    await writeCredit(client, data.customerId, limits);
    await writeAudit(client, {
      actor,
      action: 'customer.updated',
      entity: 'customer',
      entityId: data.customerId,
      before,
      after: await customerSnapshot(client, data.customerId),
    });
  });
}

// ---------------------------------------------------------------- tax rates

/**
 * Switches a rate off (or on again). Items that have it keep it, and sales keep the rate they were
 * sold at; a deactivated rate just cannot be chosen for items any more. The default rate stays on.
 */
export async function setTaxRateActive(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(taxRateActiveForm, input);
  await inTransaction(database, async (client) => {
    const before = await one<{ is_default: boolean; active: boolean }>(client, `SELECT * FROM tax_rates WHERE id = $1 FOR UPDATE`, [data.taxRateId]);
    if (!before) throw new DomainError('not_found', null, 'no such tax rate');
    if (!data.active && before.is_default)
      throw new DomainError('invalid', 'taxRateId', 'taxRateId: the default rate stays active; make another rate the default first');
    if (before.active === data.active) return;
    const after = await one(client, `UPDATE tax_rates SET active = $2, updated_at = now() WHERE id = $1 RETURNING *`, [data.taxRateId, data.active]);
    await writeAudit(client, {
      actor,
      action: data.active ? 'tax_rate.activated' : 'tax_rate.deactivated',
      entity: 'tax_rate',
      entityId: data.taxRateId,
      before,
      after,
    });
  });
}

// ---------------------------------------------------------------- setup walkthrough

export interface SetupStep {
  key: 'store' | 'companies' | 'warehouses' | 'register' | 'cashier';
  title: string;
  done: boolean;
  /** What is there now, in a few words. */
  status: string;
  /** The form that does this step. */
  href: string;
}

/** Where a store set up from zero stands: each step is done when what it makes exists. */
export async function setupSteps(database: Database): Promise<SetupStep[]> {
  const x = await oneRow<{ store: string | null; time_zone: string | null; companies: number; without_warehouse: number; registers: number; cashiers: number }>(
    database.pool,
    `SELECT (SELECT name FROM stores ORDER BY created_at LIMIT 1) AS store,
              (SELECT time_zone FROM store_settings ORDER BY store_id LIMIT 1) AS time_zone,
              (SELECT count(*)::int FROM companies) AS companies,
              (SELECT count(*)::int FROM companies c WHERE NOT EXISTS (SELECT 1 FROM warehouses w WHERE w.company_id = c.id)) AS without_warehouse,
              (SELECT count(*)::int FROM registers) AS registers,
              (SELECT count(*)::int FROM cashiers WHERE active) AS cashiers`,
  );
  return [
    {
      key: 'store',
      title: 'Store',
      done: Boolean(x.store),
      status: x.store ? `${x.store} · ${x.time_zone ?? 'UTC'}` : 'not set up',
      href: '/admin/setup?step=store',
    },
    {
      key: 'companies',
      title: 'Companies',
      done: x.companies > 0,
      status: `${x.companies} compan${x.companies === 1 ? 'y' : 'ies'}`,
      href: '/admin/companies',
    },
    {
      key: 'warehouses',
      title: 'A warehouse per company',
      done: x.companies > 0 && x.without_warehouse === 0,
      status:
        x.companies === 0
          ? 'add a company first'
          : x.without_warehouse
            ? `${x.without_warehouse} compan${x.without_warehouse === 1 ? 'y has' : 'ies have'} none`
            : 'every company has one',
      href: '/admin/warehouses',
    },
    { key: 'register', title: 'A register', done: x.registers > 0, status: `${x.registers} register(s)`, href: '/admin/registers/new' },
    { key: 'cashier', title: 'A cashier', done: x.cashiers > 0, status: `${x.cashiers} active cashier(s)`, href: '/admin/cashiers' },
  ];
}

/** A store with no company yet is being set up: the back office opens on the walkthrough. */
export async function storeNeedsSetup(database: Database): Promise<boolean> {
  return !(await execute(database.pool, `SELECT 1 FROM companies LIMIT 1`));
}
