import { describe, expect, it } from 'vitest';
import { registerEvent, shiftClosed, type SaleCompletedEvent } from './events';
import { newId } from './ids';
import { formatMoney } from './money';
import {
  buildShiftClosed,
  buildShiftOpened,
  countedFigures,
  judgeShiftClose,
  parseCashAmount,
  registerShiftInputs,
  varianceNeedsApproval,
} from './shift-close';

const fmt = (m: number) => formatMoney(m, { exponent: 2 });
const envelope = () => ({
  eventId: newId(),
  occurredAt: '2026-11-30T17:00:00.000Z',
  deviceId: newId(),
  registerId: newId(),
  companyId: newId(),
  cashierId: newId(),
  shiftId: newId(),
});

/** Only what the figures read from a sale event. */
function sale(total: number, tenders: SaleCompletedEvent['sale']['tenders'], changeDue = 0): SaleCompletedEvent {
  return {
    sale: { totals: { subtotal: total, discountTotal: 0, net: total - 100, tax: 100, total }, changeDue, taxSummary: [], tenders },
  } as unknown as SaleCompletedEvent;
}

describe('typed float and count', () => {
  it('reads decimal text into minor units without floats', () => {
    expect(parseCashAmount('100', 2)).toEqual({ ok: true, amount: 10000 });
    expect(parseCashAmount(' 512.30 ', 2)).toEqual({ ok: true, amount: 51230 });
    expect(parseCashAmount('0', 2)).toEqual({ ok: true, amount: 0 });
    expect(parseCashAmount('1500', 0)).toEqual({ ok: true, amount: 1500 });
  });
  it('refuses empty, negative, ambiguous and too precise amounts with a message', () => {
    for (const text of ['', '  ', '-5', '1,000', '1.234', 'ten', '99999999999']) {
      const r = parseCashAmount(text, 2);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
    }
  });
});

describe('figures after a blind count', () => {
  const inputs = registerShiftInputs(10000, [
    sale(1330, [{ kind: 'cash', amount: 1330, given: 2000 }], 670),
    sale(500, [{ kind: 'card', amount: 500, reference: 'AUTH1' }]),
    sale(800, [
      { kind: 'cash', amount: 300, given: 300 },
      { kind: 'credit', amount: 500, customerId: newId() },
    ]),
  ]);

  it('expects the float plus cash kept; card and credit stay out of the drawer', () => {
    const { figures } = countedFigures(inputs, 11630, 1000);
    expect(figures.cashExpected).toBe(10000 + 2000 - 670 + 300);
    expect(figures.tenders).toEqual({ cash: 1630, card: 500, credit: 500 });
    expect(figures.salesCount).toBe(3);
    expect(figures.variance).toBe(0);
  });

  it('needs a manager only when the variance is above the threshold, either way', () => {
    expect(countedFigures(inputs, 11630 + 1000, 1000).needsApproval).toBe(false);
    expect(countedFigures(inputs, 11630 + 1001, 1000).needsApproval).toBe(true);
    expect(countedFigures(inputs, 11630 - 1001, 1000)).toMatchObject({ needsApproval: true, figures: { variance: -1001 } });
    expect(varianceNeedsApproval(1, 0)).toBe(true);
    expect(varianceNeedsApproval(0, 0)).toBe(false);
  });
});

describe('shift events', () => {
  it('builds valid opened and closed events; the approver is optional', () => {
    const opened = buildShiftOpened({ ...envelope(), float: 10000 });
    expect(registerEvent.parse(opened)).toEqual(opened);
    const closed = buildShiftClosed({ ...envelope(), countedCash: 9000, expectedCash: 10000, variance: -1000, approvedBy: newId() });
    expect(registerEvent.parse(closed)).toEqual(closed);
    expect(() => buildShiftOpened({ ...envelope(), float: -1 })).toThrow();
    expect(() => buildShiftClosed({ ...envelope(), countedCash: 1, approvedBy: 'boss' })).toThrow();
  });

  it('keeps closes from older registers (no figures, no approver) valid', () => {
    const old = { v: 1, type: 'shift.closed', ...envelope(), countedCash: 100 };
    expect(shiftClosed.safeParse(old).success).toBe(true);
  });
});

describe('the edge judging a register close', () => {
  const manager = { name: 'Maria', active: true, manager: true };
  const judge = (variance: number, approvedBy: string | undefined, approver: typeof manager | 'unknown' = manager) =>
    judgeShiftClose({ variance, threshold: 1000, approvedBy, approver: approvedBy && approver !== 'unknown' ? approver : undefined, formatAmount: fmt });

  it('files nothing within the threshold or with an active manager approving', () => {
    expect(judge(-1000, undefined)).toEqual([]);
    expect(judge(5000, newId())).toEqual([]);
  });

  it('files a missing approval above the threshold, with the amounts', () => {
    expect(judge(-2550, undefined)).toEqual([
      { kind: 'approval_missing', field: 'approvedBy', reason: "variance -25.50 is above the store threshold 10.00 without a manager's approval" },
    ]);
  });

  it('does not count an unknown, disabled or non-manager approver', () => {
    const id = newId();
    expect(judge(5000, id, 'unknown').map((f) => f.kind)).toEqual(['approver_invalid', 'approval_missing']);
    expect(judge(5000, id, { ...manager, active: false })[0]!.reason).toMatch(/Maria\) is disabled/);
    expect(judge(5000, id, { ...manager, manager: false })[0]!.reason).toMatch(/not a manager/);
    // Within the threshold no approval was needed, but a bad approver is still worth a look.
    expect(judge(10, id, { ...manager, manager: false }).map((f) => f.kind)).toEqual(['approver_invalid']);
  });
});
