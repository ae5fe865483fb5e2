// Master setup from the back office: store settings, companies, warehouses, registers, cashiers
// and tax rates. Every change is validated, written in one transaction with its audit entry, and
// reaches registers through the change-capture triggers on these tables.
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { hashPin, PIN_MIN_DIGITS, pinHashNeedsUpgrade, verifyPin } from '../core/pin-hash';
import type { Database } from '../db/client';
import type { CashierRole } from '../db/statuses';
import { DomainError } from '../core/errors';
import { execute, many, maybeOne, one, type Cols, type Queryable, type SqlRow } from '../db/query';
import type { auditLog, cashiers, companies, registers, storeSettings, taxRates, warehouses } from '../db/schema';
import {
  cashierActiveForm,
  cashierCompanyForm,
  cashierForm,
  cashierPinForm,
  cashierRoleForm,
  companySettingsForm,
  registerForm,
  storeSettingsForm,
  taxRateDefaultForm,
  taxRateForm,
  warehouseForm,
} from './forms/store';
import { inTransaction, isUniqueViolation, parseAmount, parseInput, parseRatePercent, redact, writeAudit } from './admin-common';

// ---------------------------------------------------------------- store settings and companies

export interface SetupCompany {
  id: string;
  code: string;
  name: string;
  currency: string;
  currencyExponent: number;
  roundingMode: string;
  pricesIncludeTax: boolean;
  taxRounding: string;
}

export interface StoreSettingsView {
  storeId: string;
  storeName: string;
  defaultCompanyId: string | null;
  receiptFooter: string;
  /** IANA zone of every time shown or exported. */
  timeZone: string;
  printerAddress: string;
  /** Fewest digits a new or changed cashier PIN may have. */
  pinMinLength: number;
  /** A register close whose |variance| is above this (minor units) needs a manager's PIN. */
  shiftVarianceThreshold: number;
  /** Decimals the threshold is typed and shown with: the default company's currency. */
  thresholdExponent: number;
  updatedAt: string;
}

export async function listSetupCompanies(database: Database): Promise<SetupCompany[]> {
  const rows = await many<
    Cols<typeof companies, 'id' | 'code' | 'name' | 'currency' | 'currency_exponent' | 'rounding_mode' | 'prices_include_tax' | 'tax_rounding'>
  >(database.pool, `SELECT id, code, name, currency, currency_exponent, rounding_mode, prices_include_tax, tax_rounding FROM companies ORDER BY name`);
  return rows.map((x) => ({
    id: x.id,
    code: x.code,
    name: x.name,
    currency: x.currency,
    currencyExponent: x.currency_exponent,
    roundingMode: x.rounding_mode,
    pricesIncludeTax: x.prices_include_tax,
    taxRounding: x.tax_rounding,
  }));
}

export async function getStoreSettings(database: Database): Promise<StoreSettingsView | undefined> {
  const x = await maybeOne<
    Cols<
      typeof storeSettings,
      'store_id' | 'default_company_id' | 'receipt_footer' | 'printer_address' | 'pin_min_length' | 'time_zone' | 'updated_at' | 'shift_variance_threshold'
    > & {
      name: string;
      threshold_exponent: number;
    }
  >(
    database.pool,
    `SELECT s.store_id, st.name, s.default_company_id, s.receipt_footer, s.printer_address, s.pin_min_length, s.time_zone, s.updated_at,
            s.shift_variance_threshold, COALESCE((SELECT c.currency_exponent FROM companies c WHERE c.id = s.default_company_id), 2) AS threshold_exponent
       FROM store_settings s JOIN stores st ON st.id = s.store_id ORDER BY st.created_at LIMIT 1`,
    [],
  );
  if (!x) return undefined;
  return {
    storeId: x.store_id,
    storeName: x.name,
    defaultCompanyId: x.default_company_id,
    timeZone: x.time_zone,
    receiptFooter: x.receipt_footer,
    printerAddress: x.printer_address,
    pinMinLength: x.pin_min_length,
    shiftVarianceThreshold: x.shift_variance_threshold,
    thresholdExponent: x.threshold_exponent,
    updatedAt: x.updated_at.toISOString(),
  };
}

export { isPrinterAddress } from './forms/store';

