// What a register may sync: the table allow-list, each table's column allow-list and the
// server-side scope predicate built from the caller's authenticated device token.
// Anything not listed here (admins, register_events, audit_log, stock, returns…) is not a shape.

import { serverConfig } from '../config/server-config';
import { Binder, quoteIdent } from './pg-text';

/** Who is asking, taken from the authenticated device token (never from the request). */
export interface ShapeScope {
  /** Companies the register holds a device in. */
  companyIds: string[];
  /** The physical register (till) the token belongs to. */
  registerId?: string;
  /** The register's devices (one per company); narrows sales, shifts and rejected events. */
  deviceIds?: string[];
}

/** Builds the scope predicate for a row alias, or null when the scope cannot see the table. */
type ScopeRule = (scope: ShapeScope, b: Binder) => ((alias: string) => string) | null;

export interface ShapeTable {
  name: string;
  /** Columns a register may receive, in output order. Must include the primary key. */
  columns: readonly string[];
  scope: ScopeRule;
}

const col = (alias: string, c: string) => `${alias}.${quoteIdent(c)}`;

const byCompany =
  (column = 'company_id'): ScopeRule =>
  (scope, b) => {
    const companies = b.bind(scope.companyIds, 'uuid[]');
    return (a) => `${col(a, column)} = ANY(${companies})`;
  };

/** The register's own store (stores and store_settings). */
const byRegisterStore =
  (column: string): ScopeRule =>
  (scope, b) => {
    if (!scope.registerId) return null;
    const reg = b.bind(scope.registerId, 'uuid');
    return (a) => `${col(a, column)} IN (SELECT r.store_id FROM public.registers r WHERE r.id = ${reg})`;
  };

/** Company rows written by this register: its devices when known, else its register id. */
const byCompanyAndRegister =
  (opts: { companyMayBeNull?: boolean } = {}): ScopeRule =>
  (scope, b) => {
    if (!scope.deviceIds?.length && !scope.registerId) return null;
    const companies = b.bind(scope.companyIds, 'uuid[]');
    const company = (a: string) =>
      opts.companyMayBeNull
        ? `(${col(a, 'company_id')} IS NULL OR ${col(a, 'company_id')} = ANY(${companies}))`
        : `${col(a, 'company_id')} = ANY(${companies})`;
    if (scope.deviceIds?.length) {
      const devices = b.bind(scope.deviceIds, 'uuid[]');
      return (a) => `${company(a)} AND ${col(a, 'device_id')} = ANY(${devices})`;
    }
    const reg = b.bind(scope.registerId, 'uuid');
    return (a) => `${company(a)} AND ${col(a, 'register_id')} = ${reg}`;
  };

const everyone: ScopeRule = () => () => 'true';

/** Days of its own history a register receives (REGISTER_HISTORY_DAYS, default 14); returns and reports read the edge. */
export const registerHistoryDays = () => serverConfig().REGISTER_HISTORY_DAYS;

/**
 * A register's own history, bounded so its local copy does not grow for years: rows of the last
 * `registerHistoryDays()` days plus the rows `current` keeps (e.g. an open shift). Rows that age
 * out are not deleted from a register that already has them; a fresh sync no longer sends them.
 */
const recent =
  (rule: ScopeRule, at: string, current: (scope: ShapeScope, b: Binder) => (alias: string) => string): ScopeRule =>
  (scope, b) => {
    const base = rule(scope, b);
    if (!base) return null;
    const days = b.bind(registerHistoryDays(), 'int4');
    const kept = current(scope, b);
    return (a) => `${base(a)} AND (${col(a, at)} >= now() - make_interval(days => ${days}) OR ${kept(a)})`;
  };

/** Sales of the register's open shifts, however long open (the shift list is read once per query, not per row). */
const openShiftOfRegister = (scope: ShapeScope, b: Binder) => {
  const own = scope.deviceIds?.length ? `s.device_id = ANY(${b.bind(scope.deviceIds, 'uuid[]')})` : `s.register_id = ${b.bind(scope.registerId, 'uuid')}`;
  return (a: string) => `${col(a, 'shift_id')} = ANY(ARRAY(SELECT s.id FROM public.shifts s WHERE s.status = 'open' AND ${own}))`;
};

const t = (name: string, columns: string[], scope: ScopeRule): ShapeTable => ({ name, columns, scope });

