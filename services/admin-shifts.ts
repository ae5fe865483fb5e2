// Shifts from the back office: open with a float, cash in/out, X report (read-only) and the
// Z report that closes a shift with a gap-free number per company and is never changed again.
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import * as z from 'zod';
import type { Database } from '../db/client';
import { execute, many, maybeOne, one, type Cols, type Queryable, type SqlRow } from '../db/query';
import type { cashMovements, companies, devices, payments, registers, sales, shifts, zReports } from '../db/schema';
import type { ShiftStatus } from '../db/statuses';
import { DomainError } from '../core/errors';
import { inTransaction, parseAmount, parseInput, UUID_RE, writeAudit } from './admin-common';
import { formatLocalTime } from '../core/local-time';
import { figuresCsv, shiftFigures, zFigures, type ShiftFigures, type ShiftInputs, type ZFigures } from './admin-shift-figures';
import { getStoreTimeZone } from './store-time';
import { cashMovementForm, shiftCloseForm, shiftOpenForm } from './forms/shifts';

const uuid = (what: string) => z.string().regex(UUID_RE, `choose a ${what}`);

export interface ShiftRow {
  id: string;
  companyId: string;
  companyName: string;
  currency: string;
  currencyExponent: number;
  registerId: string;
  registerCode: string;
  registerName: string;
  cashierName: string | null;
  status: string;
  openingFloat: number;
  openedAt: string;
  closedAt: string | null;
  countedCash: number | null;
  expectedCash: number | null;
  variance: number | null;
  zNumber: number | null;
  salesCount: number;
  /** Closed at the register with a blind count (else in the back office, or still open). */
  closedAtRegister: boolean;
  closedByName: string | null;
  approvedByName: string | null;
  /** What the edge filed when the register's close arrived (e.g. a variance without approval). */
  closeFindings: { kind: string; field: string; reason: string }[];
}

const shiftSelect = `
  SELECT sh.*, c.name AS company_name, c.currency, c.currency_exponent, g.code AS register_code, g.name AS register_name,
         k.name AS cashier_name, z.number AS z_number, cb.name AS closed_by_name, ab.name AS approved_by_name,
         (SELECT count(*)::int FROM sales s WHERE s.shift_id = sh.id) AS sales_count
    FROM shifts sh JOIN companies c ON c.id = sh.company_id JOIN registers g ON g.id = sh.register_id
    LEFT JOIN cashiers k ON k.id = sh.cashier_id LEFT JOIN z_reports z ON z.shift_id = sh.id
    LEFT JOIN cashiers cb ON cb.id = sh.closed_by_cashier_id LEFT JOIN cashiers ab ON ab.id = sh.approved_by_cashier_id`;

type ShiftSelectRow = SqlRow<typeof shifts> &
  Cols<typeof companies, 'currency' | 'currency_exponent'> & {
    company_name: string;
    register_code: string;
    register_name: string;
    cashier_name: string | null;
    z_number: number | null;
    sales_count: number;
    closed_by_name: string | null;
    approved_by_name: string | null;
  };

function toShift(x: ShiftSelectRow): ShiftRow {
  return {
    id: x.id,
    companyId: x.company_id,
    companyName: x.company_name,
    currency: x.currency,
    currencyExponent: x.currency_exponent,
    registerId: x.register_id,
    registerCode: x.register_code,
    registerName: x.register_name,
    cashierName: x.cashier_name,
    status: x.status,
    openingFloat: x.opening_float,
    openedAt: x.opened_at.toISOString(),
    closedAt: x.closed_at ? x.closed_at.toISOString() : null,
    countedCash: x.counted_cash,
    expectedCash: x.expected_cash,
    variance: x.variance,
    zNumber: x.z_number,
    salesCount: x.sales_count,
    closedAtRegister: x.close_event_id != null,
    closedByName: x.closed_by_name,
    approvedByName: x.approved_by_name,
    closeFindings: (x.close_findings as ShiftRow['closeFindings'] | null) ?? [],
  };
}

export async function listShifts(
  database: Database,
  filters: { registerId?: string; companyId?: string; status?: ShiftStatus } = {},
  limit = 100,
): Promise<ShiftRow[]> {
  const rows = await many<ShiftSelectRow>(
    database.pool,
    `${shiftSelect}
      WHERE ($1::uuid IS NULL OR sh.register_id = $1) AND ($2::uuid IS NULL OR sh.company_id = $2) AND ($3::text IS NULL OR sh.status = $3)
      ORDER BY (sh.status = 'open') DESC, sh.opened_at DESC LIMIT $4`,
    [filters.registerId ?? null, filters.companyId ?? null, filters.status ?? null, limit],
  );
  return rows.map(toShift);
}