export async function updateStoreSettings(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(storeSettingsForm, input);
  await inTransaction(database, async (client) => {
    const before = await maybeOne<SqlRow<typeof storeSettings>>(client, `SELECT * FROM store_settings ORDER BY store_id LIMIT 1 FOR UPDATE`);
    if (!before) throw new DomainError('not_found', null, 'the store has no settings row yet');
    if (!(await execute(client, `SELECT 1 FROM companies WHERE id = $1`, [data.defaultCompanyId]))) {
      throw new DomainError('invalid', 'defaultCompanyId', 'defaultCompanyId: no such company');
    }
    let threshold: number | null = null;
    if (data.shiftVarianceThreshold !== undefined && data.shiftVarianceThreshold !== '') {
      const { e: exponent } = await one<{ e: number }>(client, `SELECT currency_exponent AS e FROM companies WHERE id = $1`, [data.defaultCompanyId]);
      threshold = parseAmount(data.shiftVarianceThreshold, exponent, 'shiftVarianceThreshold');
    }
    const after = await one<SqlRow<typeof storeSettings>>(
      client,
      `UPDATE store_settings SET default_company_id = $2, receipt_footer = $3, printer_address = $4,
              pin_min_length = COALESCE($5, pin_min_length), time_zone = COALESCE($6, time_zone),
              shift_variance_threshold = COALESCE($7, shift_variance_threshold), updated_at = now()
        WHERE store_id = $1 RETURNING *`,
      [before.store_id, data.defaultCompanyId, data.receiptFooter, data.printerAddress, data.pinMinLength ?? null, data.timeZone ?? null, threshold],
    );
    await writeAudit(client, { actor, action: 'store_settings.updated', entity: 'store_settings', entityId: before.store_id, before, after });
  });
}

