// Sales list and detail for the back office, and the Adjustment Queue of flagged invoices.
import { findingsIn, isSaleFinding, type SaleFinding } from '../core/sale-findings';
import type { Database } from '../db/client';
import { many, maybeOne, one, type Cols, type SqlRow } from '../db/query';
import type { adjustmentQueue, cashiers, companies, payments, registers, saleLines, sales } from '../db/schema';
import type { TenderKind } from '../db/statuses';
import { DomainError } from '../core/errors';
import { inTransaction, parseInput, UUID_RE, writeAudit } from './admin-common';
import { decodeCursor, encodeCursor } from './pagination';
import { adjustmentResolveForm } from './forms/shifts';

export interface SaleFilters {
  companyId?: string;
  registerId?: string;
  cashierId?: string;
  /** Inclusive calendar days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  tender?: TenderKind;
  flaggedOnly?: boolean;
}

export interface SaleRow {
  id: string;
  receiptNumber: string;
  companyId: string;
  companyName: string;
  registerCode: string;
  cashierName: string | null;
  status: string;
  total: number;
  currencyExponent: number;
  tenders: string[];
  flagged: boolean;
  occurredAt: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads filters from a query string, dropping anything malformed rather than failing the page. */
export function saleFiltersFrom(params: URLSearchParams): SaleFilters {
  const id = (k: string) => {
    const v = params.get(k) ?? '';
    return UUID_RE.test(v) ? v : undefined;
  };
  const day = (k: string) => {
    const v = params.get(k) ?? '';
    return DAY.test(v) && !Number.isNaN(Date.parse(v)) ? v : undefined;
  };
  const tender = params.get('tender');
  return {
    companyId: id('company'),
    registerId: id('register'),
    cashierId: id('cashier'),
    from: day('from'),
    to: day('to'),
    tender: tender === 'cash' || tender === 'card' || tender === 'credit' ? tender : undefined,
    flaggedOnly: params.get('flagged') === '1',
  };
}

/**
 * The Sales list's statement: newest first, keyset on (occurred_at, id). Every filter alone is
 * served by an index in that order (db/schema.ts: sales_*_occurred, sales_flagged_occurred, and
 * payments_sale_kind for the tender probe). Exported so a test can EXPLAIN exactly this.
 */
export function salesListQuery(filters: SaleFilters, opts: { limit?: number; cursor?: string } = {}): { text: string; values: unknown[] } {
  const limit = opts.limit ?? 50;
  const params: unknown[] = [];
  const where: string[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filters.companyId) where.push(`s.company_id = ${bind(filters.companyId)}`);
  if (filters.registerId) where.push(`s.register_id = ${bind(filters.registerId)}`);
  if (filters.cashierId) where.push(`s.cashier_id = ${bind(filters.cashierId)}`);
  if (filters.from) where.push(`s.occurred_at >= ${bind(filters.from)}::date`);
  if (filters.to) where.push(`s.occurred_at < ${bind(filters.to)}::date + 1`);
  if (filters.tender) where.push(`EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id AND p.kind = ${bind(filters.tender)})`);
  if (filters.flaggedOnly) where.push(`s.flagged_for_adjustment`);
  let cursor;
  try {
    cursor = decodeCursor(opts.cursor);
  } catch {
    throw new DomainError('invalid', 'cursor', 'cursor: invalid page link');
  }
  if (cursor) where.push(`(s.occurred_at, s.id) < (${bind(cursor.k)}::timestamptz, ${bind(cursor.id)}::uuid)`);
  const text = `SELECT s.id, s.receipt_number, s.company_id, c.name AS company_name, c.currency_exponent, g.code AS register_code, k.name AS cashier_name,
            s.status, s.total, s.flagged_for_adjustment, s.occurred_at,
            COALESCE((SELECT array_agg(DISTINCT p.kind) FROM payments p WHERE p.sale_id = s.id), '{}') AS tenders
       FROM sales s JOIN companies c ON c.id = s.company_id JOIN registers g ON g.id = s.register_id
       LEFT JOIN cashiers k ON k.id = s.cashier_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY s.occurred_at DESC, s.id DESC LIMIT ${bind(limit + 1)}`;
  return { text, values: params };
}

/** Newest first, keyset-paginated on (occurred_at, id). */
export async function listSales(
  database: Database,
  filters: SaleFilters,
  opts: { limit?: number; cursor?: string } = {},
): Promise<{ sales: SaleRow[]; nextCursor: string | null }> {
  const limit = opts.limit ?? 50;
  const q = salesListQuery(filters, { ...opts, limit });
  type Row = Cols<typeof sales, 'id' | 'receipt_number' | 'company_id' | 'status' | 'total' | 'flagged_for_adjustment' | 'occurred_at'> & {
    company_name: string;
    currency_exponent: number;
    register_code: string;
    cashier_name: string | null;
    tenders: string[];
  };
  const rows: SaleRow[] = (await many<Row>(database.pool, q.text, q.values)).map((x) => ({
    id: x.id,
    receiptNumber: x.receipt_number,
    companyId: x.company_id,
    companyName: x.company_name,
    registerCode: x.register_code,
    cashierName: x.cashier_name,
    status: x.status,
    total: x.total,
    currencyExponent: x.currency_exponent,
    tenders: x.tenders,
    flagged: x.flagged_for_adjustment,
    occurredAt: x.occurred_at.toISOString(),
  }));
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { sales: page, nextCursor: more && last ? encodeCursor({ k: last.occurredAt, id: last.id }) : null };
}

export interface SaleFilterOptions {
  companies: { id: string; name: string }[];
  registers: { id: string; code: string; name: string }[];
  cashiers: { id: string; name: string }[];
}

export async function saleFilterOptions(database: Database): Promise<SaleFilterOptions> {
  const [companyList, registerList, cashierList] = await Promise.all([
    many<Cols<typeof companies, 'id' | 'name'>>(database.pool, `SELECT id, name FROM companies ORDER BY name`),
    many<Cols<typeof registers, 'id' | 'code' | 'name'>>(database.pool, `SELECT id, code, name FROM registers ORDER BY code`),
    many<Cols<typeof cashiers, 'id' | 'name'>>(database.pool, `SELECT id, name FROM cashiers ORDER BY name`),
  ]);
  return { companies: companyList, registers: registerList, cashiers: cashierList };
}

export interface TaxSummaryEntry {
  taxRateId: string | null;
  rateBp: number;
  net: number;
  tax: number;
  gross: number;
}

export interface SaleDetail {
  id: string;
  receiptNumber: string;
  status: string;
  companyId: string;
  companyName: string;
  currency: string;
  currencyExponent: number;
  registerCode: string;
  deviceCode: string;
  cashierName: string | null;
  customerName: string | null;
  shiftId: string | null;
  subtotal: number;
  discountTotal: number;
  netTotal: number;
  taxTotal: number;
  total: number;
  changeDue: number;
  taxSummary: TaxSummaryEntry[];
  flagged: boolean;
  occurredAt: string;
  receivedAt: string;
  lines: {
    lineNo: number;
    name: string;
    itemCode: string;
    itemCompanyName: string;
    crossCompany: boolean;
    crossCompanyReason: string | null;
    quantityMilli: number;
    unitPrice: number;
    lineDiscount: number;
    net: number;
    tax: number;
    total: number;
    rateBp: number;
  }[];
  payments: { kind: string; amount: number; given: number | null; reference: string | null; customerName: string | null }[];
  adjustment: {
    id: string;
    status: string;
    resolvedBy: string | null;
    resolvedAt: string | null;
    resolutionAction: string | null;
    resolutionNote: string | null;
  } | null;
  /** What the edge found when it booked the sale: expected vs claimed values (see posting/judge-sale.ts). */
  findings: SaleFinding[];
}

export async function getSale(database: Database, saleId: string): Promise<SaleDetail | undefined> {
  if (!UUID_RE.test(saleId)) return undefined;
  type SaleRowFull = SqlRow<typeof sales> &
    Cols<typeof companies, 'currency' | 'currency_exponent'> & {
      company_name: string;
      register_code: string;
      device_code: string;
      cashier_name: string | null;
      customer_name: string | null;
    };
  const s = await maybeOne<SaleRowFull>(
    database.pool,
    `SELECT s.*, c.name AS company_name, c.currency, c.currency_exponent, g.code AS register_code, d.code AS device_code,
              k.name AS cashier_name, cu.name AS customer_name
         FROM sales s JOIN companies c ON c.id = s.company_id JOIN registers g ON g.id = s.register_id JOIN devices d ON d.id = s.device_id
         LEFT JOIN cashiers k ON k.id = s.cashier_id LEFT JOIN customers cu ON cu.id = s.customer_id
        WHERE s.id = $1`,
    [saleId],
  );
  if (!s) return undefined;
  const [lines, tenders, a] = await Promise.all([
    many<SqlRow<typeof saleLines> & { item_code: string; item_company_name: string }>(
      database.pool,
      `SELECT l.*, i.code AS item_code, ic.name AS item_company_name FROM sale_lines l JOIN items i ON i.id = l.item_id
         JOIN companies ic ON ic.id = l.item_company_id WHERE l.sale_id = $1 ORDER BY l.line_no`,
      [saleId],
    ),
    many<SqlRow<typeof payments> & { customer_name: string | null }>(
      database.pool,
      `SELECT p.*, cu.name AS customer_name FROM payments p LEFT JOIN customers cu ON cu.id = p.customer_id WHERE p.sale_id = $1 ORDER BY p.kind`,
      [saleId],
    ),
    maybeOne<SqlRow<typeof adjustmentQueue>>(database.pool, `SELECT * FROM adjustment_queue WHERE sale_id = $1`, [saleId]),
  ]);
  return {
    id: s.id,
    receiptNumber: s.receipt_number,
    status: s.status,
    companyId: s.company_id,
    companyName: s.company_name,
    currency: s.currency,
    currencyExponent: s.currency_exponent,
    registerCode: s.register_code,
    deviceCode: s.device_code,
    cashierName: s.cashier_name,
    customerName: s.customer_name,
    shiftId: s.shift_id,
    subtotal: s.subtotal,
    discountTotal: s.discount_total,
    netTotal: s.net_total,
    taxTotal: s.tax_total,
    total: s.total,
    changeDue: s.change_due,
    // Written by the edge when it booked the sale (sync/push), in this shape.
    taxSummary: Array.isArray(s.tax_summary) ? (s.tax_summary as TaxSummaryEntry[]) : [],
    flagged: s.flagged_for_adjustment,
    occurredAt: s.occurred_at.toISOString(),
    receivedAt: s.received_at.toISOString(),
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      name: l.name,
      itemCode: l.item_code,
      itemCompanyName: l.item_company_name,
      crossCompany: l.cross_company,
      crossCompanyReason: l.cross_company_reason,
      quantityMilli: l.quantity_milli,
      unitPrice: l.unit_price,
      lineDiscount: l.line_discount,
      net: l.net,
      tax: l.tax,
      total: l.total,
      rateBp: l.rate_bp,
    })),
    payments: tenders.map((p) => ({ kind: p.kind, amount: p.amount, given: p.given, reference: p.reference, customerName: p.customer_name })),
    adjustment: a
      ? {
          id: a.id,
          status: a.status,
          resolvedBy: a.resolved_by,
          resolvedAt: a.resolved_at ? a.resolved_at.toISOString() : null,
          resolutionAction: a.resolution_action,
          resolutionNote: a.resolution_note,
        }
      : null,
    findings: a ? findingsIn(a.reasons) : [],
  };
}

