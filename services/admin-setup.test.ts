import { describe, expect, it } from 'vitest';
import { DomainError, type ErrorKind } from '../core/errors';
import { PIN_HASH_PARAMS, verifyPin } from '../core/pin-hash';
import { seedDemo } from '../seeds/demo';
import { backends, useMigratedDatabase } from '../test/databases';
import { addBarcode, removeBarcode, setCreditLimit, updateItem } from './admin-catalog';
import { parseRatePercent, redact } from './admin-common';
import {
  createCashier,
  createRegister,
  createTaxRate,
  createWarehouse,
  getStoreSettings,
  listAudit,
  listCashiers,
  resetCashierPin,
  setCashierActive,
  setCashierCompany,
  setCashierRole,
  updateCompany,
  updateStoreSettings,
} from './admin-setup';

const ACTOR = 'admin@demo.till';

async function rejects(p: Promise<unknown>, kind: ErrorKind, field?: string | null) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).kind).toBe(kind);
  if (field !== undefined) {
    expect((e as DomainError).field).toBe(field);
    if (field) expect((e as DomainError).message).toContain(field);
  }
  return e as DomainError;
}

describe('admin parsing helpers', () => {
  it('reads VAT percentages into basis points without floats', () => {
    expect(parseRatePercent('20')).toBe(2000);
    expect(parseRatePercent('5.5')).toBe(550);
    expect(parseRatePercent('7.25 %')).toBe(725);
    expect(parseRatePercent('0')).toBe(0);
    expect(parseRatePercent('100')).toBe(10000);
    for (const bad of ['', '20.125', '-1', '1,5', 'abc', '100.01', '1e2']) expect(() => parseRatePercent(bad)).toThrow(DomainError);
  });

  it('redacts secrets at any depth', () => {
    expect(redact({ name: 'A', pin_hash: 'scrypt$x', nested: [{ passwordHash: 'h', ok: 1 }] })).toEqual({
      name: 'A',
      pin_hash: '[redacted]',
      nested: [{ passwordHash: '[redacted]', ok: 1 }],
    });
  });
});

