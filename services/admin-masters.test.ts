// A store from zero through the back office: store, companies, warehouses, register, cashier,
// item groups, items, customers and tax rates, on an empty database (no demo).
import { describe, expect, it } from 'vitest';
import { DomainError, type ErrorKind } from '../core/errors';
import { backends, useMigratedDatabase } from '../test/databases';
import {
  createCompany,
  createCustomer,
  createItem,
  createItemGroup,
  editCompany,
  editCustomer,
  editItem,
  getCustomer,
  getItemMaster,
  getStore,
  itemFormOptions,
  listItemGroups,
  renameItemGroup,
  saveStore,
  setTaxRateActive,
  setupSteps,
  storeNeedsSetup,
} from './admin-masters';
import { createCashier, createRegister, createTaxRate, createWarehouse, getStoreSettings, updateStoreSettings } from './admin-setup';
import { getStoreTimeZone } from './store-time';

const ACTOR = 'owner@shop.test';

async function rejects(p: Promise<unknown>, kind: ErrorKind, field: string) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).kind).toBe(kind);
  expect((e as DomainError).field).toBe(field);
  expect((e as DomainError).message).toContain(field);
}

describe.each(backends)('master data from zero on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const q = async (sql: string, params: unknown[] = []) => (await t.database.pool.query(sql, params)).rows;
  const audited = async (action: string, entityId?: string) =>
    (
      await q(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND actor_id = $2 AND ($3::text IS NULL OR entity_id = $3)`, [
        action,
        ACTOR,
        entityId ?? null,
      ])
    )[0].n;
  const captured = async (table: string) => (await q(`SELECT count(*)::int AS n FROM change_log WHERE table_name = $1`, [table]))[0].n as number;
  const ids: Record<string, string> = {};

  it('creates the store with its time zone and currency, then updates it', async () => {
    expect(await storeNeedsSetup(t.database)).toBe(true);
    expect((await setupSteps(t.database)).filter((x) => x.done)).toEqual([]);
    await rejects(saveStore(t.database, { name: '', timeZone: 'UTC', currency: 'EUR' }, ACTOR), 'invalid', 'name');
    await rejects(saveStore(t.database, { name: 'Corner shop', timeZone: 'Europe/Atlantis', currency: 'EUR' }, ACTOR), 'invalid', 'timeZone');
    await rejects(saveStore(t.database, { name: 'Corner shop', timeZone: 'UTC', currency: 'EURO' }, ACTOR), 'invalid', 'currency');
    const { id } = await saveStore(t.database, { name: 'Corner shop', address: '2 High St', timeZone: 'Europe/Paris', currency: 'eur' }, ACTOR);
    ids.store = id;
    expect(await getStore(t.database)).toEqual({ id, name: 'Corner shop', address: '2 High St', timeZone: 'Europe/Paris', currency: 'EUR' });
    expect(await audited('store.created', id)).toBe(1);
    expect(await captured('store_settings')).toBe(1);
    await saveStore(t.database, { name: 'Corner shop', address: '2 High Street', timeZone: 'Europe/Berlin', currency: 'EUR' }, ACTOR);
    expect(await getStoreTimeZone(t.database)).toBe('Europe/Berlin');
    expect(await audited('store.updated', id)).toBe(1);
    expect((await q(`SELECT count(*)::int AS n FROM stores`))[0].n).toBe(1);
  });

  it('creates and edits companies with legal details; the first becomes the default invoice company', async () => {
    const base = { roundingMode: 'HalfUp', taxRounding: 'line', pricesIncludeTax: 'on' };
    await rejects(createCompany(t.database, { ...base, name: 'Official', code: 'O1' }, ACTOR), 'invalid', 'code');
    await rejects(createCompany(t.database, { ...base, name: 'Official', code: 'O', roundingMode: 'Up' }, ACTOR), 'invalid', 'roundingMode');
    await rejects(createCompany(t.database, { ...base, name: 'Official', code: 'O', vatId: 'FR<12>' }, ACTOR), 'invalid', 'vatId');
    const { id } = await createCompany(
      t.database,
      { ...base, name: 'Official', code: 'o', legalName: 'Official Trading SARL', vatId: 'FR12345678901', address: '2 High St', receiptFooter: 'Merci' },
      ACTOR,
    );
    ids.official = id;
    await rejects(createCompany(t.database, { ...base, name: 'Other', code: 'O' }, ACTOR), 'conflict', 'code');
    await rejects(createCompany(t.database, { ...base, name: 'OFFICIAL', code: 'Y' }, ACTOR), 'conflict', 'name');
    ids.unofficial = (await createCompany(t.database, { ...base, name: 'Unofficial', code: 'U', currency: 'USD' }, ACTOR)).id;
    const rows = await q(`SELECT code, name, legal_name, vat_id, receipt_footer, currency, currency_exponent FROM companies WHERE id = $1`, [id]);
    expect(rows[0]).toEqual({
      code: 'O',
      name: 'Official',
      legal_name: 'Official Trading SARL',
      vat_id: 'FR12345678901',
      receipt_footer: 'Merci',
      currency: 'EUR',
      currency_exponent: 2,
    });
    expect((await getStoreSettings(t.database))?.defaultCompanyId).toBe(id);
    expect(await audited('company.created', id)).toBe(1);
    expect(await captured('companies')).toBe(2);

    await editCompany(
      t.database,
      { ...base, id, name: 'Official', code: 'OF', legalName: 'Official Trading SAS', taxRounding: 'invoice', pricesIncludeTax: undefined },
      ACTOR,
    );
    expect((await q(`SELECT code, legal_name, tax_rounding, prices_include_tax FROM companies WHERE id = $1`, [id]))[0]).toEqual({
      code: 'OF',
      legal_name: 'Official Trading SAS',
      tax_rounding: 'invoice',
      prices_include_tax: false,
    });
    await rejects(editCompany(t.database, { ...base, id, name: 'Official', code: 'OF', taxRounding: 'sometimes' }, ACTOR), 'invalid', 'taxRounding');
    expect(await audited('company.updated', id)).toBe(1);
  });

  it('the walkthrough: a warehouse per company, a register and a cashier', async () => {
    for (const [key, code] of [
      ['official', 'MAIN'],
      ['unofficial', 'MAIN'],
    ] as const) {
      await createWarehouse(t.database, { companyId: ids[key], code, name: 'Shop floor' }, ACTOR);
    }
    await createRegister(t.database, { code: 'R01', name: 'Front' }, ACTOR);
    await createCashier(t.database, { name: 'Ana', pin: '4821', companyIds: [ids.official, ids.unofficial] }, ACTOR);
    expect((await q(`SELECT count(*)::int AS n FROM devices`))[0].n).toBe(2);
    expect((await setupSteps(t.database)).map((x) => [x.key, x.done])).toEqual([
      ['store', true],
      ['companies', true],
      ['warehouses', true],
      ['register', true],
      ['cashier', true],
    ]);
    expect(await storeNeedsSetup(t.database)).toBe(false);
  });

  it('manages item groups; a rename moves the items with it', async () => {
    await rejects(createItemGroup(t.database, { name: ' ' }, ACTOR), 'invalid', 'name');
    ids.group = (await createItemGroup(t.database, { name: 'Drinks' }, ACTOR)).id;
    await rejects(createItemGroup(t.database, { name: 'Drinks' }, ACTOR), 'conflict', 'name');
    expect(await audited('item_group.created', ids.group)).toBe(1);
    expect((await listItemGroups(t.database)).map((g) => g.name)).toEqual(['Drinks']);
  });

  it('creates and edits items with every field; refuses a deactivated rate; reaches registers', async () => {
    ids.vat20 = (await createTaxRate(t.database, { companyId: ids.official, code: 'VAT20', name: 'VAT 20%', rate: '20', isDefault: 'on' }, ACTOR)).id;
    ids.vat10 = (await createTaxRate(t.database, { companyId: ids.official, code: 'VAT10', name: 'VAT 10%', rate: '10' }, ACTOR)).id;
    const ok = {
      companyId: ids.official,
      code: 'COLA',
      name: 'Cola 1 l',
      itemGroup: 'Drinks',
      uom: 'Nos',
      taxRateId: ids.vat10,
      price: '1.50',
      barcodes: '4000001 4000002',
      maxDiscount: '10',
      active: 'on',
    };
    await rejects(createItem(t.database, { ...ok, code: '' }, ACTOR), 'invalid', 'code');
    await rejects(createItem(t.database, { ...ok, price: '1,5' }, ACTOR), 'invalid', 'price');
    await rejects(createItem(t.database, { ...ok, barcodes: '12' }, ACTOR), 'invalid', 'barcodes');
    await rejects(createItem(t.database, { ...ok, maxDiscount: '150' }, ACTOR), 'invalid', 'maxDiscount');
    await rejects(createItem(t.database, { ...ok, itemGroup: 'Nope' }, ACTOR), 'invalid', 'itemGroup');
    await rejects(createItem(t.database, { ...ok, taxRateId: '00000000-0000-4000-8000-000000000000' }, ACTOR), 'invalid', 'taxRateId');
    const before = await captured('items');
    const { id } = await createItem(t.database, ok, ACTOR);
    ids.item = id;
    expect(await getItemMaster(t.database, id)).toMatchObject({
      code: 'COLA',
      itemGroup: 'Drinks',
      weighed: false,
      taxRateId: ids.vat10,
      maxDiscountBp: 1000,
      active: true,
      price: 150,
      barcodes: ['4000001', '4000002'],
    });
    expect(await captured('items')).toBe(before + 1);
    expect(await captured('prices')).toBeGreaterThanOrEqual(1);
    expect(await captured('barcodes')).toBeGreaterThanOrEqual(2);
    expect(await audited('item.created', id)).toBe(1);
    await rejects(createItem(t.database, { ...ok, barcodes: '' }, ACTOR), 'conflict', 'code');
    await rejects(createItem(t.database, { ...ok, code: 'COLA2', barcodes: '4000002' }, ACTOR), 'conflict', 'barcodes');

    await editItem(
      t.database,
      { ...ok, itemId: id, name: 'Cola 1.5 l', weighed: 'on', uom: 'Kg', price: '2.10', barcodes: '4000001, 4000003', active: undefined },
      ACTOR,
    );
    expect(await getItemMaster(t.database, id)).toMatchObject({
      name: 'Cola 1.5 l',
      weighed: true,
      uom: 'Kg',
      price: 210,
      barcodes: ['4000001', '4000003'],
      active: false,
    });
    expect(await audited('item.updated', id)).toBe(1);

    // A deactivated rate: the item keeps it, and can still be saved with it, but no item can newly choose it.
    await rejects(setTaxRateActive(t.database, { taxRateId: ids.vat20, active: 'false' }, ACTOR), 'invalid', 'taxRateId');
    const rateChanges = await captured('tax_rates');
    await setTaxRateActive(t.database, { taxRateId: ids.vat10, active: 'false' }, ACTOR);
    expect(await captured('tax_rates')).toBe(rateChanges + 1);
    expect(await audited('tax_rate.deactivated', ids.vat10)).toBe(1);
    expect((await q(`SELECT tax_rate_id FROM items WHERE id = $1`, [id]))[0].tax_rate_id).toBe(ids.vat10);
    await editItem(t.database, { ...ok, itemId: id, name: 'Cola 1.5 l (old rate)' }, ACTOR);
    await rejects(createItem(t.database, { ...ok, code: 'TEA', barcodes: '' }, ACTOR), 'invalid', 'taxRateId');
    expect((await itemFormOptions(t.database)).taxRates.map((r) => r.id)).not.toContain(ids.vat10);
    await editItem(t.database, { ...ok, itemId: id, taxRateId: ids.vat20 }, ACTOR);
    await rejects(editItem(t.database, { ...ok, itemId: id, taxRateId: ids.vat10 }, ACTOR), 'invalid', 'taxRateId');
    await setTaxRateActive(t.database, { taxRateId: ids.vat10, active: 'true' }, ACTOR);
    expect(await audited('tax_rate.activated', ids.vat10)).toBe(1);

    await renameItemGroup(t.database, { id: ids.group, name: 'Beverages' }, ACTOR);
    expect((await getItemMaster(t.database, id))?.itemGroup).toBe('Beverages');
    expect(await audited('item_group.renamed', ids.group)).toBe(1);
  });

  it('creates and edits shared customers with per-company credit', async () => {
    const ok = {
      name: 'Karim Saleh',
      phone: '+33 6 12 34 56 78',
      email: 'karim@example.com',
      taxId: 'FR999',
      address: '3 Rue X',
      customerGroup: 'Retail',
      active: 'on',
    };
    await rejects(createCustomer(t.database, { ...ok, name: '' }, ACTOR), 'invalid', 'name');
    await rejects(createCustomer(t.database, { ...ok, email: 'karim' }, ACTOR), 'invalid', 'email');
    await rejects(createCustomer(t.database, { ...ok, phone: 'call me' }, ACTOR), 'invalid', 'phone');
    await rejects(createCustomer(t.database, { ...ok, [`creditLimit.${ids.official}`]: '1.234' }, ACTOR), 'invalid', `creditLimit.${ids.official}`);
    const before = await captured('customers');
    const { id, code } = await createCustomer(t.database, { ...ok, [`creditLimit.${ids.official}`]: '500.00' }, ACTOR);
    expect(code).toBe('CUST-00001');
    expect((await createCustomer(t.database, { name: 'Nour' }, ACTOR)).code).toBe('CUST-00002');
    const c = await getCustomer(t.database, id);
    expect(c).toMatchObject({
      name: 'Karim Saleh',
      phone: '+33 6 12 34 56 78',
      email: 'karim@example.com',
      taxId: 'FR999',
      address: '3 Rue X',
      customerGroup: 'Retail',
      disabled: false,
    });
    expect(c!.credit.find((x) => x.companyId === ids.official)?.creditLimit).toBe(50000);
    expect(c!.credit.find((x) => x.companyId === ids.unofficial)?.creditLimit).toBe(0);
    expect(await captured('customers')).toBe(before + 2);
    expect(await captured('customer_credit')).toBeGreaterThanOrEqual(2);
    expect(await audited('customer.created', id)).toBe(1);

    await editCustomer(t.database, { ...ok, customerId: id, address: '4 Rue Y', [`creditLimit.${ids.unofficial}`]: '20', active: undefined }, ACTOR);
    const e = await getCustomer(t.database, id);
    expect(e).toMatchObject({ address: '4 Rue Y', disabled: true });
    expect(e!.credit.find((x) => x.companyId === ids.unofficial)?.creditLimit).toBe(2000);
    expect(e!.credit.find((x) => x.companyId === ids.official)?.creditLimit).toBe(50000);
    await rejects(editCustomer(t.database, { ...ok, customerId: id, email: '@' }, ACTOR), 'invalid', 'email');
    expect(await audited('customer.updated', id)).toBe(1);
  });

  it('keeps the time zone a validated setting', async () => {
    const s = (await getStoreSettings(t.database))!;
    await rejects(updateStoreSettings(t.database, { defaultCompanyId: s.defaultCompanyId, timeZone: 'Mars/Olympus' }, ACTOR), 'invalid', 'timeZone');
    await updateStoreSettings(t.database, { defaultCompanyId: s.defaultCompanyId, timeZone: 'America/New_York' }, ACTOR);
    expect(await getStoreTimeZone(t.database)).toBe('America/New_York');
    await updateStoreSettings(t.database, { defaultCompanyId: s.defaultCompanyId }, ACTOR); // a form without the field keeps it
    expect(await getStoreTimeZone(t.database)).toBe('America/New_York');
  });
});