// ---------------------------------------------------------------- Adjustment Queue

export { RESOLUTION_ACTIONS } from './forms/shifts';

export interface AdjustmentView {
  id: string;
  saleId: string;
  receiptNumber: string;
  companyName: string;
  currencyExponent: number;
  registerCode: string;
  total: number;
  occurredAt: string;
  status: string;
  /** Cross-company reasons, as text. */
  reasons: string[];
  /** Deviations from the catalog, cashier records or receipt series, with expected and claimed values. */
  findings: SaleFinding[];
  lines: { lineNo: number; name: string; itemCode: string; itemCompanyName: string; reason: string | null; total: number }[];
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionAction: string | null;
  resolutionNote: string | null;
}

/** `reasons` is free-form jsonb from the register: show strings as they are, objects by their reason text. */
export function describeReasons(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value == null ? [] : [value];
  return list.map((r) => {
    if (typeof r === 'string') return r;
    if (r && typeof r === 'object') {
      const o = r as Record<string, unknown>;
      const main = [o.reason, o.message, o.code].find((v): v is string => typeof v === 'string');
      const rest = Object.entries(o)
        .filter(([k]) => !['reason', 'message'].includes(k) && (typeof o[k] === 'string' || typeof o[k] === 'number'))
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ');
      return main ? (rest ? `${main} (${rest})` : main) : JSON.stringify(o);
    }
    return String(r);
  });
}

