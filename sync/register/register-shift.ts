// Shifts on the register, offline: opening writes `shift.opened` and the local shift in one
// transaction; closing (after a blind count) writes `shift.closed` with the register's figures and
// the approving manager. The register's own shifts live in `local_shifts` (synced tables are written
// only by sync); a shift opened in the back office arrives in the synced `shifts` and counts too.
import type { PGliteInterface } from '@electric-sql/pglite';
import type { SaleCompletedEvent } from '../../core/events';
import { newId as randomId } from '../../core/ids';
import { buildShiftClosed, buildShiftOpened, countedFigures, DEFAULT_VARIANCE_THRESHOLD, registerShiftInputs } from '../../core/shift-close';
import type { ZFigures } from '../../core/shift-figures';
import type { RegisterDevice } from './register-device';
import type { Queryable } from './db-protocol';
import { enqueueEvent } from './outbox';

export interface OpenShift {
  id: string;
  deviceId: string;
  companyId: string;
  openingFloat: number;
  openedAt: string;
  /** Opened here, or in the back office (then it came with sync). */
  source: 'register' | 'office';
}

/**
 * The device's open shift: the register's own open one (unless the back office has since closed it),
 * else one the back office opened that this register has not closed.
 */
export async function currentShift(pg: Queryable, deviceId: string): Promise<OpenShift | undefined> {
  const r = await pg.query<{
    id: string;
    device_id: string;
    company_id: string;
    opening_float: number;
    opened_at: Date | string;
    source: 'register' | 'office';
  }>(
    `SELECT * FROM (
       SELECT l.id, l.device_id, l.company_id, l.opening_float, l.opened_at, 'register' AS source FROM local_shifts l
        WHERE l.device_id = $1 AND l.status = 'open' AND NOT EXISTS (SELECT 1 FROM shifts s WHERE s.id = l.id AND s.status = 'closed')
       UNION ALL
       SELECT s.id, s.device_id, s.company_id, s.opening_float, s.opened_at, 'office' FROM shifts s
        WHERE s.device_id = $1 AND s.status = 'open' AND NOT EXISTS (SELECT 1 FROM local_shifts l WHERE l.id = s.id)
     ) x ORDER BY opened_at DESC LIMIT 1`,
    [deviceId],
  );
  const x = r.rows[0];
  if (!x) return undefined;
  return {
    id: x.id,
    deviceId: x.device_id,
    companyId: x.company_id,
    openingFloat: x.opening_float,
    openedAt: new Date(x.opened_at).toISOString(),
    source: x.source,
  };
}

export interface OpenShiftInput {
  registerId: string;
  cashierId: string;
  /** One float per company device being opened (counted by the cashier). */
  floats: { device: RegisterDevice; float: number }[];
  now?: Date;
  newId?: () => string;
}

/** Opens a shift for each device given that has none, in one local transaction with its events. */
export async function openShifts(pg: PGliteInterface, input: OpenShiftInput): Promise<{ ok: true; shiftIds: string[] } | { ok: false; message: string }> {
  const newId = input.newId ?? randomId;
  const occurredAt = (input.now ?? new Date()).toISOString();
  return pg.transaction(async (tx) => {
    const shiftIds: string[] = [];
    for (const { device, float } of input.floats) {
      if (await currentShift(tx, device.id)) return { ok: false as const, message: `A shift is already open in ${device.companyCode}` };
      const event = buildShiftOpened({
        eventId: newId(),
        occurredAt,
        deviceId: device.id,
        registerId: input.registerId,
        companyId: device.companyId,
        cashierId: input.cashierId,
        shiftId: newId(),
        float,
      });
      await tx.query(
        `INSERT INTO local_shifts (id, device_id, company_id, cashier_id, opening_float, opened_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'open')`,
        [event.shiftId, device.id, device.companyId, input.cashierId, float, occurredAt],
      );
      await enqueueEvent(tx, event);
      shiftIds.push(event.shiftId);
    }
    return { ok: true as const, shiftIds };
  });
}

