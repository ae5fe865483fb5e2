// How a sale is paid. Split tenders are allowed; only cash can give change, and no card number
// is ever accepted into a record (PCI: the register stores approval references only).

export type Tender =
  | { kind: 'cash'; amount: number; given: number }
  | { kind: 'card'; amount: number; reference: string }
  | { kind: 'credit'; amount: number; customerId: string };

export type TenderErrorCode =
  | 'empty'
  | 'total_invalid'
  | 'amount_invalid'
  | 'cash_given_short'
  | 'card_reference_missing'
  | 'card_reference_too_long'
  | 'card_number_detected'
  | 'credit_customer_missing'
  | 'underpaid'
  | 'overpaid'
  | 'overpaid_non_cash';

export interface TenderError {
  code: TenderErrorCode;
  /** Index of the tender at fault, when one is. */
  index?: number;
  message: string;
}

export type SettleResult =
  | {
      ok: true;
      /** What the customer handed over or was charged: card and credit amounts plus cash given. */
      paid: number;
      /** Cash handed back: paid − total. */
      changeDue: number;
    }
  | { ok: false; errors: TenderError[] };

export const MAX_CARD_REFERENCE_LENGTH = 64;

/**
 * True if the text holds 13 to 19 digits in a row once spaces and dashes are removed: the shape
 * of a card number (PAN). Luhn is not checked on purpose: refusing a long approval code by mistake
 * costs a retype, storing a real PAN costs PCI scope.
 */
export function looksLikeCardNumber(text: string): boolean {
  return /[0-9]{13,}/.test(text.replace(/[\s-]/g, ''));
}

/**
 * Checks tenders against a sale total.
 * `amount` is what a tender pays towards the sale; for cash, `given` is what was handed over and
 * given − amount comes back as change. Amounts must add up to the total exactly so per-tender
 * reports (Z report) reconcile: short is `underpaid`; card or credit beyond the total is
 * `overpaid_non_cash` (a card is never charged to hand out cash); cash `amount` beyond the total
 * is `overpaid` (record the excess in `given`, it is change).
 */
export function settleTenders(total: number, tenders: readonly Tender[]): SettleResult {
  if (!Number.isSafeInteger(total) || total < 0) {
    return { ok: false, errors: [{ code: 'total_invalid', message: `Sale total must be a non-negative integer amount, got ${total}` }] };
  }
  if (tenders.length === 0) {
    if (total === 0) return { ok: true, paid: 0, changeDue: 0 };
    return { ok: false, errors: [{ code: 'empty', message: 'Add a payment: the sale has no tenders' }] };
  }

  const errors: TenderError[] = [];
  let applied = 0;
  let nonCash = 0;
  let change = 0;
  tenders.forEach((t, index) => {
    if (!Number.isSafeInteger(t.amount) || t.amount <= 0) {
      errors.push({ code: 'amount_invalid', index, message: `Payment ${index + 1}: amount must be a positive integer amount` });
      return;
    }
    applied += t.amount;
    switch (t.kind) {
      case 'cash':
        if (!Number.isSafeInteger(t.given) || t.given < t.amount) {
          errors.push({ code: 'cash_given_short', index, message: `Payment ${index + 1}: cash given is less than the cash amount` });
        } else change += t.given - t.amount;
        break;
      case 'card': {
        nonCash += t.amount;
        const ref = typeof t.reference === 'string' ? t.reference.trim() : '';
        if (ref === '') errors.push({ code: 'card_reference_missing', index, message: `Payment ${index + 1}: enter the card approval reference` });
        else if (looksLikeCardNumber(ref)) {
          errors.push({
            code: 'card_number_detected',
            index,
            message: `Payment ${index + 1}: the reference looks like a card number; enter the approval code, never the card number`,
          });
        } else if (ref.length > MAX_CARD_REFERENCE_LENGTH) {
          errors.push({
            code: 'card_reference_too_long',
            index,
            message: `Payment ${index + 1}: card reference is longer than ${MAX_CARD_REFERENCE_LENGTH} characters`,
          });
        }
        break;
      }
      case 'credit':
        nonCash += t.amount;
        if (typeof t.customerId !== 'string' || t.customerId.trim() === '') {
          errors.push({ code: 'credit_customer_missing', index, message: `Payment ${index + 1}: choose the customer account for the credit sale` });
        }
        break;
      default:
        errors.push({ code: 'amount_invalid', index, message: `Payment ${index + 1}: unknown tender kind` });
    }
  });

  if (!errors.some((e) => e.code === 'amount_invalid')) {
    if (nonCash > total) {
      errors.push({ code: 'overpaid_non_cash', message: 'Card and credit payments exceed the total; only cash can give change' });
    } else if (applied > total) {
      errors.push({ code: 'overpaid', message: 'Cash applied exceeds the amount due; the excess is change, not payment' });
    } else if (applied < total) {
      errors.push({ code: 'underpaid', message: `Payments are ${total - applied} short of the total` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, paid: total + change, changeDue: change };
}

/** What is still to pay after the given tenders (never negative). */
export function amountDue(total: number, tenders: readonly Tender[]): number {
  const applied = tenders.reduce((s, t) => s + t.amount, 0);
  return Math.max(0, total - applied);
}

/** The tenders pay the whole total: the sale may be completed. */
export function tendersCover(total: number, tenders: readonly Tender[]): boolean {
  return total > 0 && amountDue(total, tenders) === 0;
}

/** A cash tender for money handed over: applies at most what is due, the rest is change. */
export function cashTender(due: number, given: number): Tender {
  return { kind: 'cash', amount: Math.min(due, given), given };
}
