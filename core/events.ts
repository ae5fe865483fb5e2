// What a register sends the edge. Versioned (`v`) and discriminated by `type` so the edge can
// accept old registers during a rollout; money is integer minor units, ids are client-generated
// UUIDs so a retried push is idempotent by eventId.
import * as z from 'zod';
import { computeCart, type CartInput, type CartLineResult } from './cart';
import { fieldPath } from './errors';
import { flagsForInvoice } from './company-resolution';
import { parseReceiptNumber } from './receipt-number';
import { MAX_RATE_BP } from './tax';
import { looksLikeCardNumber, MAX_CARD_REFERENCE_LENGTH, settleTenders } from './tenders';

export const MAX_BATCH_EVENTS = 500;

/** Integer minor units; zod 4 `.int()` also restricts to the safe integer range. */
const minor = z.number().int();
const nonNegative = minor.nonnegative();
const bp = z.number().int().min(0).max(10_000);
const text = (max: number) => z.string().trim().min(1).max(max);

export const discountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), bp }),
  z.object({ kind: z.literal('amount'), amount: nonNegative }),
]);

export const tenderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cash'), amount: minor.positive(), given: minor.positive() }),
  z.object({
    kind: z.literal('card'),
    amount: minor.positive(),
    // Refused at the schema too: a payload carrying a card number must not be stored anywhere.
    reference: text(MAX_CARD_REFERENCE_LENGTH).refine((r) => !looksLikeCardNumber(r), 'Card reference looks like a card number'),
  }),
  z.object({ kind: z.literal('credit'), amount: minor.positive(), customerId: z.uuid() }),
]);

export const saleLineSchema = z
  .object({
    lineId: z.uuid(),
    itemId: z.uuid(),
    companyId: z.uuid(),
    /** The code that was scanned or typed, if any. */
    code: z.string().max(64).optional(),
    name: text(200),
    crossCompany: z.boolean(),
    crossCompanyReason: text(500).optional(),
    quantityMilli: z.number().int().positive(),
    unitPrice: nonNegative,
    unitPrecision: z.number().int().min(0).max(3),
    discount: discountSchema.optional(),
    taxRateId: z.uuid(),
    rateBp: z.number().int().min(0).max(MAX_RATE_BP),
    maxDiscountBp: bp,
  })
  .refine((l) => !l.crossCompany || l.crossCompanyReason !== undefined, { message: 'A cross-company line needs a reason', path: ['crossCompanyReason'] });

export const cartSettingsSchema = z.object({
  pricesIncludeTax: z.boolean(),
  taxRounding: z.enum(['line', 'invoice']),
  rounding: z.enum(['HalfUp', 'Truncate', 'Bankers']),
});

export const totalsSchema = z.object({ subtotal: nonNegative, discountTotal: nonNegative, net: minor, tax: minor, total: nonNegative });

export const taxSummaryRowSchema = z.object({ taxRateId: z.uuid(), rateBp: z.number().int().min(0).max(MAX_RATE_BP), net: minor, tax: minor, gross: minor });

const envelope = {
  v: z.literal(1),
  eventId: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
  deviceId: z.uuid(),
  registerId: z.uuid(),
  /** The invoice company for a sale; the company of the shift or drawer otherwise. */
  companyId: z.uuid(),
  cashierId: z.uuid(),
};

export const saleCompleted = z.object({
  ...envelope,
  type: z.literal('sale.completed'),
  shiftId: z.uuid().optional(),
  receiptNumber: z.string().refine((r) => parseReceiptNumber(r) !== null, 'Not a receipt number like U-R01-000123'),
  sale: z.object({
    saleId: z.uuid(),
    customerId: z.uuid().optional(),
    lines: z.array(saleLineSchema).max(1000),
    invoiceDiscount: discountSchema.optional(),
    tenders: z.array(tenderSchema).max(20),
    settings: cartSettingsSchema,
    totals: totalsSchema,
    taxSummary: z.array(taxSummaryRowSchema),
    changeDue: nonNegative,
  }),
});

export const saleVoided = z.object({ ...envelope, type: z.literal('sale.voided'), saleId: z.uuid(), reason: text(500) });

export const shiftOpened = z.object({ ...envelope, type: z.literal('shift.opened'), shiftId: z.uuid(), float: nonNegative });

/**
 * A shift closed at the register with a blind count; `cashierId` is who counted. The register's own
 * view of the drawer (`expectedCash`, `variance`) and the manager who approved a variance above the
 * store threshold (`approvedBy`) are optional, so closes from older registers stay valid; the edge
 * recomputes the figures and numbers the Z itself.
 */
export const shiftClosed = z.object({
  ...envelope,
  type: z.literal('shift.closed'),
  shiftId: z.uuid(),
  countedCash: nonNegative,
  expectedCash: minor.optional(),
  variance: minor.optional(),
  approvedBy: z.uuid().optional(),
});

