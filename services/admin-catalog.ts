// Back-office edits of items (name, price, barcodes, enabled) and customers' credit limits.
// Amounts arrive as decimal text and are stored as integer minor units of the company currency.
import * as z from 'zod';
import type { Database } from '../db/client';
import { execute, maybeOne, one, type Cols, type SqlRow } from '../db/query';
import type { barcodes, companies, customerCredit, items, prices } from '../db/schema';
import { DomainError } from '../core/errors';
import { inTransaction, isUniqueViolation, parseAmount, parseInput, UUID_RE, writeAudit } from './admin-common';
import { barcodeForm, barcodeRemoveForm, itemQuickForm } from './forms/catalog';
import { creditLimitForm } from './forms/customers';

const uuid = (what: string) => z.string().regex(UUID_RE, `choose a ${what}`);

export interface AdminItemDetail {
  id: string;
  companyId: string;
  companyName: string;
  currency: string;
  currencyExponent: number;
  code: string;
  name: string;
  itemGroup: string;
  uom: string;
  disabled: boolean;
  price: number | null;
  taxRateCode: string | null;
  rateBp: number | null;
  barcodes: { id: string; code: string; barcodeType: string }[];
  updatedAt: string;
}

export async function getAdminItem(database: Database, itemId: string): Promise<AdminItemDetail | undefined> {
  if (!UUID_RE.test(itemId)) return undefined;
  type Row = Cols<typeof items, 'id' | 'company_id' | 'code' | 'name' | 'item_group' | 'uom' | 'disabled' | 'updated_at'> &
    Cols<typeof companies, 'currency' | 'currency_exponent'> & {
      company_name: string;
      price: number | null;
      tax_code: string | null;
      rate_bp: number | null;
      barcodes: AdminItemDetail['barcodes'];
    };
  const x = await maybeOne<Row>(
    database.pool,
    `SELECT i.id, i.company_id, c.name AS company_name, c.currency, c.currency_exponent, i.code, i.name, i.item_group, i.uom, i.disabled,
            p.amount AS price, t.code AS tax_code, t.rate_bp, i.updated_at,
            COALESCE((SELECT json_agg(json_build_object('id', b.id, 'code', b.code, 'barcodeType', b.barcode_type) ORDER BY b.code)
                        FROM barcodes b WHERE b.item_id = i.id), '[]') AS barcodes
       FROM items i JOIN companies c ON c.id = i.company_id
       LEFT JOIN prices p ON p.item_id = i.id AND p.price_list = 'Standard Selling'
       LEFT JOIN tax_rates t ON t.id = i.tax_rate_id
      WHERE i.id = $1`,
    [itemId],
  );
  if (!x) return undefined;
  return {
    id: x.id,
    companyId: x.company_id,
    companyName: x.company_name,
    currency: x.currency,
    currencyExponent: x.currency_exponent,
    code: x.code,
    name: x.name,
    itemGroup: x.item_group,
    uom: x.uom,
    disabled: x.disabled,
    price: x.price,
    taxRateCode: x.tax_code,
    rateBp: x.rate_bp,
    barcodes: x.barcodes,
    updatedAt: x.updated_at.toISOString(),
  };
}

/** Name, Standard Selling price and enabled flag of one item. */
export async function updateItem(database: Database, input: unknown, actor: string): Promise<{ price: number }> {
  const data = parseInput(itemQuickForm.extend({ itemId: uuid('item') }), input);
  return inTransaction(database, async (client) => {
    const item = await maybeOne<
      SqlRow<typeof items> & Cols<typeof companies, 'currency' | 'currency_exponent'> & { price: Cols<typeof prices, 'amount'>['amount'] | null }
    >(
      client,
      `SELECT i.*, c.currency, c.currency_exponent, p.amount AS price FROM items i JOIN companies c ON c.id = i.company_id
         LEFT JOIN prices p ON p.item_id = i.id AND p.price_list = 'Standard Selling' WHERE i.id = $1 FOR UPDATE OF i`,
      [data.itemId],
    );
    if (!item) throw new DomainError('not_found', null, 'no such item');
    const price = parseAmount(data.price, item.currency_exponent, 'price');
    const before = { name: item.name, disabled: item.disabled, price: item.price };
    await client.query(`UPDATE items SET name = $2, disabled = $3, updated_at = now() WHERE id = $1`, [data.itemId, data.name, !data.enabled]);
    await client.query(
      `INSERT INTO prices (company_id, item_id, price_list, amount, currency) VALUES ($1, $2, 'Standard Selling', $3, $4)
       ON CONFLICT (item_id, price_list) DO UPDATE SET amount = EXCLUDED.amount, updated_at = now() WHERE prices.amount <> EXCLUDED.amount`,
      [item.company_id, data.itemId, price, item.currency],
    );
    await writeAudit(client, {
      actor,
      action: 'item.updated',
      entity: 'item',
      entityId: data.itemId,
      before,
      after: { name: data.name, disabled: !data.enabled, price },
    });
    return { price };
  });
}