export async function getShift(database: Database, shiftId: string): Promise<ShiftRow | undefined> {
  if (!UUID_RE.test(shiftId)) return undefined;
  const row = await maybeOne<ShiftSelectRow>(database.pool, `${shiftSelect} WHERE sh.id = $1`, [shiftId]);
  return row ? toShift(row) : undefined;
}

/** Registers with their company devices, for the "open shift" form. */
export async function shiftDeviceOptions(database: Database): Promise<{ deviceId: string; label: string; open: boolean }[]> {
  const rows = await many<Cols<typeof devices, 'id'> & Cols<typeof registers, 'code' | 'name'> & { company: string; open: boolean }>(
    database.pool,
    `SELECT d.id, g.code, g.name, c.name AS company,
            EXISTS (SELECT 1 FROM shifts s WHERE s.device_id = d.id AND s.status = 'open') AS open
       FROM devices d JOIN registers g ON g.id = d.register_id JOIN companies c ON c.id = d.company_id
      WHERE d.status <> 'revoked' ORDER BY g.code, c.name`,
  );
  return rows.map((x) => ({ deviceId: x.id, label: `${x.code} ${x.name} · ${x.company}`, open: x.open }));
}

/** Opens a shift for one register and company; only one open shift per device. */
export async function openShift(database: Database, input: unknown, actor: string): Promise<{ id: string }> {
  const data = parseInput(shiftOpenForm, input);
  return inTransaction(database, async (client) => {
    const device = await maybeOne<Cols<typeof devices, 'id' | 'register_id' | 'company_id' | 'status'> & Cols<typeof companies, 'currency_exponent'>>(
      client,
      `SELECT d.id, d.register_id, d.company_id, d.status, c.currency_exponent FROM devices d JOIN companies c ON c.id = d.company_id WHERE d.id = $1 FOR UPDATE OF d`,
      [data.deviceId],
    );
    if (!device) throw new DomainError('invalid', 'deviceId', 'deviceId: no such register device');
    if (device.status === 'revoked') throw new DomainError('invalid', 'deviceId', 'deviceId: this register device is revoked');
    const openingFloat = parseAmount(data.openingFloat, device.currency_exponent, 'openingFloat');
    if (data.cashierId && !(await execute(client, `SELECT 1 FROM cashiers WHERE id = $1`, [data.cashierId]))) {
      throw new DomainError('invalid', 'cashierId', 'cashierId: no such cashier');
    }
    if (await execute(client, `SELECT 1 FROM shifts WHERE device_id = $1 AND status = 'open'`, [data.deviceId])) {
      throw new DomainError('conflict', 'deviceId', 'deviceId: this register already has an open shift for this company; close it with a Z report first');
    }
    const id = randomUUID();
    const after = await one<SqlRow<typeof shifts>>(
      client,
      `INSERT INTO shifts (id, company_id, register_id, device_id, cashier_id, status, opening_float, opened_at)
       VALUES ($1, $2, $3, $4, $5, 'open', $6, now()) RETURNING *`,
      [id, device.company_id, device.register_id, data.deviceId, data.cashierId ?? null, openingFloat],
    );
    await writeAudit(client, { actor, action: 'shift.opened', entity: 'shift', entityId: id, after });
    return { id };
  });
}

async function lockShift(client: PoolClient, shiftId: string) {
  const shift = await maybeOne<SqlRow<typeof shifts> & Cols<typeof companies, 'currency_exponent'>>(
    client,
    `SELECT sh.*, c.currency_exponent FROM shifts sh JOIN companies c ON c.id = sh.company_id WHERE sh.id = $1 FOR UPDATE OF sh`,
    [shiftId],
  );
  if (!shift) throw new DomainError('not_found', null, 'no such shift');
  return shift;
}

