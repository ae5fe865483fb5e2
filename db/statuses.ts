// The allowed values of every status/kind column, in one place: db/schema.ts types the columns with
// them and turns each list into a CHECK constraint, so code and database agree on the vocabulary.
// No imports: anything may use these unions.

export const DEVICE_STATUSES = ['unpaired', 'active', 'revoked'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const ADMIN_ROLES = ['admin', 'manager'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const SHIFT_STATUSES = ['open', 'closed'] as const;
export type ShiftStatus = (typeof SHIFT_STATUSES)[number];

export const CASH_MOVEMENT_KINDS = ['in', 'out'] as const;
export type CashMovementKind = (typeof CASH_MOVEMENT_KINDS)[number];

export const SALE_STATUSES = ['completed', 'voided'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

export const TENDER_KINDS = ['cash', 'card', 'credit'] as const;
export type TenderKind = (typeof TENDER_KINDS)[number];

/** A return pays back in cash or to the card; never on account. */
export const RETURN_TENDERS = ['cash', 'card'] as const;
export type ReturnTender = (typeof RETURN_TENDERS)[number];

export const ADJUSTMENT_STATUSES = ['open', 'resolved'] as const;
export type AdjustmentStatus = (typeof ADJUSTMENT_STATUSES)[number];

export const REGISTER_EVENT_STATUSES = ['accepted', 'rejected'] as const;
export type RegisterEventStatus = (typeof REGISTER_EVENT_STATUSES)[number];

export const REJECTION_SOURCES = ['push', 'api', 'import'] as const;
export type RejectionSource = (typeof REJECTION_SOURCES)[number];

export const REJECTION_STATUSES = ['pending', 'retried', 'dismissed'] as const;
export type RejectionStatus = (typeof REJECTION_STATUSES)[number];

/** Why stock moved; `void` reverses a voided sale's `sale` movements. */
export const STOCK_MOVEMENT_REASONS = ['sale', 'void', 'return', 'adjustment', 'transfer'] as const;
export type StockMovementReason = (typeof STOCK_MOVEMENT_REASONS)[number];

export const ACTOR_TYPES = ['admin', 'device', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const BACKUP_KINDS = ['scheduled', 'manual', 'cli', 'upgrade'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export const BACKUP_RESULTS = ['requested', 'running', 'ok', 'failed'] as const;
export type BackupResult = (typeof BACKUP_RESULTS)[number];

/** A cashier's role in a company; a `manager` may approve a large shift variance at the register (ADR 701). */
export const CASHIER_ROLES = ['cashier', 'manager'] as const;
export type CashierRole = (typeof CASHIER_ROLES)[number];

/** What the change-capture trigger records (`lower(TG_OP)`, migration 0001). */
export const CHANGE_OPERATIONS = ['insert', 'update', 'delete'] as const;
export type ChangeOperation = (typeof CHANGE_OPERATIONS)[number];

/** A company's money rounding: the same list as core's ROUNDING_MODES (db/statuses.test.ts keeps them equal). */
export const COMPANY_ROUNDING_MODES = ['HalfUp', 'Truncate', 'Bankers'] as const;

/** Tax rounded per line or once per invoice (core/events.ts). */
export const TAX_ROUNDINGS = ['line', 'invoice'] as const;