const TABLES: ShapeTable[] = [
  t(
    'companies',
    [
      'id',
      'code',
      'name',
      'currency',
      'currency_exponent',
      'rounding_mode',
      'prices_include_tax',
      'tax_rounding',
      'legal_name',
      'vat_id',
      'receipt_footer',
      'created_at',
      'updated_at',
    ],
    byCompany('id'),
  ),
  t('stores', ['id', 'name', 'address', 'created_at', 'updated_at'], byRegisterStore('id')),
  t(
    'store_settings',
    ['store_id', 'default_company_id', 'printer_address', 'receipt_footer', 'time_zone', 'shift_variance_threshold', 'updated_at'],
    byRegisterStore('store_id'),
  ),
  t('registers', ['id', 'store_id', 'code', 'name', 'created_at'], (scope, b) => {
    if (!scope.registerId) return null;
    const reg = b.bind(scope.registerId, 'uuid');
    return (a) => `${col(a, 'id')} = ${reg}`;
  }),
  // Never pairing_code_hash, pairing_expires_at or token_id; heartbeat columns stay on the edge.
  t('devices', ['id', 'register_id', 'company_id', 'warehouse_id', 'code', 'status', 'paired_at', 'revoked_at', 'created_at'], (scope, b) => {
    if (!scope.registerId) return null;
    const reg = b.bind(scope.registerId, 'uuid');
    const companies = b.bind(scope.companyIds, 'uuid[]');
    return (a) => `${col(a, 'register_id')} = ${reg} AND ${col(a, 'company_id')} = ANY(${companies})`;
  }),
  // pin_hash is a scrypt hash: the register checks PINs offline.
  t('cashiers', ['id', 'name', 'pin_hash', 'active', 'created_at', 'updated_at'], (scope, b) => {
    const companies = b.bind(scope.companyIds, 'uuid[]');
    return (a) => `EXISTS (SELECT 1 FROM public.cashier_companies cc WHERE cc.cashier_id = ${col(a, 'id')} AND cc.company_id = ANY(${companies}))`;
  }),
  t('cashier_companies', ['cashier_id', 'company_id', 'role'], byCompany()),
  t('tax_rates', ['id', 'company_id', 'code', 'name', 'rate_bp', 'is_default', 'active', 'created_at', 'updated_at'], byCompany()),
  t(
    'items',
    [
      'id',
      'company_id',
      'code',
      'name',
      'item_group',
      'uom',
      'unit_precision',
      'tax_rate_id',
      'max_discount_bp',
      'disabled',
      'allow_sales',
      'maintain_stock',
      'created_at',
      'updated_at',
    ],
    byCompany(),
  ),
  t('barcodes', ['id', 'company_id', 'item_id', 'code', 'barcode_type'], byCompany()),
  t('prices', ['id', 'company_id', 'item_id', 'price_list', 'amount', 'currency', 'updated_at'], byCompany()),
  t(
    'customers',
    ['id', 'code', 'name', 'customer_type', 'customer_group', 'territory', 'tax_id', 'email', 'phone', 'disabled', 'created_at', 'updated_at'],
    everyone,
  ),
  t('customer_credit', ['customer_id', 'company_id', 'credit_limit', 'balance', 'updated_at'], byCompany()),
  t(
    'sales',
    [
      'id',
      'company_id',
      'store_id',
      'register_id',
      'device_id',
      'cashier_id',
      'shift_id',
      'customer_id',
      'event_id',
      'receipt_number',
      'status',
      'subtotal',
      'discount_total',
      'net_total',
      'tax_total',
      'total',
      'change_due',
      'tax_summary',
      'flagged_for_adjustment',
      'occurred_at',
      'received_at',
    ],
    recent(byCompanyAndRegister(), 'occurred_at', openShiftOfRegister),
  ),
  t(
    'rejected_events',
    ['id', 'event_id', 'source', 'device_id', 'register_id', 'company_id', 'type', 'payload', 'reason', 'field', 'status', 'created_at', 'resolved_at'],
    recent(byCompanyAndRegister({ companyMayBeNull: true }), 'created_at', () => (a) => `${col(a, 'status')} = 'pending'`),
  ),
  t(
    'shifts',
    [
      'id',
      'company_id',
      'register_id',
      'device_id',
      'cashier_id',
      'status',
      'opening_float',
      'opened_at',
      'closed_at',
      'counted_cash',
      'expected_cash',
      'variance',
    ],
    recent(byCompanyAndRegister(), 'opened_at', () => (a) => `${col(a, 'status')} = 'open'`),
  ),
  // The register sees whether its company's flagged invoices were settled; admin notes stay on the edge.
  t('adjustment_queue', ['id', 'company_id', 'sale_id', 'status', 'reasons', 'created_at', 'resolved_at', 'resolution_action'], byCompany()),
];

export const shapeTables: ReadonlyMap<string, ShapeTable> = new Map(TABLES.map((x) => [x.name, x]));
