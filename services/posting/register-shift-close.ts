// A shift closed at the register (the `shift.closed` event) becomes a Z report on the edge, in the
// push transaction: the same numbering and figures as a back-office close (`postZReport`), with the
// count the cashier made blind and the manager who approved a large variance. The edge numbers the
// Z when the event arrives and recomputes the variance from the sales it holds; a variance above
// the store threshold without a valid approval is booked and filed on the shift (ADR 202, 701).
import type { PoolClient } from 'pg';
import type { ShiftClosedEvent } from '../../core/events';
import { formatMoney } from '../../core/money';
import { DEFAULT_VARIANCE_THRESHOLD, judgeShiftClose, type ApproverRecord } from '../../core/shift-close';
import { maybeOne, one, type Cols, type SqlRow } from '../../db/query';
import type { companies, shifts } from '../../db/schema';
import { postZReport } from '../admin-shifts';

export type RegisterCloseResult =
  { ok: true; detail: { shiftId: string; zNumber: number; variance: number; flagged: boolean } } | { ok: false; reason: string; field: string };

export async function closeShiftFromRegister(
  client: PoolClient,
  e: ShiftClosedEvent,
  device: { id: string; registerCode: string },
): Promise<RegisterCloseResult> {
  const shift = await maybeOne<SqlRow<typeof shifts> & Cols<typeof companies, 'currency_exponent'> & { z_number: number | null }>(
    client,
    `SELECT sh.*, c.currency_exponent, z.number AS z_number FROM shifts sh JOIN companies c ON c.id = sh.company_id
         LEFT JOIN z_reports z ON z.shift_id = sh.id WHERE sh.id = $1 FOR UPDATE OF sh`,
    [e.shiftId],
  );
  const exponent = shift?.currency_exponent ?? 2;
  const amount = (m: number) => formatMoney(m, { exponent });
  if (!shift || shift.device_id !== e.deviceId) return { ok: false, reason: 'this shift is not open on this register in this company', field: 'shiftId' };
  if (shift.status !== 'open') {
    const where = shift.close_event_id ? 'at a register' : 'in the back office';
    return {
      ok: false,
      reason: `shift was already closed ${where} (Z ${shift.z_number ?? '?'}); this count of ${amount(e.countedCash)} was not booked`,
      field: 'shiftId',
    };
  }
  // threshold is null without a store_settings row; approver is null for an unknown or absent approver id.
  const facts = await one<{ threshold: number | null; cashier_known: boolean; approver: ApproverRecord | null }>(
    client,
    `SELECT (SELECT shift_variance_threshold FROM store_settings ORDER BY store_id LIMIT 1) AS threshold,
              EXISTS (SELECT 1 FROM cashiers WHERE id = $1) AS cashier_known,
              (SELECT jsonb_build_object('name', k.name, 'active', k.active,
                        'manager', EXISTS (SELECT 1 FROM cashier_companies m WHERE m.cashier_id = k.id AND m.company_id = $3 AND m.role = 'manager'))
                 FROM cashiers k WHERE k.id = $2) AS approver`,
    [e.cashierId, e.approvedBy ?? null, shift.company_id],
  );
  const threshold = facts.threshold ?? DEFAULT_VARIANCE_THRESHOLD;
  const approver = facts.approver ?? undefined;
  const { number, figures, findings } = await postZReport(client, shift, e.countedCash, {
    actor: `register ${device.registerCode}`,
    register: {
      eventId: e.eventId,
      // An unknown id cannot be referenced (the event keeps it); the Z still closes the shift.
      cashierId: facts.cashier_known ? e.cashierId : null,
      approvedBy: approver ? e.approvedBy : undefined,
      closedAt: e.occurredAt,
      judge: (f) => Promise.resolve(judgeShiftClose({ variance: f.variance, threshold, approvedBy: e.approvedBy, approver, formatAmount: amount })),
    },
  });
  return { ok: true, detail: { shiftId: e.shiftId, zNumber: number, variance: figures.variance, flagged: findings.length > 0 } };
}