export async function updateCompany(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(companySettingsForm, input);
  try {
    await inTransaction(database, async (client) => {
      const before = await maybeOne<SqlRow<typeof companies>>(client, `SELECT * FROM companies WHERE id = $1 FOR UPDATE`, [data.id]);
      if (!before) throw new DomainError('not_found', null, 'no such company');
      const after = await one<SqlRow<typeof companies>>(
        client,
        `UPDATE companies SET name = $2, rounding_mode = $3, prices_include_tax = $4, tax_rounding = $5, updated_at = now() WHERE id = $1 RETURNING *`,
        [data.id, data.name, data.roundingMode, data.pricesIncludeTax, data.taxRounding],
      );
      await writeAudit(client, { actor, action: 'company.updated', entity: 'company', entityId: data.id, before, after });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'name', `name: another company is called "${data.name}"`);
    throw e;
  }
}

// ---------------------------------------------------------------- warehouses

export interface WarehouseView {
  id: string;
  companyId: string;
  companyName: string;
  code: string;
  name: string;
  isDefault: boolean;
  devices: number;
}

export async function listWarehouses(database: Database): Promise<WarehouseView[]> {
  const rows = await many<Cols<typeof warehouses, 'id' | 'company_id' | 'code' | 'name' | 'is_default'> & { company_name: string; devices: number }>(
    database.pool,
    `SELECT w.id, w.company_id, c.name AS company_name, w.code, w.name, w.is_default,
            (SELECT count(*)::int FROM devices d WHERE d.warehouse_id = w.id) AS devices
       FROM warehouses w JOIN companies c ON c.id = w.company_id ORDER BY c.name, w.code`,
  );
  return rows.map((x) => ({
    id: x.id,
    companyId: x.company_id,
    companyName: x.company_name,
    code: x.code,
    name: x.name,
    isDefault: x.is_default,
    devices: x.devices,
  }));
}

export async function createWarehouse(database: Database, input: unknown, actor: string): Promise<{ id: string }> {
  const data = parseInput(warehouseForm, input);
  try {
    return await inTransaction(database, async (client) => {
      const store = await maybeOne<{ id: string }>(client, `SELECT id FROM stores ORDER BY created_at LIMIT 1`);
      if (!store) throw new DomainError('not_found', null, 'the store is not set up');
      if (!(await execute(client, `SELECT 1 FROM companies WHERE id = $1`, [data.companyId])))
        throw new DomainError('invalid', 'companyId', 'companyId: no such company');
      const hasDefault = await execute(client, `SELECT 1 FROM warehouses WHERE company_id = $1 AND is_default`, [data.companyId]);
      const isDefault = data.isDefault || !hasDefault; // a company's first warehouse is its default
      if (isDefault) await client.query(`UPDATE warehouses SET is_default = false WHERE company_id = $1 AND is_default`, [data.companyId]);
      const after = await one<SqlRow<typeof warehouses>>(
        client,
        `INSERT INTO warehouses (company_id, store_id, code, name, is_default) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [data.companyId, store.id, data.code, data.name, isDefault],
      );
      await writeAudit(client, { actor, action: 'warehouse.created', entity: 'warehouse', entityId: after.id, after });
      return { id: after.id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'code', `code: warehouse ${data.code} already exists in this company`);
    throw e;
  }
}

// ---------------------------------------------------------------- registers

export interface RegisterSummary {
  id: string;
  code: string;
  name: string;
  devices: { id: string; companyId: string; companyName: string; code: string; status: string; warehouseCode: string | null }[];
}

export async function listRegisterSummaries(database: Database): Promise<RegisterSummary[]> {
  const rows = await many<Cols<typeof registers, 'id' | 'code' | 'name'> & { devices: RegisterSummary['devices'] }>(
    database.pool,
    `SELECT g.id, g.code, g.name,
            COALESCE(json_agg(json_build_object('id', d.id, 'companyId', c.id, 'companyName', c.name, 'code', d.code, 'status', d.status, 'warehouseCode', w.code)
                     ORDER BY c.name) FILTER (WHERE d.id IS NOT NULL), '[]') AS devices
       FROM registers g LEFT JOIN devices d ON d.register_id = g.id LEFT JOIN companies c ON c.id = d.company_id
       LEFT JOIN warehouses w ON w.id = d.warehouse_id
      GROUP BY g.id ORDER BY g.code`,
  );
  return rows.map((x) => ({ id: x.id, code: x.code, name: x.name, devices: x.devices }));
}

/** A register with one unpaired device per company (device code = register code, the company's default warehouse). */
export async function createRegister(database: Database, input: unknown, actor: string): Promise<{ id: string }> {
  const data = parseInput(registerForm, input);
  try {
    return await inTransaction(database, async (client) => {
      const store = await maybeOne<{ id: string }>(client, `SELECT id FROM stores ORDER BY created_at LIMIT 1`);
      if (!store) throw new DomainError('not_found', null, 'the store is not set up');
      const companyRows = await many<Cols<typeof companies, 'id' | 'name'> & { warehouse_id: string | null }>(
        client,
        `SELECT c.id, c.name,
                (SELECT w.id FROM warehouses w WHERE w.company_id = c.id ORDER BY w.is_default DESC, w.created_at LIMIT 1) AS warehouse_id
           FROM companies c ORDER BY c.name`,
      );
      if (companyRows.length === 0) throw new DomainError('invalid', null, 'the store has no companies');
      const missing = companyRows.find((c) => !c.warehouse_id);
      if (missing) throw new DomainError('invalid', 'code', `company ${missing.name} has no warehouse; create one first`);
      const register = await one<SqlRow<typeof registers>>(client, `INSERT INTO registers (store_id, code, name) VALUES ($1, $2, $3) RETURNING *`, [
        store.id,
        data.code,
        data.name,
      ]);
      const devices = [];
      for (const c of companyRows) {
        devices.push(
          await one(
            client,
            `INSERT INTO devices (register_id, company_id, warehouse_id, code) VALUES ($1, $2, $3, $4) RETURNING id, company_id, warehouse_id, code, status`,
            [register.id, c.id, c.warehouse_id, data.code],
          ),
        );
      }
      await writeAudit(client, { actor, action: 'register.created', entity: 'register', entityId: register.id, after: { ...register, devices } });
      return { id: register.id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'code', `code: ${data.code} is already used by a register or device`);
    throw e;
  }
}

// ---------------------------------------------------------------- cashiers

export { CASHIER_ROLES, type CashierRole } from '../db/statuses';

export interface CashierView {
  id: string;
  name: string;
  active: boolean;
  companyIds: string[];
  /** `manager` may approve a large shift variance at the register with their PIN (ADR 701). */
  role: CashierRole;
  /** The PIN was hashed at an older, cheaper cost: setting a new PIN re-hashes it at the current one. */
  pinOutdated: boolean;
  updatedAt: string;
}

export async function listCashiers(database: Database): Promise<CashierView[]> {
  const rows = await many<Cols<typeof cashiers, 'id' | 'name' | 'active' | 'pin_hash' | 'updated_at'> & { company_ids: string[]; manager: boolean }>(
    database.pool,
    `SELECT c.id, c.name, c.active, c.pin_hash, c.updated_at,
            COALESCE((SELECT array_agg(cc.company_id::text) FROM cashier_companies cc WHERE cc.cashier_id = c.id), '{}') AS company_ids,
            EXISTS (SELECT 1 FROM cashier_companies cc WHERE cc.cashier_id = c.id AND cc.role = 'manager') AS manager
       FROM cashiers c ORDER BY c.active DESC, c.name`,
  );
  return rows.map((x) => ({
    id: x.id,
    name: x.name,
    active: x.active,
    companyIds: x.company_ids,
    role: x.manager ? 'manager' : 'cashier',
    pinOutdated: pinHashNeedsUpgrade(x.pin_hash),
    updatedAt: x.updated_at.toISOString(),
  }));
}

/** The store's minimum PIN length applies to every PIN set from now on; PINs set earlier keep working. */
async function assertPinLength(client: Queryable, pinText: string): Promise<void> {
  const min = (await maybeOne<{ n: number }>(client, `SELECT pin_min_length AS n FROM store_settings ORDER BY store_id LIMIT 1`))?.n ?? PIN_MIN_DIGITS;
  if (pinText.length < min) throw new DomainError('invalid', 'pin', `pin: this store requires PINs of at least ${min} digits`);
}

/**
 * A PIN identifies the cashier at the register, so two active cashiers may not share one. Each check is a
 * full scrypt, so the slow pass runs before the transaction (which holds the embedded database's one
 * session) and the transaction re-checks only hashes that appeared since: pass what the first pass returned.
 */
async function assertPinFree(client: Queryable, pinText: string, exceptId?: string, checked = new Set<string>()): Promise<Set<string>> {
  const rows = await many<Cols<typeof cashiers, 'pin_hash'>>(client, `SELECT pin_hash FROM cashiers WHERE active AND id IS DISTINCT FROM $1`, [
    exceptId ?? null,
  ]);
  for (const r of rows) {
    if (checked.has(r.pin_hash)) continue;
    if (await verifyPin(pinText, r.pin_hash)) throw new DomainError('conflict', 'pin', 'pin: another active cashier uses this PIN; choose a different one');
    checked.add(r.pin_hash);
  }
  return checked;
}

async function assertCompanies(client: Queryable, ids: string[]): Promise<void> {
  const { n } = await one<{ n: number }>(client, `SELECT count(*)::int AS n FROM companies WHERE id = ANY($1::uuid[])`, [ids]);
  if (n !== new Set(ids).size) throw new DomainError('invalid', 'companyIds', 'companyIds: no such company');
}

export async function createCashier(database: Database, input: unknown, actor: string): Promise<{ id: string }> {
  const data = parseInput(cashierForm, input);
  await assertPinLength(database.pool, data.pin);
  const checked = await assertPinFree(database.pool, data.pin);
  const pinHash = await hashPin(data.pin);
  return inTransaction(database, async (client) => {
    await assertCompanies(client, data.companyIds);
    await assertPinFree(client, data.pin, undefined, checked);
    const id = randomUUID();
    const after = await one<SqlRow<typeof cashiers>>(client, `INSERT INTO cashiers (id, name, pin_hash) VALUES ($1, $2, $3) RETURNING *`, [
      id,
      data.name,
      pinHash,
    ]);
    for (const companyId of new Set(data.companyIds)) {
      await client.query(`INSERT INTO cashier_companies (cashier_id, company_id) VALUES ($1, $2)`, [id, companyId]);
    }
    await writeAudit(client, {
      actor,
      action: 'cashier.created',
      entity: 'cashier',
      entityId: id,
      after: { ...after, companyIds: [...new Set(data.companyIds)] },
    });
    return { id };
  });
}

async function lockCashier(client: PoolClient, id: string): Promise<SqlRow<typeof cashiers>> {
  const row = await maybeOne<SqlRow<typeof cashiers>>(client, `SELECT * FROM cashiers WHERE id = $1 FOR UPDATE`, [id]);
  if (!row) throw new DomainError('not_found', null, 'no such cashier');
  return row;
}

export async function resetCashierPin(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(cashierPinForm, input);
  await assertPinLength(database.pool, data.pin);
  const checked = await assertPinFree(database.pool, data.pin, data.cashierId);
  // A new hash is always written at the current cost, which is how older, cheaper hashes get upgraded.
  const pinHash = await hashPin(data.pin);
  await inTransaction(database, async (client) => {
    const before = await lockCashier(client, data.cashierId);
    await assertPinFree(client, data.pin, data.cashierId, checked);
    const after = await one<SqlRow<typeof cashiers>>(client, `UPDATE cashiers SET pin_hash = $2, updated_at = now() WHERE id = $1 RETURNING *`, [
      data.cashierId,
      pinHash,
    ]);
    await writeAudit(client, { actor, action: 'cashier.pin_reset', entity: 'cashier', entityId: data.cashierId, before, after });
  });
}

export async function setCashierActive(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(cashierActiveForm, input);
  await inTransaction(database, async (client) => {
    const before = await lockCashier(client, data.cashierId);
    const after = await one<SqlRow<typeof cashiers>>(client, `UPDATE cashiers SET active = $2, updated_at = now() WHERE id = $1 RETURNING *`, [
      data.cashierId,
      data.active,
    ]);
    await writeAudit(client, {
      actor,
      action: data.active ? 'cashier.enabled' : 'cashier.disabled',
      entity: 'cashier',
      entityId: data.cashierId,
      before,
      after,
    });
  });
}

/** The cashier's role in every company they belong to (the register checks it per company). */
export async function setCashierRole(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(cashierRoleForm, input);
  await inTransaction(database, async (client) => {
    await lockCashier(client, data.cashierId);
    const r = await client.query(`UPDATE cashier_companies SET role = $2 WHERE cashier_id = $1 AND role IS DISTINCT FROM $2`, [data.cashierId, data.role]);
    if (r.rowCount)
      await writeAudit(client, { actor, action: 'cashier.role_changed', entity: 'cashier', entityId: data.cashierId, after: { role: data.role } });
  });
}

export async function setCashierCompany(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(cashierCompanyForm, input);
  await inTransaction(database, async (client) => {
    await lockCashier(client, data.cashierId);
    await assertCompanies(client, [data.companyId]);
    if (data.assigned) {
      // A manager stays a manager in every company they are added to.
      const added = await execute(
        client,
        `INSERT INTO cashier_companies (cashier_id, company_id, role)
         VALUES ($1, $2, COALESCE((SELECT max(role) FROM cashier_companies WHERE cashier_id = $1 AND role = 'manager'), 'cashier')) ON CONFLICT DO NOTHING`,
        [data.cashierId, data.companyId],
      );
      if (added)
        await writeAudit(client, {
          actor,
          action: 'cashier.company_assigned',
          entity: 'cashier',
          entityId: data.cashierId,
          after: { companyId: data.companyId },
        });
    } else {
      const { n: left } = await one<{ n: number }>(client, `SELECT count(*)::int AS n FROM cashier_companies WHERE cashier_id = $1 AND company_id <> $2`, [
        data.cashierId,
        data.companyId,
      ]);
      if (left === 0) throw new DomainError('invalid', 'companyId', 'companyId: a cashier keeps at least one company; disable the cashier instead');
      const removed = await execute(client, `DELETE FROM cashier_companies WHERE cashier_id = $1 AND company_id = $2`, [data.cashierId, data.companyId]);
      if (removed)
        await writeAudit(client, {
          actor,
          action: 'cashier.company_unassigned',
          entity: 'cashier',
          entityId: data.cashierId,
          before: { companyId: data.companyId },
        });
    }
  });
}

// ---------------------------------------------------------------- tax rates

export interface TaxRateView {
  id: string;
  companyId: string;
  code: string;
  name: string;
  rateBp: number;
  isDefault: boolean;
  active: boolean;
  items: number;
}

export async function listTaxRates(database: Database): Promise<TaxRateView[]> {
  const rows = await many<Cols<typeof taxRates, 'id' | 'company_id' | 'code' | 'name' | 'rate_bp' | 'is_default' | 'active'> & { items: number }>(
    database.pool,
    `SELECT t.id, t.company_id, t.code, t.name, t.rate_bp, t.is_default, t.active,
            (SELECT count(*)::int FROM items i WHERE i.tax_rate_id = t.id) AS items
       FROM tax_rates t ORDER BY t.company_id, t.rate_bp DESC, t.code`,
  );
  return rows.map((x) => ({
    id: x.id,
    companyId: x.company_id,
    code: x.code,
    name: x.name,
    rateBp: x.rate_bp,
    isDefault: x.is_default,
    active: x.active,
    items: x.items,
  }));
}

export async function createTaxRate(database: Database, input: unknown, actor: string): Promise<{ id: string; rateBp: number }> {
  const data = parseInput(taxRateForm, input);
  const rateBp = parseRatePercent(data.rate, 'rate');
  try {
    return await inTransaction(database, async (client) => {
      await assertCompanies(client, [data.companyId]);
      if (data.isDefault)
        await client.query(`UPDATE tax_rates SET is_default = false, updated_at = now() WHERE company_id = $1 AND is_default`, [data.companyId]);
      const after = await one<SqlRow<typeof taxRates>>(
        client,
        `INSERT INTO tax_rates (company_id, code, name, rate_bp, is_default) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [data.companyId, data.code, data.name, rateBp, data.isDefault],
      );
      await writeAudit(client, { actor, action: 'tax_rate.created', entity: 'tax_rate', entityId: after.id, after });
      return { id: after.id, rateBp };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'code', `code: ${data.code} already exists in this company`);
    throw e;
  }
}

export async function setDefaultTaxRate(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(taxRateDefaultForm, input);
  await inTransaction(database, async (client) => {
    const before = await maybeOne<SqlRow<typeof taxRates>>(client, `SELECT * FROM tax_rates WHERE id = $1 FOR UPDATE`, [data.taxRateId]);
    if (!before) throw new DomainError('not_found', null, 'no such tax rate');
    if (!before.active) throw new DomainError('invalid', 'taxRateId', 'taxRateId: an inactive rate cannot be the default');
    await client.query(`UPDATE tax_rates SET is_default = false, updated_at = now() WHERE company_id = $1 AND is_default AND id <> $2`, [
      before.company_id,
      data.taxRateId,
    ]);
    const after = await one<SqlRow<typeof taxRates>>(client, `UPDATE tax_rates SET is_default = true, updated_at = now() WHERE id = $1 RETURNING *`, [
      data.taxRateId,
    ]);
    await writeAudit(client, { actor, action: 'tax_rate.default_set', entity: 'tax_rate', entityId: data.taxRateId, before, after });
  });
}

// ---------------------------------------------------------------- audit view

export interface AuditView {
  id: number;
  actorType: string;
  actorId: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  createdAt: string;
}

/** Newest first; `beforeId` pages backwards. Payloads are redacted again on the way out. */
export async function listAudit(
  database: Database,
  opts: { limit?: number; beforeId?: number; entity?: string } = {},
): Promise<{ entries: AuditView[]; nextBeforeId: number | null }> {
  const limit = opts.limit ?? 50;
  const rows = await many<SqlRow<typeof auditLog>>(
    database.pool,
    `SELECT id, actor_type, actor_id, action, entity, entity_id, before, after, created_at FROM audit_log
      WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR entity = $2) ORDER BY id DESC LIMIT $3`,
    [opts.beforeId ?? null, opts.entity || null, limit + 1],
  );
  const entries: AuditView[] = rows.slice(0, limit).map((x) => ({
    id: x.id,
    actorType: x.actor_type,
    actorId: x.actor_id,
    action: x.action,
    entity: x.entity,
    entityId: x.entity_id,
    before: redact(x.before),
    after: redact(x.after),
    createdAt: x.created_at.toISOString(),
  }));
  return { entries, nextBeforeId: rows.length > limit ? entries[entries.length - 1]!.id : null };
}