/** The store threshold as synced (minor units); the default until settings have synced. */
export async function varianceThreshold(pg: Queryable): Promise<number> {
  const r = await pg.query<{ t: number | null }>(`SELECT shift_variance_threshold AS t FROM store_settings LIMIT 1`);
  return r.rows[0]?.t ?? DEFAULT_VARIANCE_THRESHOLD;
}

/** The figures of a shift as this register recorded it, with a count: what the cashier sees after counting. */
export async function figuresAfterCount(pg: Queryable, shift: Pick<OpenShift, 'id' | 'openingFloat'>, countedCash: number, threshold: number) {
  const sales = await pg.query<{ sale: SaleCompletedEvent }>(`SELECT sale FROM local_sales WHERE sale->>'shiftId' = $1 ORDER BY created_at`, [shift.id]);
  return countedFigures(
    registerShiftInputs(
      shift.openingFloat,
      sales.rows.map((r) => r.sale),
    ),
    countedCash,
    threshold,
  );
}

export interface CloseShiftInput {
  registerId: string;
  cashierId: string;
  counts: { device: RegisterDevice; shiftId: string; countedCash: number }[];
  /** A manager (checked on the register by PIN, and again by the edge) for variances above the threshold. */
  approvedBy?: string;
  now?: Date;
  newId?: () => string;
}

export type CloseShiftResult =
  { ok: true; closed: { companyId: string; shiftId: string; figures: ZFigures }[] } | { ok: false; message: string; needsApproval?: boolean };

/**
 * Closes the given shifts with their blind counts, in one local transaction: each gets its figures,
 * the local record and a `shift.closed` event. A variance above the threshold without an approver
 * is refused here (the screen asks for a manager's PIN first).
 */
export async function closeShifts(pg: PGliteInterface, input: CloseShiftInput): Promise<CloseShiftResult> {
  const newId = input.newId ?? randomId;
  const occurredAt = (input.now ?? new Date()).toISOString();
  return pg.transaction(async (tx) => {
    const threshold = await varianceThreshold(tx);
    const closed: { companyId: string; shiftId: string; figures: ZFigures }[] = [];
    for (const c of input.counts) {
      const shift = await currentShift(tx, c.device.id);
      if (!shift || shift.id !== c.shiftId) return { ok: false as const, message: `The shift in ${c.device.companyCode} is no longer open` };
      const { figures, needsApproval } = await figuresAfterCount(tx, shift, c.countedCash, threshold);
      if (needsApproval && !input.approvedBy) return { ok: false as const, needsApproval: true, message: 'The variance needs a manager\u2019s approval' };
      const event = buildShiftClosed({
        eventId: newId(),
        occurredAt,
        deviceId: c.device.id,
        registerId: input.registerId,
        companyId: c.device.companyId,
        cashierId: input.cashierId,
        shiftId: shift.id,
        countedCash: c.countedCash,
        expectedCash: figures.cashExpected,
        variance: figures.variance,
        ...(needsApproval && input.approvedBy ? { approvedBy: input.approvedBy } : {}),
      });
      await tx.query(
        `INSERT INTO local_shifts (id, device_id, company_id, cashier_id, opening_float, opened_at, status, closed_at, counted_cash, expected_cash, variance, approved_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'closed', $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET status = 'closed', closed_at = EXCLUDED.closed_at, counted_cash = EXCLUDED.counted_cash,
           expected_cash = EXCLUDED.expected_cash, variance = EXCLUDED.variance, approved_by = EXCLUDED.approved_by`,
        [
          shift.id,
          c.device.id,
          c.device.companyId,
          input.cashierId,
          shift.openingFloat,
          shift.openedAt,
          occurredAt,
          c.countedCash,
          figures.cashExpected,
          figures.variance,
          event.approvedBy ?? null,
        ],
      );
      await enqueueEvent(tx, event);
      closed.push({ companyId: c.device.companyId, shiftId: shift.id, figures });
    }
    return { ok: true as const, closed };
  });
}