export async function addBarcode(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(barcodeForm.extend({ itemId: uuid('item') }), input);
  try {
    await inTransaction(database, async (client) => {
      const item = await maybeOne<Cols<typeof items, 'id' | 'company_id'>>(client, `SELECT id, company_id FROM items WHERE id = $1`, [data.itemId]);
      if (!item) throw new DomainError('not_found', null, 'no such item');
      const taken = await maybeOne<Cols<typeof items, 'code' | 'name'>>(
        client,
        `SELECT i.code, i.name FROM barcodes b JOIN items i ON i.id = b.item_id WHERE b.company_id = $1 AND b.code = $2`,
        [item.company_id, data.barcode],
      );
      if (taken) throw new DomainError('conflict', 'barcode', `barcode: ${data.barcode} already belongs to ${taken.code} ${taken.name} in this company`);
      const type = /^[0-9]{13}$/.test(data.barcode) ? 'EAN-13' : /^[0-9]{8}$/.test(data.barcode) ? 'EAN-8' : '';
      const added = await one<Cols<typeof barcodes, 'id'>>(
        client,
        `INSERT INTO barcodes (company_id, item_id, code, barcode_type) VALUES ($1, $2, $3, $4) RETURNING id`,
        [item.company_id, data.itemId, data.barcode, type],
      );
      await writeAudit(client, { actor, action: 'barcode.added', entity: 'item', entityId: data.itemId, after: { barcodeId: added.id, code: data.barcode } });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'barcode', `barcode: ${data.barcode} already exists in this company`);
    throw e;
  }
}

export async function removeBarcode(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(barcodeRemoveForm.extend({ itemId: uuid('item') }), input);
  await inTransaction(database, async (client) => {
    const removed = await maybeOne<Cols<typeof barcodes, 'code'>>(client, `DELETE FROM barcodes WHERE id = $1 AND item_id = $2 RETURNING code`, [
      data.barcodeId,
      data.itemId,
    ]);
    if (!removed) throw new DomainError('not_found', null, 'no such barcode on this item');
    await writeAudit(client, {
      actor,
      action: 'barcode.removed',
      entity: 'item',
      entityId: data.itemId,
      before: { barcodeId: data.barcodeId, code: removed.code },
    });
  });
}

/** Sets one company's credit limit for a shared customer (creating the credit row if missing). */
export async function setCreditLimit(database: Database, input: unknown, actor: string): Promise<{ creditLimit: number }> {
  const data = parseInput(creditLimitForm, input);
  return inTransaction(database, async (client) => {
    const company = await maybeOne<Cols<typeof companies, 'currency_exponent'>>(client, `SELECT currency_exponent FROM companies WHERE id = $1`, [
      data.companyId,
    ]);
    if (!company) throw new DomainError('invalid', 'companyId', 'companyId: no such company');
    if (!(await execute(client, `SELECT 1 FROM customers WHERE id = $1`, [data.customerId]))) throw new DomainError('not_found', null, 'no such customer');
    const creditLimit = parseAmount(data.creditLimit, company.currency_exponent, 'creditLimit');
    const before = await maybeOne<Cols<typeof customerCredit, 'credit_limit' | 'balance'>>(
      client,
      `SELECT credit_limit, balance FROM customer_credit WHERE customer_id = $1 AND company_id = $2 FOR UPDATE`,
      [data.customerId, data.companyId],
    );
    await client.query(
      `INSERT INTO customer_credit (customer_id, company_id, credit_limit) VALUES ($1, $2, $3)
       ON CONFLICT (customer_id, company_id) DO UPDATE SET credit_limit = EXCLUDED.credit_limit, updated_at = now()`,
      [data.customerId, data.companyId, creditLimit],
    );
    await writeAudit(client, {
      actor,
      action: 'customer.credit_limit_set',
      entity: 'customer',
      entityId: data.customerId,
      before: before ? { companyId: data.companyId, creditLimit: before.credit_limit } : null,
      after: { companyId: data.companyId, creditLimit },
    });
    return { creditLimit };
  });
}