export async function addCashMovement(database: Database, input: unknown, actor: string): Promise<{ id: string; amount: number }> {
  const data = parseInput(cashMovementForm.extend({ shiftId: uuid('shift') }), input);
  return inTransaction(database, async (client) => {
    const shift = await lockShift(client, data.shiftId);
    if (shift.status !== 'open') throw new DomainError('conflict', null, 'this shift is closed; its figures cannot change');
    const amount = parseAmount(data.amount, shift.currency_exponent, 'amount', { allowZero: false });
    const id = randomUUID();
    const after = await one<SqlRow<typeof cashMovements>>(
      client,
      `INSERT INTO cash_movements (id, company_id, shift_id, kind, amount, reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [id, shift.company_id, data.shiftId, data.kind, amount, data.reason],
    );
    await writeAudit(client, { actor, action: `shift.cash_${data.kind}`, entity: 'shift', entityId: data.shiftId, after });
    return { id, amount };
  });
}

export async function listCashMovements(database: Database, shiftId: string) {
  const rows = await many<Cols<typeof cashMovements, 'id' | 'kind' | 'amount' | 'reason' | 'created_at'>>(
    database.pool,
    `SELECT id, kind, amount, reason, created_at FROM cash_movements WHERE shift_id = $1 ORDER BY created_at`,
    [shiftId],
  );
  return rows.map((x) => ({ id: x.id, kind: x.kind, amount: x.amount, reason: x.reason, createdAt: x.created_at.toISOString() }));
}

async function shiftInputs(client: Queryable, shiftId: string, openingFloat: number): Promise<ShiftInputs> {
  // One query at a time: the client may be inside a transaction.
  const saleRows = await many<Cols<typeof sales, 'id' | 'status' | 'total' | 'net_total' | 'tax_total' | 'discount_total' | 'change_due' | 'tax_summary'>>(
    client,
    `SELECT id, status, total, net_total, tax_total, discount_total, change_due, tax_summary FROM sales WHERE shift_id = $1`,
    [shiftId],
  );
  const paymentRows = await many<Cols<typeof payments, 'sale_id' | 'kind' | 'amount' | 'given'>>(
    client,
    `SELECT p.sale_id, p.kind, p.amount, p.given FROM payments p JOIN sales s ON s.id = p.sale_id WHERE s.shift_id = $1`,
    [shiftId],
  );
  const movements = await many<Cols<typeof cashMovements, 'kind' | 'amount'>>(client, `SELECT kind, amount FROM cash_movements WHERE shift_id = $1`, [shiftId]);
  return {
    openingFloat,
    sales: saleRows.map((s) => ({
      status: s.status,
      total: s.total,
      netTotal: s.net_total,
      taxTotal: s.tax_total,
      discountTotal: s.discount_total,
      changeDue: s.change_due,
      taxSummary: s.tax_summary,
      payments: paymentRows.filter((p) => p.sale_id === s.id).map((p) => ({ kind: p.kind, amount: p.amount, given: p.given })),
    })),
    movements,
  };
}

/** The X report: current figures of a shift. Reads only. */
export async function xReport(database: Database, shiftId: string): Promise<ShiftFigures> {
  const shift = await getShift(database, shiftId);
  if (!shift) throw new DomainError('not_found', null, 'no such shift');
  return shiftFigures(await shiftInputs(database.pool, shiftId, shift.openingFloat));
}

export interface ZReportView {
  id: string;
  number: number;
  companyId: string;
  registerId: string;
  shiftId: string;
  figures: ZFigures & { closedAt: string; openedAt: string };
  createdBy: string;
  createdAt: string;
}

export async function getZReport(database: Database, shiftId: string): Promise<ZReportView | undefined> {
  if (!UUID_RE.test(shiftId)) return undefined;
  const x = await maybeOne<SqlRow<typeof zReports>>(database.pool, `SELECT * FROM z_reports WHERE shift_id = $1`, [shiftId]);
  if (!x) return undefined;
  return {
    id: x.id,
    number: x.number,
    companyId: x.company_id,
    registerId: x.register_id,
    shiftId: x.shift_id,
    // Written once by closeShiftWithZ below, in this shape, and never changed.
    figures: x.figures as ZReportView['figures'],
    createdBy: x.created_by,
    createdAt: x.created_at.toISOString(),
  };
}

/**
 * The Z report: closes the shift with the counted cash. The number is the company's max + 1,
 * taken under a table lock so numbers are gap-free; the report row is never updated. A second
 * close of the same shift is a 409.
 */
export async function closeShiftWithZ(database: Database, input: unknown, actor: string): Promise<{ number: number; figures: ZFigures }> {
  const data = parseInput(shiftCloseForm.extend({ shiftId: uuid('shift') }), input);
  return inTransaction(database, async (client) => {
    const shift = await lockShift(client, data.shiftId);
    if (shift.status !== 'open') throw new DomainError('conflict', null, 'this shift is already closed; a Z report is final');
    const countedCash = parseAmount(data.countedCash, shift.currency_exponent, 'countedCash');
    const { number, figures } = await postZReport(client, shift, countedCash, { actor });
    return { number, figures };
  });
}

/** Who closes a shift: a back-office user, or a cashier at the register (the shift.closed event). */
export interface ZCloser {
  actor: string;
  register?: {
    eventId: string;
    cashierId: string | null;
    approvedBy: string | undefined;
    closedAt: string;
    /** The edge's judgement of the close, from the figures it computed (ADR 202: booked, filed for review). */
    judge: (figures: ZFigures) => Promise<unknown[]>;
  };
}

/**
 * Numbers and stores the Z of an open shift the caller has locked (FOR UPDATE), in the caller's
 * transaction: the one Z path for the back office and for closes that arrive from a register.
 */
export async function postZReport(
  client: PoolClient,
  shift: Record<string, unknown>,
  countedCash: number,
  by: ZCloser,
): Promise<{ number: number; figures: ZFigures; findings: unknown[] }> {
  const shiftId = shift.id as string;
  await client.query('LOCK TABLE z_reports IN SHARE ROW EXCLUSIVE MODE');
  const { n: number } = await one<{ n: number }>(client, `SELECT COALESCE(max(number), 0) + 1 AS n FROM z_reports WHERE company_id = $1`, [shift.company_id]);
  const figures = zFigures(await shiftInputs(client, shiftId, shift.opening_float as number), countedCash);
  const findings = by.register ? await by.register.judge(figures) : [];
  const closedAt = by.register ? new Date(by.register.closedAt) : (await one<{ t: Date }>(client, `SELECT now() AS t`)).t;
  const atRegister = by.register ? { closedByCashierId: by.register.cashierId, approvedByCashierId: by.register.approvedBy ?? null, findings } : {};
  const stored = { ...figures, number, openedAt: new Date(shift.opened_at as string).toISOString(), closedAt: new Date(closedAt).toISOString(), ...atRegister };
  await client.query(
    `UPDATE shifts SET status = 'closed', closed_at = $2, counted_cash = $3, expected_cash = $4, variance = $5,
            close_event_id = $6, closed_by_cashier_id = $7, approved_by_cashier_id = $8, close_findings = $9 WHERE id = $1`,
    [
      shiftId,
      closedAt,
      countedCash,
      figures.cashExpected,
      figures.variance,
      by.register?.eventId ?? null,
      by.register?.cashierId ?? null,
      by.register?.approvedBy ?? null,
      JSON.stringify(findings),
    ],
  );
  await client.query(`INSERT INTO z_reports (company_id, register_id, shift_id, number, figures, created_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
    shift.company_id,
    shift.register_id,
    shiftId,
    number,
    JSON.stringify(stored),
    by.actor,
  ]);
  await writeAudit(client, {
    actorType: by.register ? 'device' : 'admin',
    actor: by.actor,
    action: 'shift.z_report',
    entity: 'shift',
    entityId: shiftId,
    before: { status: 'open' },
    after: { status: 'closed', number, countedCash, expectedCash: figures.cashExpected, variance: figures.variance, ...atRegister },
  });
  return { number, figures, findings };
}

/**
 * The shift's Z report (or its current X figures while open) as CSV, with every time in the store's
 * zone and offset ("2026-11-30 14:05 +01:00"); undefined when there is no such shift.
 */
export async function shiftReportCsv(database: Database, shiftId: string, now = new Date()): Promise<{ fileName: string; csv: string } | undefined> {
  const shift = await getShift(database, shiftId);
  if (!shift) return undefined;
  const timeZone = await getStoreTimeZone(database);
  const local = (iso: string) => formatLocalTime(iso, timeZone);
  const z = await getZReport(database, shift.id);
  const figures = z ? z.figures : await xReport(database, shift.id);
  const head: Record<string, string | number> = {
    report: z ? `Z ${z.number}` : 'X',
    company: shift.companyName,
    register: `${shift.registerCode} ${shift.registerName}`,
    currency: shift.currency,
    opened: local(shift.openedAt),
    closed: shift.closedAt ? local(shift.closedAt) : '',
    generated: local(now.toISOString()),
    timeZone,
  };
  const name = z ? `z-${z.number}-${shift.registerCode}` : `x-${shift.registerCode}-${local(shift.openedAt).slice(0, 10)}`;
  return { fileName: `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`, csv: figuresCsv(head, figures, shift.currencyExponent) };
}