/** A cursor's key as exact text: timestamps keep their microseconds (a JS Date would drop them and skip rows). */
const KEY_TEXT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Open entries, oldest first (a work queue), keyset on (created_at, id): served by adjustment_queue_open. */
export function openAdjustmentsQuery(opts: { limit?: number; cursor?: string } = {}): { text: string; values: unknown[] } {
  let cursor;
  try {
    cursor = decodeCursor(opts.cursor);
  } catch {
    throw new DomainError('invalid', 'cursor', 'cursor: invalid page link');
  }
  const values: unknown[] = [(opts.limit ?? 50) + 1];
  if (cursor) values.push(cursor.k, cursor.id);
  return {
    text: `SELECT a.*, ${KEY_TEXT('a.created_at')} AS page_key FROM adjustment_queue a
            WHERE a.status = 'open' ${cursor ? `AND (a.created_at, a.id) > ($2::timestamptz, $3::uuid)` : ''}
            ORDER BY a.created_at, a.id LIMIT $1`,
    values,
  };
}

export interface AdjustmentPage {
  /** One page of open entries, oldest first. */
  open: AdjustmentView[];
  /** The most recently settled entries (first page only). */
  resolved: AdjustmentView[];
  openCount: number;
  nextCursor: string | null;
}

/** The Adjustment Queue screen: a page of open entries and, on the first page, the latest resolved ones. */
export async function listAdjustmentPage(database: Database, opts: { limit?: number; cursor?: string; resolvedLimit?: number } = {}): Promise<AdjustmentPage> {
  const limit = opts.limit ?? 50;
  const openQuery = openAdjustmentsQuery({ limit, cursor: opts.cursor });
  const [open, resolved, count] = await Promise.all([
    many<AdjustmentEntry & { page_key: string }>(database.pool, openQuery.text, openQuery.values),
    opts.cursor
      ? Promise.resolve([])
      : many<AdjustmentEntry>(
          database.pool,
          `SELECT a.* FROM adjustment_queue a WHERE a.status <> 'open' ORDER BY a.resolved_at DESC NULLS LAST, a.id DESC LIMIT $1`,
          [opts.resolvedLimit ?? 50],
        ),
    one<{ n: number }>(database.pool, `SELECT count(*)::int AS n FROM adjustment_queue WHERE status = 'open'`),
  ]);
  const more = open.length > limit;
  const page = more ? open.slice(0, limit) : open;
  const last = page[page.length - 1];
  const views = await adjustmentViews(database, [...page, ...resolved]);
  return {
    open: views.slice(0, page.length),
    resolved: views.slice(page.length),
    openCount: count.n,
    nextCursor: more && last ? encodeCursor({ k: last.page_key, id: last.id }) : null,
  };
}

