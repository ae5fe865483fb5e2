// The whole store domain. Rules of thumb that every table follows:
// - money is an integer of minor units (`*_amount`, totals); never numeric/float;
// - quantities are integer thousandths of the unit (`quantity_milli`), so weighed goods need no floats;
// - every company-owned row carries `company_id`; customers are the one shared entity;
// - ids are uuids; rows a register creates offline (sales, shifts…) keep the register's uuid.

import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql, type SQLWrapper } from 'drizzle-orm';
import {
  ACTOR_TYPES,
  ADJUSTMENT_STATUSES,
  ADMIN_ROLES,
  BACKUP_KINDS,
  BACKUP_RESULTS,
  CASH_MOVEMENT_KINDS,
  CASHIER_ROLES,
  CHANGE_OPERATIONS,
  COMPANY_ROUNDING_MODES,
  DEVICE_STATUSES,
  REGISTER_EVENT_STATUSES,
  REJECTION_SOURCES,
  REJECTION_STATUSES,
  RETURN_TENDERS,
  SALE_STATUSES,
  SHIFT_STATUSES,
  STOCK_MOVEMENT_REASONS,
  TAX_ROUNDINGS,
  TENDER_KINDS,
} from './statuses';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
/** A status/kind column's CHECK: the database refuses any value outside its list in db/statuses.ts. */
const oneOf = (name: string, column: SQLWrapper, values: readonly string[]) =>
  check(name, sql`${column} IN (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`);
const companyRef = () =>
  uuid('company_id')
    .notNull()
    .references(() => companies.id);

