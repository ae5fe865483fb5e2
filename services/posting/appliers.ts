// How each register event type changes the edge database. Each applier runs inside the
// transaction that also writes the idempotency ledger, so an event is applied wholly or not at all.
import { cashMovement, saleCompleted, saleVoided, shiftClosed, shiftOpened } from '../../core/events';
import { execute, maybeOne, type Cols } from '../../db/query';
import type { shifts } from '../../db/schema';
import { closeShiftFromRegister } from './register-shift-close';
import { EventRejection, zodApplier, type EventApplier } from './event-applier';
import { postSale } from './post-sale';

export const appliers: Record<string, EventApplier<unknown>> = {
  'sale.completed': zodApplier(saleCompleted, postSale),

  'sale.voided': zodApplier(saleVoided, async ({ client }, e, device) => {
    const voided = await execute(client, `UPDATE sales SET status = 'voided' WHERE id = $1 AND device_id = $2 AND status = 'completed' RETURNING id`, [
      e.saleId,
      device.id,
    ]);
    if (!voided) throw new EventRejection('no completed sale with this id on this device', 'saleId');
    await execute(
      client,
      `INSERT INTO stock_movements (company_id, warehouse_id, item_id, quantity_milli, reason, sale_id)
       SELECT m.company_id, m.warehouse_id, m.item_id, -m.quantity_milli, 'void', m.sale_id FROM stock_movements m WHERE m.sale_id = $1 AND m.reason = 'sale'`,
      [e.saleId],
    );
    return { saleId: e.saleId };
  }),

  'shift.opened': zodApplier(shiftOpened, async ({ client }, e, device) => {
    const open = await maybeOne<Cols<typeof shifts, 'id'>>(client, `SELECT id FROM shifts WHERE device_id = $1 AND status = 'open'`, [device.id]);
    if (open) throw new EventRejection('a shift is already open on this register for this company', 'shiftId');
    await execute(client, `INSERT INTO shifts (id, company_id, register_id, device_id, cashier_id, opening_float, opened_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`, [
      e.shiftId,
      e.companyId,
      e.registerId,
      device.id,
      e.cashierId,
      e.float,
      e.occurredAt,
    ]);
    return { shiftId: e.shiftId };
  }),

  'shift.closed': zodApplier(shiftClosed, async ({ client, device: identity }, e, device) => {
    // The edge numbers the Z now (never the register); the same Z path as a back-office close.
    const r = await closeShiftFromRegister(client, e, { id: device.id, registerCode: identity.registerCode });
    if (!r.ok) throw new EventRejection(r.reason, r.field);
    return r.detail;
  }),

  'cash.movement': zodApplier(cashMovement, async ({ client }, e, device) => {
    const shift = await maybeOne<Cols<typeof shifts, 'device_id' | 'status'>>(client, `SELECT device_id, status FROM shifts WHERE id = $1`, [e.shiftId]);
    if (!shift || shift.device_id !== device.id || shift.status !== 'open') {
      throw new EventRejection('shift is not open on this device', 'shiftId');
    }
    await execute(client, `INSERT INTO cash_movements (id, company_id, shift_id, kind, amount, reason, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`, [
      e.eventId,
      e.companyId,
      e.shiftId,
      e.kind,
      e.amount,
      e.reason,
      e.occurredAt,
    ]);
  }),
};