export const cashMovement = z.object({
  ...envelope,
  type: z.literal('cash.movement'),
  shiftId: z.uuid(),
  kind: z.enum(['in', 'out']),
  amount: minor.positive(),
  reason: text(500),
});

export const registerEvent = z.discriminatedUnion('type', [saleCompleted, saleVoided, shiftOpened, shiftClosed, cashMovement]);

export const pushBatch = z.object({
  events: z
    .array(registerEvent)
    .max(MAX_BATCH_EVENTS)
    .refine((events) => new Set(events.map((e) => e.eventId)).size === events.length, 'Duplicate eventId in one batch'),
});

export type RegisterEvent = z.infer<typeof registerEvent>;
export type SaleCompletedEvent = z.infer<typeof saleCompleted>;
export type SaleVoidedEvent = z.infer<typeof saleVoided>;
export type ShiftOpenedEvent = z.infer<typeof shiftOpened>;
export type ShiftClosedEvent = z.infer<typeof shiftClosed>;
export type CashMovementEvent = z.infer<typeof cashMovement>;
export type PushBatch = z.infer<typeof pushBatch>;
export type SaleLine = z.infer<typeof saleLineSchema>;

export type VerifyResult = { ok: true } | { ok: false; reason: string; field: string };

/** A verified sale with the per-line figures core recomputed (the edge stores these). */
export type VerifiedSale = { ok: true; lines: CartLineResult[] } | { ok: false; reason: string; field: string };

/**
 * Re-computes a completed sale with the same core code the register used and compares every
 * figure: the edge rejects (to the Outbox, with this reason and field) any sale whose totals,
 * VAT summary, tenders, change or cross-company flags do not match.
 */
export function verifySaleTotals(event: SaleCompletedEvent): VerifyResult {
  const r = verifySale(event);
  return r.ok ? { ok: true } : r;
}

/** `verifySaleTotals` that also hands back the recomputed lines, so the cart is computed once. */
export function verifySale(event: SaleCompletedEvent): VerifiedSale {
  const { sale } = event;
  const fail = (field: string, reason: string): VerifiedSale => ({ ok: false, field, reason });

  const flags = flagsForInvoice(sale.lines, event.companyId);
  const flaggedIds = new Set(flags.reasons.map((r) => r.lineId));
  for (const [i, line] of sale.lines.entries()) {
    if (line.crossCompany !== flaggedIds.has(line.lineId)) {
      return fail(
        fieldPath('sale', 'lines', i, 'crossCompany'),
        `Line ${line.lineId} is ${line.crossCompany ? '' : 'not '}marked cross-company but its item belongs to ${line.companyId === event.companyId ? 'the invoice company' : 'another company'}`,
      );
    }
  }

  const input: CartInput = { lines: sale.lines, settings: sale.settings };
  if (sale.invoiceDiscount) input.invoiceDiscount = sale.invoiceDiscount;
  const computed = computeCart(input);
  if (!computed.ok) {
    const first = computed.errors[0]!;
    const index = first.lineId === undefined ? -1 : sale.lines.findIndex((l) => l.lineId === first.lineId);
    const field = index >= 0 ? fieldPath('sale', 'lines', index) : first.code.startsWith('invoice_discount') ? 'sale.invoiceDiscount' : 'sale';
    return fail(field, `${first.code}: ${first.message}`);
  }
  const { totals, taxSummary } = computed.cart;

  for (const key of ['subtotal', 'discountTotal', 'net', 'tax', 'total'] as const) {
    if (sale.totals[key] !== totals[key]) return fail(`sale.totals.${key}`, `${key} is ${sale.totals[key]}, recomputed ${totals[key]}`);
  }
  if (sale.taxSummary.length !== taxSummary.length) {
    return fail('sale.taxSummary', `VAT summary has ${sale.taxSummary.length} rows, recomputed ${taxSummary.length}`);
  }
  for (const [i, row] of taxSummary.entries()) {
    const sent = sale.taxSummary[i]!;
    for (const key of ['taxRateId', 'rateBp', 'net', 'tax', 'gross'] as const) {
      if (sent[key] !== row[key]) return fail(fieldPath('sale', 'taxSummary', i, key), `${key} is ${sent[key]}, recomputed ${row[key]}`);
    }
  }

  const settled = settleTenders(totals.total, sale.tenders);
  if (!settled.ok) {
    const first = settled.errors[0]!;
    return fail(first.index === undefined ? 'sale.tenders' : fieldPath('sale', 'tenders', first.index), `${first.code}: ${first.message}`);
  }
  if (sale.changeDue !== settled.changeDue) return fail('sale.changeDue', `changeDue is ${sale.changeDue}, recomputed ${settled.changeDue}`);
  return { ok: true, lines: computed.cart.lines };
}