export const companies = pgTable(
  'companies',
  {
    id: id(),
    /** One or two letters; prefixes receipt numbers (U-R01-000123). */
    code: text('code').notNull().unique(),
    name: text('name').notNull().unique(),
    currency: text('currency').notNull().default('EUR'),
    currencyExponent: integer('currency_exponent').notNull().default(2),
    roundingMode: text('rounding_mode', { enum: COMPANY_ROUNDING_MODES }).notNull().default('HalfUp'),
    pricesIncludeTax: boolean('prices_include_tax').notNull().default(true),
    taxRounding: text('tax_rounding', { enum: TAX_ROUNDINGS }).notNull().default('line'),
    /** Printed on receipts under the trading name when it differs; empty means the name. */
    legalName: text('legal_name').notNull().default(''),
    vatId: text('vat_id').notNull().default(''),
    address: text('address').notNull().default(''),
    receiptFooter: text('receipt_footer').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [oneOf('companies_rounding_mode', t.roundingMode, COMPANY_ROUNDING_MODES), oneOf('companies_tax_rounding', t.taxRounding, TAX_ROUNDINGS)],
);

export const stores = pgTable('stores', {
  id: id(),
  name: text('name').notNull(),
  address: text('address').notNull().default(''),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const storeSettings = pgTable(
  'store_settings',
  {
    storeId: uuid('store_id')
      .primaryKey()
      .references(() => stores.id),
    /** Null until the store has a company (a store set up from zero). */
    defaultCompanyId: uuid('default_company_id').references(() => companies.id),
    /** Raw ESC/POS printer address (host:port); empty means browser printing only. */
    printerAddress: text('printer_address').notNull().default(''),
    receiptFooter: text('receipt_footer').notNull().default(''),
    /** Fewest digits a new cashier PIN may have (4–8); existing PINs keep working until changed. */
    pinMinLength: integer('pin_min_length').notNull().default(4),
    /** IANA zone every screen, receipt and export shows times in; stored times stay UTC. */
    timeZone: text('time_zone').notNull().default('UTC'),
    /** ISO 4217 currency new companies start with. */
    currency: text('currency').notNull().default('EUR'),
    /** A shift closed at the register whose |counted − expected| is above this (minor units) needs a manager's PIN. */
    shiftVarianceThreshold: integer('shift_variance_threshold').notNull().default(1000),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('store_settings_pin_min_length', sql`${t.pinMinLength} BETWEEN 4 AND 8`),
    check('store_settings_shift_variance_threshold', sql`${t.shiftVarianceThreshold} >= 0`),
  ],
);

export const warehouses = pgTable(
  'warehouses',
  {
    id: id(),
    companyId: companyRef(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('warehouses_company_code').on(t.companyId, t.code)],
);

/** A physical till (one browser). It holds one device per company. */
export const registers = pgTable('registers', {
  id: id(),
  storeId: uuid('store_id')
    .notNull()
    .references(() => stores.id),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/** A register's identity inside one company: what a device token names and what receipts are numbered by. */
export const devices = pgTable(
  'devices',
  {
    id: id(),
    registerId: uuid('register_id')
      .notNull()
      .references(() => registers.id),
    companyId: companyRef(),
    warehouseId: uuid('warehouse_id').references(() => warehouses.id),
    /** Printed in receipt numbers; a re-paired register gets a new code so numbers never repeat. */
    code: text('code').notNull(),
    status: text('status', { enum: DEVICE_STATUSES }).notNull().default('unpaired'),
    pairingCodeHash: text('pairing_code_hash'),
    pairingExpiresAt: timestamp('pairing_expires_at', { withTimezone: true }),
    tokenId: text('token_id'),
    pairedAt: timestamp('paired_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    appVersion: text('app_version'),
    queueDepth: integer('queue_depth').notNull().default(0),
    /** The web origin the register's browser paired from: its database, queue and offline shell live there. */
    pairedOrigin: text('paired_origin'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('devices_register_company').on(t.registerId, t.companyId),
    uniqueIndex('devices_company_code').on(t.companyId, t.code),
    oneOf('devices_status', t.status, DEVICE_STATUSES),
  ],
);

export const cashiers = pgTable('cashiers', {
  id: id(),
  name: text('name').notNull(),
  /** scrypt hash string (see core PIN hashing); never the PIN itself. */
  pinHash: text('pin_hash').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const cashierCompanies = pgTable(
  'cashier_companies',
  {
    cashierId: uuid('cashier_id')
      .notNull()
      .references(() => cashiers.id),
    companyId: companyRef(),
    role: text('role', { enum: CASHIER_ROLES }).notNull().default('cashier'),
  },
  (t) => [primaryKey({ columns: [t.cashierId, t.companyId] }), oneOf('cashier_companies_role', t.role, CASHIER_ROLES)],
);

export const admins = pgTable(
  'admins',
  {
    id: id(),
    email: text('email').notNull().unique(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ADMIN_ROLES }).notNull().default('admin'),
    active: boolean('active').notNull().default(true),
    // Set on the demo admin: every admin page but the password change refuses until it is cleared.
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [oneOf('admins_role', t.role, ADMIN_ROLES)],
);

// Server-side admin sessions: the cookie holds a random token, this row its SHA-256. Deleting the
// row (sign-out, password change) ends the session; idle and absolute expiry are checked on every use.
export const adminSessions = pgTable(
  'admin_sessions',
  {
    id: text('id').primaryKey(),
    adminId: uuid('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('admin_sessions_admin_idx').on(t.adminId)],
);

// Sign-in throttling, one row per key (`account:<email>`, `client:<address>`, `setup:<address>`).
// Every attempt bumps `attempts` in one atomic upsert; `not_before` is when the next attempt is allowed.
export const adminLoginLimits = pgTable('admin_login_limits', {
  key: text('key').primaryKey(),
  attempts: integer('attempts').notNull().default(0),
  allowed: boolean('allowed').notNull().default(true),
  notBefore: timestamp('not_before', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: updatedAt(),
});

export const taxRates = pgTable(
  'tax_rates',
  {
    id: id(),
    companyId: companyRef(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Basis points of a percent: 2000 = 20.00 %. */
    rateBp: integer('rate_bp').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('tax_rates_company_code').on(t.companyId, t.code)],
);

/** The list item groups are chosen from in the back office; items keep the group's name as text. */
export const itemGroups = pgTable('item_groups', {
  id: id(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const items = pgTable(
  'items',
  {
    id: id(),
    companyId: companyRef(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    itemGroup: text('item_group').notNull().default(''),
    uom: text('uom').notNull().default('Nos'),
    /** Decimals a quantity may have for this unit (0 for pieces, 3 for kg). */
    unitPrecision: integer('unit_precision').notNull().default(0),
    taxRateId: uuid('tax_rate_id').references(() => taxRates.id),
    /** Largest line discount a cashier may give, in basis points. */
    maxDiscountBp: integer('max_discount_bp').notNull().default(0),
    disabled: boolean('disabled').notNull().default(false),
    allowSales: boolean('allow_sales').notNull().default(true),
    maintainStock: boolean('maintain_stock').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('items_company_code').on(t.companyId, t.code), index('items_company_name').on(t.companyId, t.name)],
);

export const barcodes = pgTable(
  'barcodes',
  {
    id: id(),
    companyId: companyRef(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    barcodeType: text('barcode_type').notNull().default(''),
  },
  // Unique per company: the same code may exist once in each company.
  (t) => [uniqueIndex('barcodes_company_code').on(t.companyId, t.code), index('barcodes_item').on(t.itemId)],
);

export const prices = pgTable(
  'prices',
  {
    id: id(),
    companyId: companyRef(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    priceList: text('price_list').notNull().default('Standard Selling'),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('prices_item_list').on(t.itemId, t.priceList)],
);

/** Shared by both companies. */
export const customers = pgTable(
  'customers',
  {
    id: id(),
    /** External key (e.g. the ERPNext customer ID); upserts match on it. */
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    customerType: text('customer_type').notNull().default('Individual'),
    customerGroup: text('customer_group').notNull().default(''),
    territory: text('territory').notNull().default(''),
    taxId: text('tax_id').notNull().default(''),
    email: text('email').notNull().default(''),
    phone: text('phone').notNull().default(''),
    address: text('address').notNull().default(''),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('customers_name').on(t.name)],
);

export const customerCredit = pgTable(
  'customer_credit',
  {
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    companyId: companyRef(),
    creditLimit: integer('credit_limit').notNull().default(0),
    /** What the customer owes this company on account. */
    balance: integer('balance').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.companyId] })],
);

export const shifts = pgTable(
  'shifts',
  {
    id: uuid('id').primaryKey(),
    companyId: companyRef(),
    registerId: uuid('register_id')
      .notNull()
      .references(() => registers.id),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    cashierId: uuid('cashier_id').references(() => cashiers.id),
    status: text('status', { enum: SHIFT_STATUSES }).notNull().default('open'),
    openingFloat: integer('opening_float').notNull().default(0),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    countedCash: integer('counted_cash'),
    expectedCash: integer('expected_cash'),
    variance: integer('variance'),
    /** Closed at the register: the shift.closed event, who counted, and the manager who approved the variance. */
    closeEventId: uuid('close_event_id'),
    closedByCashierId: uuid('closed_by_cashier_id').references(() => cashiers.id),
    approvedByCashierId: uuid('approved_by_cashier_id').references(() => cashiers.id),
    /** What the edge found when the register's close arrived (variance without approval…), for review. */
    closeFindings: jsonb('close_findings').notNull().default([]),
  },
  (t) => [index('shifts_device_status').on(t.deviceId, t.status), oneOf('shifts_status', t.status, SHIFT_STATUSES)],
);

export const cashMovements = pgTable(
  'cash_movements',
  {
    id: uuid('id').primaryKey(),
    companyId: companyRef(),
    shiftId: uuid('shift_id')
      .notNull()
      .references(() => shifts.id),
    kind: text('kind', { enum: CASH_MOVEMENT_KINDS }).notNull(),
    amount: integer('amount').notNull(),
    reason: text('reason').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [oneOf('cash_movements_kind', t.kind, CASH_MOVEMENT_KINDS)],
);

/** Numbered, immutable end-of-day close per register and company. */
export const zReports = pgTable(
  'z_reports',
  {
    id: id(),
    companyId: companyRef(),
    registerId: uuid('register_id')
      .notNull()
      .references(() => registers.id),
    shiftId: uuid('shift_id')
      .notNull()
      .unique()
      .references(() => shifts.id),
    number: integer('number').notNull(),
    figures: jsonb('figures').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('z_reports_company_number').on(t.companyId, t.number)],
);

export const sales = pgTable(
  'sales',
  {
    /** Generated on the register. */
    id: uuid('id').primaryKey(),
    companyId: companyRef(),
    storeId: uuid('store_id').references(() => stores.id),
    registerId: uuid('register_id')
      .notNull()
      .references(() => registers.id),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    cashierId: uuid('cashier_id').references(() => cashiers.id),
    shiftId: uuid('shift_id').references(() => shifts.id),
    customerId: uuid('customer_id').references(() => customers.id),
    eventId: uuid('event_id').notNull().unique(),
    receiptNumber: text('receipt_number').notNull(),
    status: text('status', { enum: SALE_STATUSES }).notNull().default('completed'),
    subtotal: integer('subtotal').notNull(),
    discountTotal: integer('discount_total').notNull(),
    netTotal: integer('net_total').notNull(),
    taxTotal: integer('tax_total').notNull(),
    total: integer('total').notNull(),
    changeDue: integer('change_due').notNull().default(0),
    taxSummary: jsonb('tax_summary').notNull(),
    flaggedForAdjustment: boolean('flagged_for_adjustment').notNull().default(false),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sales_company_receipt').on(t.companyId, t.receiptNumber),
    // The admin Sales list: newest first, keyset on (occurred_at, id), unfiltered or by one filter.
    index('sales_occurred').on(t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('sales_company_occurred').on(t.companyId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('sales_register_occurred').on(t.registerId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('sales_cashier_occurred').on(t.cashierId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('sales_flagged_occurred')
      .on(t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.flaggedForAdjustment}`),
    index('sales_shift').on(t.shiftId),
    oneOf('sales_status', t.status, SALE_STATUSES),
  ],
);

export const saleLines = pgTable(
  'sale_lines',
  {
    id: uuid('id').primaryKey(),
    saleId: uuid('sale_id')
      .notNull()
      .references(() => sales.id),
    /** The invoice company (the sale's). */
    companyId: companyRef(),
    lineNo: integer('line_no').notNull(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    /** The company that owns the item; differs from company_id on a cross-company line. */
    itemCompanyId: uuid('item_company_id')
      .notNull()
      .references(() => companies.id),
    crossCompany: boolean('cross_company').notNull().default(false),
    crossCompanyReason: text('cross_company_reason'),
    name: text('name').notNull(),
    quantityMilli: integer('quantity_milli').notNull(),
    unitPrice: integer('unit_price').notNull(),
    lineDiscount: integer('line_discount').notNull().default(0),
    invoiceDiscountShare: integer('invoice_discount_share').notNull().default(0),
    net: integer('net').notNull(),
    tax: integer('tax').notNull(),
    total: integer('total').notNull(),
    taxRateId: uuid('tax_rate_id').references(() => taxRates.id),
    rateBp: integer('rate_bp').notNull(),
  },
  (t) => [index('sale_lines_sale').on(t.saleId)],
);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    saleId: uuid('sale_id')
      .notNull()
      .references(() => sales.id),
    companyId: companyRef(),
    kind: text('kind', { enum: TENDER_KINDS }).notNull(),
    amount: integer('amount').notNull(),
    /** Cash handed over (cash only). */
    given: integer('given'),
    /** Card approval code; never a card number. */
    reference: text('reference'),
    customerId: uuid('customer_id').references(() => customers.id),
  },
  // The Sales list's tender filter: a common tender probes (sale_id, kind) along the sales in date
  // order; a rare one (credit) starts from its few payments (kind, sale_id).
  (t) => [index('payments_sale_kind').on(t.saleId, t.kind), index('payments_kind_sale').on(t.kind, t.saleId), oneOf('payments_kind', t.kind, TENDER_KINDS)],
);

export const returns = pgTable(
  'returns',
  {
    id: uuid('id').primaryKey(),
    companyId: companyRef(),
    originalSaleId: uuid('original_sale_id')
      .notNull()
      .references(() => sales.id),
    deviceId: uuid('device_id').references(() => devices.id),
    cashierId: uuid('cashier_id').references(() => cashiers.id),
    receiptNumber: text('receipt_number').notNull(),
    reason: text('reason').notNull().default(''),
    total: integer('total').notNull(),
    tender: text('tender', { enum: RETURN_TENDERS }).notNull().default('cash'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('returns_company_receipt').on(t.companyId, t.receiptNumber), oneOf('returns_tender', t.tender, RETURN_TENDERS)],
);

export const returnLines = pgTable('return_lines', {
  id: id(),
  returnId: uuid('return_id')
    .notNull()
    .references(() => returns.id),
  companyId: companyRef(),
  saleLineId: uuid('sale_line_id')
    .notNull()
    .references(() => saleLines.id),
  quantityMilli: integer('quantity_milli').notNull(),
  amount: integer('amount').notNull(),
});

/** Invoices with lines from the other company, waiting for an admin to settle them. */
export const adjustmentQueue = pgTable(
  'adjustment_queue',
  {
    id: id(),
    companyId: companyRef(),
    saleId: uuid('sale_id')
      .notNull()
      .unique()
      .references(() => sales.id),
    status: text('status', { enum: ADJUSTMENT_STATUSES }).notNull().default('open'),
    reasons: jsonb('reasons').notNull(),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    resolutionAction: text('resolution_action'),
    resolutionNote: text('resolution_note'),
  },
  (t) => [
    // The Adjustment Queue: open entries oldest first, settled ones newest first, both keyset-paginated.
    index('adjustment_queue_open')
      .on(t.createdAt, t.id)
      .where(sql`${t.status} = 'open'`),
    index('adjustment_queue_resolved')
      .on(t.resolvedAt.desc(), t.id.desc())
      .where(sql`${t.status} <> 'open'`),
    oneOf('adjustment_queue_status', t.status, ADJUSTMENT_STATUSES),
  ],
);

/** Every register event, once: the idempotency ledger for push (a replay returns `result`). */
export const registerEvents = pgTable(
  'register_events',
  {
    eventId: uuid('event_id').primaryKey(),
    deviceId: uuid('device_id').notNull(),
    type: text('type').notNull(),
    status: text('status', { enum: REGISTER_EVENT_STATUSES }).notNull(),
    result: jsonb('result').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('register_events_device').on(t.deviceId, t.receivedAt), oneOf('register_events_status', t.status, REGISTER_EVENT_STATUSES)],
);

/** The outbox an operator works through: every rejected event or input, with why. */
export const rejectedEvents = pgTable(
  'rejected_events',
  {
    id: id(),
    eventId: uuid('event_id'),
    source: text('source', { enum: REJECTION_SOURCES }).notNull(),
    deviceId: uuid('device_id'),
    registerId: uuid('register_id'),
    companyId: uuid('company_id'),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    reason: text('reason').notNull(),
    field: text('field'),
    status: text('status', { enum: REJECTION_STATUSES }).notNull().default('pending'),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    note: text('note'),
  },
  (t) => [
    // System → Outbox: pending or all, newest first, keyset on (created_at, id).
    index('rejected_events_status').on(t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('rejected_events_created').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    uniqueIndex('rejected_events_event').on(t.eventId),
    oneOf('rejected_events_source', t.source, REJECTION_SOURCES),
    oneOf('rejected_events_status', t.status, REJECTION_STATUSES),
  ],
);

export const stockMovements = pgTable(
  'stock_movements',
  {
    id: id(),
    companyId: companyRef(),
    warehouseId: uuid('warehouse_id').references(() => warehouses.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    /** Signed: negative leaves the warehouse. */
    quantityMilli: integer('quantity_milli').notNull(),
    reason: text('reason', { enum: STOCK_MOVEMENT_REASONS }).notNull(),
    saleId: uuid('sale_id').references(() => sales.id),
    returnId: uuid('return_id').references(() => returns.id),
    createdAt: createdAt(),
  },
  (t) => [index('stock_movements_item').on(t.itemId), oneOf('stock_movements_reason', t.reason, STOCK_MOVEMENT_REASONS)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorType: text('actor_type', { enum: ACTOR_TYPES }).notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_entity').on(t.entity, t.entityId), oneOf('audit_log_actor_type', t.actorType, ACTOR_TYPES)],
);

/**
 * Change capture for the shape API. `lsn` comes from `change_counter`: the capture trigger updates
 * its one row, and that row lock is held to commit, so offsets follow commit order (ADR 201).
 * Trimming and restarting the log: `db/change-log.ts`.
 */
export const changeLog = pgTable(
  'change_log',
  {
    lsn: bigint('lsn', { mode: 'number' }).notNull(),
    opPosition: integer('op_position').notNull(),
    txid: bigint('txid', { mode: 'number' }).notNull(),
    tableName: text('table_name').notNull(),
    operation: text('operation', { enum: CHANGE_OPERATIONS }).notNull(),
    companyId: uuid('company_id'),
    /** Row as Postgres text values (`to_jsonb` of a text-cast record). */
    row: jsonb('row').notNull(),
    oldRow: jsonb('old_row'),
    createdAt: createdAt(),
  },
  // created_at: the worker's compaction cutoff (the newest lsn older than the retention).
  (t) => [primaryKey({ columns: [t.lsn, t.opPosition] }), index('change_log_table_lsn').on(t.tableName, t.lsn), index('change_log_created').on(t.createdAt)],
);

export const changeCounter = pgTable('change_counter', {
  id: integer('id').primaryKey().default(1),
  lastLsn: bigint('last_lsn', { mode: 'number' }).notNull().default(0),
  /** Lowest lsn still in change_log; older offsets get 409 must-refetch. */
  compactedThrough: bigint('compacted_through', { mode: 'number' }).notNull().default(0),
});

export const importRuns = pgTable('import_runs', {
  id: id(),
  source: text('source').notNull(), // erpnext
  startedAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  dryRun: boolean('dry_run').notNull().default(false),
  summary: jsonb('summary'),
  startedBy: text('started_by').notNull().default('cli'),
});

export const importRejections = pgTable(
  'import_rejections',
  {
    id: id(),
    runId: uuid('run_id')
      .notNull()
      .references(() => importRuns.id),
    file: text('file').notNull(),
    line: integer('line').notNull(),
    column: text('column'),
    reason: text('reason').notNull(),
    row: jsonb('row'),
  },
  (t) => [index('import_rejections_run').on(t.runId)],
);

/**
 * Per-worker Prometheus snapshots. Each function runs in its own worker thread under
 * serverless-offline, so `/metrics` aggregates what every worker last flushed here.
 */
export const metricsSnapshots = pgTable('metrics_snapshots', {
  workerId: text('worker_id').primaryKey(),
  functionName: text('function_name').notNull(),
  metrics: jsonb('metrics').notNull(),
  updatedAt: updatedAt(),
});

/** Liveness of background parts (the scheduled worker), shown by /health. */
export const heartbeats = pgTable('heartbeats', {
  name: text('name').primaryKey(),
  beatAt: timestamp('beat_at', { withTimezone: true }).notNull().defaultNow(),
  detail: jsonb('detail'),
});

/** Edge-wide secrets (device-token signing key), created on first use and shared by every worker. */
export const edgeKeys = pgTable('edge_keys', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/**
 * Every backup the edge took or was asked for (infra/backup): `requested` rows are taken by the
 * launcher, which owns the embedded database. A good one also moves the `backup` heartbeat.
 */
export const backups = pgTable(
  'backups',
  {
    id: id(),
    kind: text('kind', { enum: BACKUP_KINDS }).notNull(),
    requestedBy: text('requested_by'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    result: text('result', { enum: BACKUP_RESULTS }).notNull().default('requested'),
    file: text('file'),
    bytes: bigint('bytes', { mode: 'number' }),
    sha256: text('sha256'),
    error: text('error'),
  },
  (t) => [index('backups_requested_at').on(t.requestedAt), oneOf('backups_kind', t.kind, BACKUP_KINDS), oneOf('backups_result', t.result, BACKUP_RESULTS)],
);