/** Open entries first (oldest first, the first page), then the most recent resolved ones. */
export async function listAdjustments(database: Database, opts: { resolvedLimit?: number } = {}): Promise<AdjustmentView[]> {
  const p = await listAdjustmentPage(database, opts);
  return [...p.open, ...p.resolved];
}

type AdjustmentEntry = SqlRow<typeof adjustmentQueue>;

async function adjustmentViews(database: Database, rows: AdjustmentEntry[]): Promise<AdjustmentView[]> {
  if (rows.length === 0) return [];
  const saleIds = rows.map((x) => x.sale_id);
  const [saleRows, lines] = await Promise.all([
    many<
      Cols<typeof sales, 'id' | 'receipt_number' | 'total' | 'occurred_at'> &
        Cols<typeof companies, 'currency_exponent'> & { company_name: string; register_code: string }
    >(
      database.pool,
      `SELECT s.id, s.receipt_number, s.total, s.occurred_at, c.name AS company_name, c.currency_exponent, g.code AS register_code
         FROM sales s JOIN companies c ON c.id = s.company_id JOIN registers g ON g.id = s.register_id WHERE s.id = ANY($1::uuid[])`,
      [saleIds],
    ),
    many<Cols<typeof saleLines, 'sale_id' | 'line_no' | 'name' | 'cross_company_reason' | 'total'> & { item_code: string; item_company_name: string }>(
      database.pool,
      `SELECT l.sale_id, l.line_no, l.name, l.cross_company_reason, l.total, i.code AS item_code, ic.name AS item_company_name
         FROM sale_lines l JOIN items i ON i.id = l.item_id JOIN companies ic ON ic.id = l.item_company_id
        WHERE l.sale_id = ANY($1::uuid[]) AND l.cross_company ORDER BY l.line_no`,
      [saleIds],
    ),
  ]);
  const saleById = new Map(saleRows.map((s) => [s.id, s]));
  return rows.map((a) => {
    const s = saleById.get(a.sale_id);
    return {
      id: a.id,
      saleId: a.sale_id,
      receiptNumber: s?.receipt_number ?? '?',
      companyName: s?.company_name ?? '?',
      currencyExponent: s?.currency_exponent ?? 2,
      registerCode: s?.register_code ?? '?',
      total: s?.total ?? 0,
      occurredAt: (s ? s.occurred_at : a.created_at).toISOString(),
      status: a.status,
      reasons: describeReasons(Array.isArray(a.reasons) ? (a.reasons as unknown[]).filter((r) => !isSaleFinding(r)) : a.reasons),
      findings: findingsIn(a.reasons),
      lines: lines
        .filter((l) => l.sale_id === a.sale_id)
        .map((l) => ({
          lineNo: l.line_no,
          name: l.name,
          itemCode: l.item_code,
          itemCompanyName: l.item_company_name,
          reason: l.cross_company_reason,
          total: l.total,
        })),
      createdAt: a.created_at.toISOString(),
      resolvedAt: a.resolved_at ? a.resolved_at.toISOString() : null,
      resolvedBy: a.resolved_by,
      resolutionAction: a.resolution_action,
      resolutionNote: a.resolution_note,
    };
  });
}

/** Resolves an open entry once; a second resolve is a 409. */
export async function resolveAdjustment(database: Database, input: unknown, actor: string): Promise<void> {
  const data = parseInput(adjustmentResolveForm, input);
  await inTransaction(database, async (client) => {
    const before = await maybeOne<AdjustmentEntry>(client, `SELECT * FROM adjustment_queue WHERE id = $1 FOR UPDATE`, [data.id]);
    if (!before) throw new DomainError('not_found', null, 'no such adjustment entry');
    if (before.status !== 'open') throw new DomainError('conflict', null, `already resolved by ${before.resolved_by}`);
    const after = await one<AdjustmentEntry>(
      client,
      `UPDATE adjustment_queue SET status = 'resolved', resolved_at = now(), resolved_by = $2, resolution_action = $3, resolution_note = $4
          WHERE id = $1 RETURNING *`,
      [data.id, actor, data.resolutionAction, data.note],
    );
    await writeAudit(client, { actor, action: 'adjustment.resolved', entity: 'adjustment_queue', entityId: data.id, before, after });
  });
}