describe.each(backends)('admin master setup on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const companies: Record<string, string> = {};

  it('seeds a small demo store', async () => {
    await seedDemo(t.database, { itemsPerCompany: 20, sharedBarcodes: 5, customers: 5 });
    for (const r of (await t.database.pool.query(`SELECT id, code FROM companies`)).rows) companies[r.code] = r.id;
    expect(Object.keys(companies).sort()).toEqual(['O', 'U']);
  });

  it('updates store settings and companies with validation, audit and change capture', async () => {
    await rejects(updateStoreSettings(t.database, { defaultCompanyId: companies.O, printerAddress: 'printer' }, ACTOR), 'invalid', 'printerAddress');
    await rejects(updateStoreSettings(t.database, { defaultCompanyId: 'nope' }, ACTOR), 'invalid', 'defaultCompanyId');
    await updateStoreSettings(t.database, { defaultCompanyId: companies.O, printerAddress: '192.168.1.50:9100', receiptFooter: 'Merci' }, ACTOR);
    const s = (await t.database.pool.query(`SELECT * FROM store_settings`)).rows[0];
    expect(s).toMatchObject({ default_company_id: companies.O, printer_address: '192.168.1.50:9100', receipt_footer: 'Merci' });
    await rejects(updateCompany(t.database, { id: companies.O, name: 'Official', roundingMode: 'Up', taxRounding: 'line' }, ACTOR), 'invalid', 'roundingMode');
    await rejects(updateCompany(t.database, { id: companies.O, name: 'Unofficial', roundingMode: 'HalfUp', taxRounding: 'line' }, ACTOR), 'conflict', 'name');
    await updateCompany(t.database, { id: companies.O, name: 'Official Ltd', roundingMode: 'Bankers', taxRounding: 'invoice' }, ACTOR);
    const c = (await t.database.pool.query(`SELECT * FROM companies WHERE id = $1`, [companies.O])).rows[0];
    expect(c).toMatchObject({ name: 'Official Ltd', rounding_mode: 'Bankers', prices_include_tax: false, tax_rounding: 'invoice' });
    const audit = (await t.database.pool.query(`SELECT actor_id, before, after FROM audit_log WHERE action = 'company.updated'`)).rows[0];
    expect(audit.actor_id).toBe(ACTOR);
    expect(audit.before.name).toBe('Official');
    expect(audit.after.name).toBe('Official Ltd');
    const captured = (
      await t.database.pool.query(`SELECT count(*)::int AS n FROM change_log WHERE table_name IN ('companies', 'store_settings') AND operation = 'update'`)
    ).rows[0].n;
    expect(captured).toBe(2);
    await updateStoreSettings(t.database, { defaultCompanyId: companies.U, printerAddress: '', receiptFooter: 'Thank you!' }, ACTOR);
  });

  it('creates warehouses and registers with one device per company', async () => {
    await rejects(createWarehouse(t.database, { companyId: companies.O, code: 'bad code!', name: 'X' }, ACTOR), 'invalid', 'code');
    await createWarehouse(t.database, { companyId: companies.O, code: 'o-back', name: 'Back room', isDefault: 'on' }, ACTOR);
    await rejects(createWarehouse(t.database, { companyId: companies.O, code: 'O-BACK', name: 'Again' }, ACTOR), 'conflict', 'code');
    const defaults = (await t.database.pool.query(`SELECT code FROM warehouses WHERE company_id = $1 AND is_default`, [companies.O])).rows;
    expect(defaults).toEqual([{ code: 'O-BACK' }]);

    await rejects(createRegister(t.database, { code: '2', name: 'x' }, ACTOR), 'invalid', 'code');
    await rejects(createRegister(t.database, { code: 'R02' }, ACTOR), 'invalid', 'name');
    const { id } = await createRegister(t.database, { code: 'r02', name: 'Side counter' }, ACTOR);
    const devices = (
      await t.database.pool.query(
        `SELECT d.code, d.status, c.code AS company, w.code AS warehouse FROM devices d JOIN companies c ON c.id = d.company_id JOIN warehouses w ON w.id = d.warehouse_id WHERE d.register_id = $1 ORDER BY c.code`,
        [id],
      )
    ).rows;
    expect(devices).toEqual([
      { code: 'R02', status: 'unpaired', company: 'O', warehouse: 'O-BACK' },
      { code: 'R02', status: 'unpaired', company: 'U', warehouse: 'U-MAIN' },
    ]);
    await rejects(createRegister(t.database, { code: 'R02', name: 'dup' }, ACTOR), 'conflict', 'code');
  });

  // Every PIN set and uniqueness check is a full scrypt (ADR 601): slow on a loaded machine.
  it('creates cashiers, resets PINs and never writes a PIN or hash to the audit log', { timeout: 90_000 }, async () => {
    await rejects(createCashier(t.database, { name: 'Cleo', pin: '12', companyIds: [companies.U] }, ACTOR), 'invalid', 'pin');
    await rejects(createCashier(t.database, { name: 'Cleo', pin: '2468', companyIds: [] }, ACTOR), 'invalid', 'companyIds');
    await rejects(createCashier(t.database, { name: '', pin: '2468', companyIds: [companies.U] }, ACTOR), 'invalid', 'name');
    await rejects(createCashier(t.database, { name: 'Copycat', pin: '1234', companyIds: [companies.U] }, ACTOR), 'conflict', 'pin'); // Ana's demo PIN
    const { id } = await createCashier(t.database, { name: 'Cleo', pin: '2468', companyIds: [companies.U, companies.O] }, ACTOR);
    await resetCashierPin(t.database, { cashierId: id, pin: '97531' }, ACTOR);
    const row = (await t.database.pool.query(`SELECT pin_hash FROM cashiers WHERE id = $1`, [id])).rows[0];
    expect(await verifyPin('97531', row.pin_hash)).toBe(true);
    await setCashierCompany(t.database, { cashierId: id, companyId: companies.O, assigned: 'false' }, ACTOR);
    await rejects(setCashierCompany(t.database, { cashierId: id, companyId: companies.U, assigned: 'false' }, ACTOR), 'invalid', 'companyId');
    await setCashierActive(t.database, { cashierId: id, active: 'false' }, ACTOR);
    const cleo = (await listCashiers(t.database)).find((c) => c.id === id)!;
    expect(cleo).toMatchObject({ active: false, companyIds: [companies.U] });

    const entries = (await t.database.pool.query(`SELECT before, after FROM audit_log WHERE entity = 'cashier' AND entity_id = $1`, [id])).rows;
    expect(entries.length).toBe(4); // created, PIN reset, company unassigned, disabled
    const text = JSON.stringify(entries);
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain('97531');
    expect(text).not.toContain('2468');
    expect(text).toContain('"pin_hash":"[redacted]"');
    const { entries: view } = await listAudit(t.database, { limit: 10 });
    expect(view[0]!.action).toBe('cashier.disabled');
    expect(JSON.stringify(view)).not.toContain('scrypt$');
  });

  it('applies the store minimum PIN length to new and changed PINs and upgrades older hashes on a PIN change', { timeout: 90_000 }, async () => {
    // PIN 4321 hashed at the previous cost (N = 2^14), as stores hold them from before the cost was raised.
    const legacy4321 = 'scrypt$16384$8$1$AwoRGB8mLTQ7QklQV15lbA==$kuUeLlP6fHe3qwM5gZrBZah9jCdkT9iII4YIL3+2o3U=';
    for (const bad of ['3', '9', 'six', '', '5.5']) {
      await rejects(updateStoreSettings(t.database, { defaultCompanyId: companies.U, pinMinLength: bad }, ACTOR), 'invalid', 'pinMinLength');
    }
    expect((await getStoreSettings(t.database))!.pinMinLength).toBe(4);
    await updateStoreSettings(t.database, { defaultCompanyId: companies.U, pinMinLength: '6' }, ACTOR);
    await updateStoreSettings(t.database, { defaultCompanyId: companies.U }, ACTOR); // a form without the field keeps it
    expect((await getStoreSettings(t.database))!.pinMinLength).toBe(6);

    const short = await rejects(createCashier(t.database, { name: 'Dee', pin: '86420', companyIds: [companies.U] }, ACTOR), 'invalid', 'pin');
    expect(short.message).toContain('at least 6 digits');
    const { id } = await createCashier(t.database, { name: 'Dee', pin: '864200', companyIds: [companies.U] }, ACTOR);
    await rejects(resetCashierPin(t.database, { cashierId: id, pin: '1357' }, ACTOR), 'invalid', 'pin');

    await t.database.pool.query(`UPDATE cashiers SET pin_hash = $2 WHERE id = $1`, [id, legacy4321]);
    expect((await listCashiers(t.database)).find((c) => c.id === id)!.pinOutdated).toBe(true);
    await updateStoreSettings(t.database, { defaultCompanyId: companies.U, pinMinLength: '4' }, ACTOR);
    // The older hash still takes part in the one-PIN-per-cashier rule.
    await rejects(createCashier(t.database, { name: 'Copycat', pin: '4321', companyIds: [companies.U] }, ACTOR), 'conflict', 'pin');
    await resetCashierPin(t.database, { cashierId: id, pin: '753197' }, ACTOR);
    const stored = (await t.database.pool.query(`SELECT pin_hash FROM cashiers WHERE id = $1`, [id])).rows[0].pin_hash as string;
    expect(stored.startsWith(`scrypt$${PIN_HASH_PARAMS.N}$${PIN_HASH_PARAMS.r}$${PIN_HASH_PARAMS.p}$`)).toBe(true);
    expect(await verifyPin('753197', stored)).toBe(true);
    expect((await listCashiers(t.database)).find((c) => c.id === id)!.pinOutdated).toBe(false);
    await setCashierActive(t.database, { cashierId: id, active: 'false' }, ACTOR);
  });

  it('makes a cashier a manager in every company (kept when a company is added) and sets the shift variance threshold', async () => {
    const { id } = await createCashier(t.database, { name: 'Mona', pin: '86420', companyIds: [companies.U] }, ACTOR);
    await rejects(setCashierRole(t.database, { cashierId: id, role: 'boss' }, ACTOR), 'invalid', 'role');
    await rejects(setCashierRole(t.database, { cashierId: 'nope', role: 'manager' }, ACTOR), 'invalid', 'cashierId');
    await setCashierRole(t.database, { cashierId: id, role: 'manager' }, ACTOR);
    await setCashierCompany(t.database, { cashierId: id, companyId: companies.O, assigned: 'true' }, ACTOR);
    const roles = (await t.database.pool.query(`SELECT role FROM cashier_companies WHERE cashier_id = $1`, [id])).rows.map((r) => r.role);
    expect(roles).toEqual(['manager', 'manager']);
    expect((await listCashiers(t.database)).find((c) => c.id === id)!.role).toBe('manager');
    const audit = (await t.database.pool.query(`SELECT after FROM audit_log WHERE action = 'cashier.role_changed' AND entity_id = $1`, [id])).rows;
    expect(audit).toEqual([{ after: { role: 'manager' } }]);

    expect((await getStoreSettings(t.database))!).toMatchObject({ shiftVarianceThreshold: 1000, thresholdExponent: 2 });
    for (const bad of ['-1', '1,5', 'ten', '0.001']) {
      await rejects(
        updateStoreSettings(t.database, { defaultCompanyId: companies.U, shiftVarianceThreshold: bad }, ACTOR),
        'invalid',
        'shiftVarianceThreshold',
      );
    }
    await updateStoreSettings(t.database, { defaultCompanyId: companies.U, shiftVarianceThreshold: '2.50' }, ACTOR);
    expect((await getStoreSettings(t.database))!.shiftVarianceThreshold).toBe(250);
    await updateStoreSettings(t.database, { defaultCompanyId: companies.U }, ACTOR); // a form without the field keeps it
    expect((await getStoreSettings(t.database))!.shiftVarianceThreshold).toBe(250);
    const settingsAudit = (await t.database.pool.query(`SELECT after FROM audit_log WHERE action = 'store_settings.updated' ORDER BY id DESC LIMIT 2`)).rows;
    expect(settingsAudit.map((r) => r.after.shift_variance_threshold)).toEqual([250, 250]);
  });

  it('creates tax rates from percent text, one default per company', async () => {
    await rejects(createTaxRate(t.database, { companyId: companies.U, code: 'VAT55', name: 'Reduced', rate: '5.555' }, ACTOR), 'invalid', 'rate');
    await rejects(createTaxRate(t.database, { companyId: companies.U, code: 'VAT20', name: 'Dup', rate: '20' }, ACTOR), 'conflict', 'code');
    const { rateBp } = await createTaxRate(t.database, { companyId: companies.U, code: 'vat55', name: 'Reduced', rate: '5.5', isDefault: 'on' }, ACTOR);
    expect(rateBp).toBe(550);
    const defaults = (await t.database.pool.query(`SELECT code FROM tax_rates WHERE company_id = $1 AND is_default`, [companies.U])).rows;
    expect(defaults).toEqual([{ code: 'VAT55' }]);
  });

  it('edits item price, name, barcodes and credit limits with clear errors', async () => {
    const [a, b] = (await t.database.pool.query(`SELECT id FROM items WHERE company_id = $1 ORDER BY code LIMIT 2`, [companies.U])).rows;
    await rejects(updateItem(t.database, { itemId: a.id, name: 'X', price: '1,50', enabled: 'on' }, ACTOR), 'invalid', 'price');
    await rejects(updateItem(t.database, { itemId: a.id, name: 'X', price: '1.505', enabled: 'on' }, ACTOR), 'invalid', 'price');
    expect((await updateItem(t.database, { itemId: a.id, name: 'Renamed', price: '12.30', enabled: 'on' }, ACTOR)).price).toBe(1230);
    expect((await t.database.pool.query(`SELECT amount FROM prices WHERE item_id = $1`, [a.id])).rows[0].amount).toBe(1230);
    await addBarcode(t.database, { itemId: a.id, barcode: '5012345678900' }, ACTOR);
    const dup = await rejects(addBarcode(t.database, { itemId: b.id, barcode: '5012345678900' }, ACTOR), 'conflict', 'barcode');
    expect(dup.message).toContain('Renamed');
    // The same code in the other company is fine (unique per company).
    const [o] = (await t.database.pool.query(`SELECT id FROM items WHERE company_id = $1 LIMIT 1`, [companies.O])).rows;
    await addBarcode(t.database, { itemId: o.id, barcode: '5012345678900' }, ACTOR);
    const bc = (await t.database.pool.query(`SELECT id FROM barcodes WHERE item_id = $1 AND code = '5012345678900'`, [a.id])).rows[0];
    await removeBarcode(t.database, { itemId: a.id, barcodeId: bc.id }, ACTOR);
    await rejects(removeBarcode(t.database, { itemId: a.id, barcodeId: bc.id }, ACTOR), 'not_found');

    const cust = (await t.database.pool.query(`SELECT id FROM customers LIMIT 1`)).rows[0];
    await rejects(setCreditLimit(t.database, { customerId: cust.id, companyId: companies.O, creditLimit: '-5' }, ACTOR), 'invalid', 'creditLimit');
    expect((await setCreditLimit(t.database, { customerId: cust.id, companyId: companies.O, creditLimit: '750.5' }, ACTOR)).creditLimit).toBe(75050);
  });
});
