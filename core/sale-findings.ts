// What the edge found when it judged an offline sale against what it knew: each deviation is a
// review item (kept in the Adjustment Queue with the sale), never a reason to refuse the sale.
import * as z from 'zod';

export const SALE_FINDING_KINDS = [
  /** Unit price differs from the company's Standard Selling price of the item. */
  'price',
  /** VAT rate (rate or rate id) differs from the item's. */
  'tax_rate',
  /** The item discount cap the register sent differs from the item's. */
  'discount_limit',
  /** Line and invoice discount together exceed the item's cap. */
  'discount',
  /** Cart settings (prices incl. VAT, VAT rounding, rounding) differ from the company's. */
  'settings',
  /** The cashier is unknown, disabled, or not a member of the invoice company. */
  'cashier',
  /** The receipt number skips numbers after the last one booked for the device's series. */
  'receipt_gap',
] as const;

export type SaleFindingKind = (typeof SALE_FINDING_KINDS)[number];

const value = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/**
 * Values are in the unit of the kind: minor units for `price`; basis points for `tax_rate`
 * (when the rate differs), `discount_limit` and `discount`; text or booleans otherwise.
 */
export const saleFindingSchema = z.object({
  kind: z.enum(SALE_FINDING_KINDS),
  /** Path in the sale.completed event, e.g. `sale.lines[0].unitPrice`. */
  field: z.string(),
  expected: value,
  claimed: value,
  /** The deviation in words (what the Adjustment Queue lists). */
  reason: z.string(),
  /** A caveat for the reviewer, e.g. the catalog row changed after the sale. */
  note: z.string().optional(),
  lineNo: z.number().int().positive().optional(),
  itemId: z.string().optional(),
});

export type SaleFinding = z.infer<typeof saleFindingSchema>;

/** The findings among stored Adjustment Queue reasons (which also hold cross-company reasons). */
export function findingsIn(reasons: unknown): SaleFinding[] {
  if (!Array.isArray(reasons)) return [];
  return reasons.flatMap((r) => {
    const parsed = saleFindingSchema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

export function isSaleFinding(reason: unknown): boolean {
  return saleFindingSchema.safeParse(reason).success;
}
