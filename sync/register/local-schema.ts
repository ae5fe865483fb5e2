// The register's local database (PGlite: idb:// in the browser, a folder or memory in Node).
// Synced tables mirror the edge's allow-listed shape columns and are written only by sync;
// the register's own writes go to local_sales, local_shifts and outbox, always in one transaction (and to
// pin_attempts on PIN login).
//
// Every statement is idempotent and ADDITIVE (new tables, new nullable columns, indexes; never a drop,
// rename or new NOT NULL): a register updated to a newer app and then served an older one by a
// rolled-back edge opens the same database with the older statements, and its queued sales survive
// both ways (ADR 003).

/** Synced tables: name → [primary key columns, column DDL]. Keep in step with sync/shape-tables.ts. */
export const SYNCED_TABLES: Record<string, { primaryKey: string[]; ddl: string }> = {
  companies: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, code text, name text, currency text, currency_exponent int, rounding_mode text,
          prices_include_tax boolean, tax_rounding text, legal_name text, vat_id text, receipt_footer text,
          created_at timestamptz, updated_at timestamptz`,
  },
  stores: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, name text, address text, created_at timestamptz, updated_at timestamptz`,
  },
  store_settings: {
    primaryKey: ['store_id'],
    ddl: `store_id uuid PRIMARY KEY, default_company_id uuid, printer_address text, receipt_footer text, time_zone text,
          shift_variance_threshold int, updated_at timestamptz`,
  },
  devices: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, register_id uuid, company_id uuid, warehouse_id uuid, code text, status text,
          paired_at timestamptz, revoked_at timestamptz, created_at timestamptz`,
  },
  cashiers: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, name text, pin_hash text, active boolean, created_at timestamptz, updated_at timestamptz`,
  },
  cashier_companies: {
    primaryKey: ['cashier_id', 'company_id'],
    ddl: `cashier_id uuid, company_id uuid, role text, PRIMARY KEY (cashier_id, company_id)`,
  },
  tax_rates: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, company_id uuid, code text, name text, rate_bp int, is_default boolean, active boolean,
          created_at timestamptz, updated_at timestamptz`,
  },
  items: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, company_id uuid, code text, name text, item_group text, uom text, unit_precision int,
          tax_rate_id uuid, max_discount_bp int, disabled boolean, allow_sales boolean, maintain_stock boolean,
          created_at timestamptz, updated_at timestamptz`,
  },
  barcodes: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, company_id uuid, item_id uuid, code text, barcode_type text`,
  },
  prices: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, company_id uuid, item_id uuid, price_list text, amount int, currency text, updated_at timestamptz`,
  },
  sales: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, company_id uuid, store_id uuid, register_id uuid, device_id uuid, cashier_id uuid, shift_id uuid,
          customer_id uuid, event_id uuid, receipt_number text, status text, subtotal int, discount_total int, net_total int,
          tax_total int, total int, change_due int, tax_summary jsonb, flagged_for_adjustment boolean,
          occurred_at timestamptz, received_at timestamptz`,
  },
  shifts: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, company_id uuid, register_id uuid, device_id uuid, cashier_id uuid, status text, opening_float int,
          opened_at timestamptz, closed_at timestamptz, counted_cash int, expected_cash int, variance int`,
  },
  rejected_events: {
    primaryKey: ['id'],
    ddl: `id uuid PRIMARY KEY, event_id uuid, source text, device_id uuid, register_id uuid, company_id uuid, type text,
          payload jsonb, reason text, field text, status text, created_at timestamptz, resolved_at timestamptz`,
  },
};

export const LOCAL_SCHEMA_SQL = [
  ...Object.entries(SYNCED_TABLES).map(([name, t]) => `CREATE TABLE IF NOT EXISTS ${name} (${t.ddl});`),
  // Columns added after registers were first set up (their shapes are refetched: the column list is in the shape hash).
  `ALTER TABLE companies ADD COLUMN IF NOT EXISTS legal_name text, ADD COLUMN IF NOT EXISTS vat_id text, ADD COLUMN IF NOT EXISTS receipt_footer text;`,
  `ALTER TABLE store_settings ADD COLUMN IF NOT EXISTS time_zone text;`,
  `ALTER TABLE store_settings ADD COLUMN IF NOT EXISTS shift_variance_threshold int;`,
  `CREATE INDEX IF NOT EXISTS barcodes_lookup ON barcodes (code, company_id);`,
  `CREATE INDEX IF NOT EXISTS items_name ON items (company_id, name);`,
  `CREATE INDEX IF NOT EXISTS prices_item ON prices (item_id);`,
  // This browser's identity as a register (one row).
  `CREATE TABLE IF NOT EXISTS register_identity (
     id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), token text NOT NULL, register_id uuid NOT NULL, register_code text NOT NULL,
     devices jsonb NOT NULL, paired_at timestamptz NOT NULL DEFAULT now());`,
  // Receipt numbers are allocated here, per device (register × company), gap-free.
  `CREATE TABLE IF NOT EXISTS receipt_counters (device_id uuid PRIMARY KEY, last_number text NOT NULL);`,
  `CREATE TABLE IF NOT EXISTS local_sales (
     id uuid PRIMARY KEY, event_id uuid NOT NULL UNIQUE, company_id uuid NOT NULL, receipt_number text NOT NULL,
     total int NOT NULL, sale jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`,
  // Events waiting for the edge. status: pending → accepted | rejected.
  `CREATE TABLE IF NOT EXISTS outbox (
     seq bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, type text NOT NULL, payload jsonb NOT NULL,
     status text NOT NULL DEFAULT 'pending', attempts int NOT NULL DEFAULT 0, reason text, field text,
     created_at timestamptz NOT NULL DEFAULT now(), settled_at timestamptz);`,
  `CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (status, seq);`,
  // Shifts opened or closed on this register (sync/register/register-shift.ts): written with their
  // shift.opened / shift.closed events, so the register knows its shift offline.
  `CREATE TABLE IF NOT EXISTS local_shifts (
     id uuid PRIMARY KEY, device_id uuid NOT NULL, company_id uuid NOT NULL, cashier_id uuid NOT NULL, opening_float int NOT NULL,
     opened_at timestamptz NOT NULL, status text NOT NULL, closed_at timestamptz, counted_cash int, expected_cash int, variance int,
     approved_by uuid);`,
  // Wrong-PIN lockout of this register's PIN pad (one row, app/pos/pin-lockout.ts). A PIN alone names the
  // cashier, so a wrong PIN belongs to no cashier: the pad is what gets locked. Kept here rather than in
  // browser storage so clearing it means wiping the register's pairing as well.
  `CREATE TABLE IF NOT EXISTS pin_attempts (
     id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), failures int NOT NULL DEFAULT 0 CHECK (failures >= 0),
     locked_until timestamptz, updated_at timestamptz NOT NULL DEFAULT now());`,
];
