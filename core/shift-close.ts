// Shifts at the register: the typed float and count, the figures shown after a blind count, when a
// variance needs a manager, and what the edge files when a close arrives without a valid approval.
// Pure: runs on the register (offline) and on the edge, so both apply the same threshold rule.
import * as z from 'zod';
import { shiftClosed, shiftOpened, type SaleCompletedEvent, type ShiftClosedEvent, type ShiftOpenedEvent } from './events';
import { MoneyParseError, parseDecimal } from './parse-decimal';
import { zFigures, type ShiftInputs, type ZFigures } from './shift-figures';

/** Store default for `store_settings.shift_variance_threshold`: 10.00 in a two-decimal currency. */
export const DEFAULT_VARIANCE_THRESHOLD = 1000;
/** The largest amount a drawer count may hold (the database column is a 32-bit integer). */
const MAX_CASH = 2_147_483_647;

export type CashAmount = { ok: true; amount: number } | { ok: false; message: string };

/** A float or a drawer count as typed by the cashier → integer minor units, never negative. */
export function parseCashAmount(text: string, exponent: number): CashAmount {
  if (text.trim() === '') return { ok: false, message: 'Enter the amount of cash, like 100.00' };
  try {
    const amount = parseDecimal(text, { exponent });
    if (amount < 0) return { ok: false, message: 'Cash in the drawer cannot be negative' };
    if (amount > MAX_CASH) return { ok: false, message: 'That amount is too large' };
    return { ok: true, amount };
  } catch (e) {
    if (e instanceof MoneyParseError) return { ok: false, message: e.message };
    throw e;
  }
}

/** A shift's figures as the register knows them: its float and the sales it recorded in the shift. */
export function registerShiftInputs(openingFloat: number, sales: SaleCompletedEvent[]): ShiftInputs {
  return {
    openingFloat,
    sales: sales.map((e) => ({
      status: 'completed',
      total: e.sale.totals.total,
      netTotal: e.sale.totals.net,
      taxTotal: e.sale.totals.tax,
      discountTotal: e.sale.totals.discountTotal,
      changeDue: e.sale.changeDue,
      taxSummary: e.sale.taxSummary,
      payments: e.sale.tenders.map((t) => ({ kind: t.kind, amount: t.amount, given: t.kind === 'cash' ? t.given : null })),
    })),
    movements: [],
  };
}

/** A variance needs a manager when its size is above the store threshold (equal is fine). */
export function varianceNeedsApproval(variance: number, threshold: number): boolean {
  return Math.abs(variance) > threshold;
}

/** What the cashier sees once the count is in: the X figures, the variance, and whether a manager must approve. */
export function countedFigures(inputs: ShiftInputs, countedCash: number, threshold: number): { figures: ZFigures; needsApproval: boolean } {
  const figures = zFigures(inputs, countedCash);
  return { figures, needsApproval: varianceNeedsApproval(figures.variance, threshold) };
}

type Envelope = Pick<ShiftOpenedEvent, 'eventId' | 'occurredAt' | 'deviceId' | 'registerId' | 'companyId' | 'cashierId' | 'shiftId'>;

export function buildShiftOpened(e: Envelope & { float: number }): ShiftOpenedEvent {
  return shiftOpened.parse({ v: 1, type: 'shift.opened', ...e });
}

export function buildShiftClosed(e: Envelope & { countedCash: number; expectedCash?: number; variance?: number; approvedBy?: string }): ShiftClosedEvent {
  return shiftClosed.parse({ v: 1, type: 'shift.closed', ...e });
}

export const SHIFT_CLOSE_FINDING_KINDS = ['approval_missing', 'approver_invalid'] as const;

export const shiftCloseFindingSchema = z.object({
  kind: z.enum(SHIFT_CLOSE_FINDING_KINDS),
  field: z.string(),
  /** What the reviewer reads in Admin → Shifts. */
  reason: z.string(),
});
export type ShiftCloseFinding = z.infer<typeof shiftCloseFindingSchema>;

/** The approver named by a close, as the edge's records have it (undefined: no such cashier). */
export interface ApproverRecord {
  name: string;
  active: boolean;
  /** Has the manager role in the shift's company. */
  manager: boolean;
}

/**
 * The edge's judgement of a register close (ADR 202: the close happened, so it is booked; what is
 * wrong with it is filed for review). `variance` is the edge's own, against the sales it holds.
 */
export function judgeShiftClose(x: {
  variance: number;
  threshold: number;
  approvedBy: string | undefined;
  approver: ApproverRecord | undefined;
  formatAmount: (minor: number) => string;
}): ShiftCloseFinding[] {
  const findings: ShiftCloseFinding[] = [];
  if (x.approvedBy !== undefined) {
    const problem = !x.approver
      ? 'is not a cashier of this store'
      : !x.approver.active
        ? `(${x.approver.name}) is disabled`
        : !x.approver.manager
          ? `(${x.approver.name}) is not a manager of this company`
          : undefined;
    if (problem) findings.push({ kind: 'approver_invalid', field: 'approvedBy', reason: `the approving cashier ${problem}` });
  }
  if (varianceNeedsApproval(x.variance, x.threshold) && (x.approvedBy === undefined || findings.length > 0)) {
    findings.push({
      kind: 'approval_missing',
      field: 'approvedBy',
      reason: `variance ${x.formatAmount(x.variance)} is above the store threshold ${x.formatAmount(x.threshold)} without a manager's approval`,
    });
  }
  return findings;
}
