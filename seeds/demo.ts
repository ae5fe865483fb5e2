// Loads the demo store (two companies, catalog, customers, cashiers) into an empty database.
import { randomUUID } from 'node:crypto';
import { hashPin } from '../core/pin-hash';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { demoCustomers, demoItems } from './demo-data';
import { one } from '../db/query';

export const DEMO_CASHIERS = [
  { name: 'Ana Cashier', pin: '1234' },
  { name: 'Ben Cashier', pin: '5678' },
];

export const DEMO_SIZES = { itemsPerCompany: 2000, sharedBarcodes: 300, customers: 200 };

async function insertChunked<T extends Record<string, unknown>>(insert: (rows: T[]) => Promise<unknown>, rows: T[], size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function isEmpty(database: Database): Promise<boolean> {
  return (await one<{ n: number }>(database.pool, 'SELECT count(*)::int AS n FROM companies')).n === 0;
}

/** Idempotent: does nothing when the database already has companies. Returns whether it seeded. */
export async function seedDemo(database: Database, sizes = DEMO_SIZES): Promise<boolean> {
  if (!(await isEmpty(database))) return false;
  const pinHashes = await Promise.all(DEMO_CASHIERS.map((c) => hashPin(c.pin)));
  await database.db.transaction(async (tx) => {
    const companies = [
      { id: randomUUID(), code: 'O', name: 'Official' },
      { id: randomUUID(), code: 'U', name: 'Unofficial' },
    ];
    await tx.insert(t.companies).values(companies);
    const storeId = randomUUID();
    await tx.insert(t.stores).values({ id: storeId, name: 'Till Demo Store', address: '1 Market Street' });
    await tx.insert(t.storeSettings).values({ storeId, defaultCompanyId: companies[1]!.id, receiptFooter: 'Thank you!' });
    const registerId = randomUUID();
    await tx.insert(t.registers).values({ id: registerId, storeId, code: 'R01', name: 'Front counter' });
    const cashierIds = DEMO_CASHIERS.map(() => randomUUID());
    await tx.insert(t.cashiers).values(DEMO_CASHIERS.map((c, i) => ({ id: cashierIds[i]!, name: c.name, pinHash: pinHashes[i]! })));

    for (const company of companies) {
      const warehouseId = randomUUID();
      await tx
        .insert(t.warehouses)
        .values({ id: warehouseId, companyId: company.id, storeId, code: `${company.code}-MAIN`, name: `${company.name} main`, isDefault: true });
      await tx.insert(t.devices).values({ registerId, companyId: company.id, warehouseId, code: 'R01' });
      await tx.insert(t.cashierCompanies).values(cashierIds.map((cashierId) => ({ cashierId, companyId: company.id })));
      const rates = { VAT20: randomUUID(), VAT10: randomUUID(), VAT0: randomUUID() };
      await tx.insert(t.taxRates).values([
        { id: rates.VAT20, companyId: company.id, code: 'VAT20', name: 'VAT 20%', rateBp: 2000, isDefault: true },
        { id: rates.VAT10, companyId: company.id, code: 'VAT10', name: 'VAT 10%', rateBp: 1000 },
        { id: rates.VAT0, companyId: company.id, code: 'VAT0', name: 'VAT exempt', rateBp: 0 },
      ]);
      const catalog = demoItems(company.code, sizes.itemsPerCompany, sizes.sharedBarcodes).map((d) => ({ ...d, id: randomUUID() }));
      await insertChunked(
        (rows) => tx.insert(t.items).values(rows),
        catalog.map((d) => ({
          id: d.id,
          companyId: company.id,
          code: d.code,
          name: d.name,
          itemGroup: d.itemGroup,
          uom: d.uom,
          unitPrecision: d.unitPrecision,
          taxRateId: rates[d.taxCode],
          maxDiscountBp: d.maxDiscountBp,
        })),
      );
      await insertChunked(
        (rows) => tx.insert(t.barcodes).values(rows),
        catalog.map((d) => ({
          companyId: company.id,
          itemId: d.id,
          code: d.barcode,
          barcodeType: 'EAN-13',
        })),
      );
      await insertChunked(
        (rows) => tx.insert(t.prices).values(rows),
        catalog.map((d) => ({
          companyId: company.id,
          itemId: d.id,
          amount: d.price,
          currency: 'EUR',
        })),
      );
    }

    const customers = demoCustomers(sizes.customers).map((c) => ({ ...c, id: randomUUID() }));
    await insertChunked(
      (rows) => tx.insert(t.customers).values(rows),
      customers.map(({ creditLimit: _c, ...c }) => c),
    );
    await insertChunked(
      (rows) => tx.insert(t.customerCredit).values(rows),
      customers.flatMap((c) => companies.map((co) => ({ customerId: c.id, companyId: co.id, creditLimit: c.creditLimit }))),
    );
    await tx.insert(t.auditLog).values({ actorType: 'system', actorId: 'seed', action: 'seed.demo', entity: 'store', entityId: storeId });
  });
  return true;
}
