// What a printed receipt needs to know about a sale, as plain data. The register builds it from its
// local sale (offline) and may send it to the edge for raw printing, so it is validated with zod on
// both sides. Money is integer minor units (never a float); quantities are thousandths of the unit.
import * as z from 'zod';

/** A safe integer count of minor units (cents, pence…). */
const minor = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer of minor units');
const nonNegativeMinor = minor.refine((n) => n >= 0, 'must not be negative');
/** User-visible text: one reasonable line, no control characters except line breaks in multi-line fields. */
const text = (max: number) => z.string().max(max);

/** CODE128 carries ASCII only; receipt numbers look like "U-R01-000123". */
export const receiptNumberSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const receiptLineSchema = z.object({
  name: text(200).min(1),
  /** Item code, printed small after the name when given. */
  code: text(40).optional(),
  /** Thousandths of the unit: 2000 = 2 pieces, 1250 = 1.250 kg; negative on a return line. */
  quantityMilli: z
    .number()
    .int()
    .refine((n) => n !== 0 && Number.isSafeInteger(n), 'must be a non-zero integer'),
  /** Decimals shown for the quantity (0 for pieces, 3 for kg); by default 0 for whole units, else 3. */
  unitPrecision: z.number().int().min(0).max(3).optional(),
  /** Unit of measure printed after the quantity when it is not a piece ("kg"). */
  uom: text(12).optional(),
  unitPrice: minor,
  /** Discount given on this line (a positive amount that was taken off). */
  lineDiscount: nonNegativeMinor.default(0),
  /** What the line costs after its line discount, before any invoice discount. */
  total: minor,
  /** The item belongs to the other company: the line is marked and the sale is flagged. */
  crossCompany: z.boolean().default(false),
  /** Name of the company that owns a cross-company item, for the legend. */
  itemCompanyName: text(120).optional(),
});

export const taxSummaryRowSchema = z.object({
  /** Basis points of a percent: 2000 = 20 %, 550 = 5.5 %. */
  rateBp: z.number().int().min(0).max(100_000),
  /** Optional label instead of the percentage ("VAT exempt"). */
  label: text(20).optional(),
  net: minor,
  tax: minor,
  gross: minor,
});

export const tenderSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('cash'),
    /** Cash applied to the sale. */
    amount: minor,
    /** Cash handed over by the customer. */
    given: nonNegativeMinor,
    change: nonNegativeMinor,
  }),
  z.object({
    kind: z.literal('card'),
    amount: minor,
    /** Approval code or terminal reference; never a card number. */
    reference: text(60).default(''),
  }),
  z.object({
    kind: z.literal('credit'),
    amount: minor,
    customer: z.object({ name: text(200).min(1), code: text(60).optional() }),
  }),
]);

export const receiptDataSchema = z.object({
  store: z.object({ name: text(120).min(1), address: text(400).default('') }),
  /** The invoice company: the legal entity that issued the receipt. */
  company: z.object({ name: text(120).min(1), code: text(4).optional(), taxId: text(40).optional() }),
  /** ISO 4217 code printed next to the total. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like EUR'),
  /** Digits after the decimal separator: 2 for EUR, 0 for JPY, 3 for KWD. */
  currencyExponent: z.number().int().min(0).max(8),
  receiptNumber: receiptNumberSchema,
  /** When the sale happened, ISO 8601 with an offset; printed as written unless `timeZone` is given. */
  issuedAt: z.iso.datetime({ offset: true }),
  /** IANA zone to print `issuedAt` in (e.g. "Europe/Paris"). */
  timeZone: z.string().max(64).optional(),
  register: z.object({ code: text(20).min(1), name: text(80).optional() }),
  cashier: z.object({ name: text(120).min(1) }),
  /** Customer named on the sale (credit sales, invoices on request). */
  customer: z.object({ name: text(200).min(1), code: text(60).optional(), taxId: text(40).optional() }).optional(),
  lines: z.array(receiptLineSchema).min(1).max(500),
  /** Discount on the whole invoice (a positive amount that was taken off). */
  invoiceDiscount: nonNegativeMinor.default(0),
  totals: z.object({
    /** Sum of line totals before the invoice discount. */
    subtotal: minor,
    /** Line discounts plus the invoice discount. */
    discountTotal: nonNegativeMinor,
    net: minor,
    tax: minor,
    total: minor,
  }),
  taxSummary: z.array(taxSummaryRowSchema).max(20),
  tenders: z.array(tenderSchema).max(20),
  flaggedForAdjustment: z.boolean().default(false),
  /** Why the sale was flagged (printed under the note). */
  adjustmentReasons: z.array(text(200)).max(10).default([]),
  /** Printed at the bottom; line breaks are kept. */
  footer: text(1000).default(''),
  /** A reprint of an earlier receipt: marked as a copy. */
  reprint: z.boolean().default(false),
});

/** Parsed receipt data (defaults applied). */
export type ReceiptData = z.output<typeof receiptDataSchema>;
/** What a caller may pass in (fields with defaults may be left out). */
export type ReceiptDataInput = z.input<typeof receiptDataSchema>;
export type ReceiptLine = z.output<typeof receiptLineSchema>;
export type TaxSummaryRow = z.output<typeof taxSummaryRowSchema>;
export type Tender = z.output<typeof tenderSchema>;
