// The edge API answers the register reads, as zod schemas both sides share: the edge's handlers build
// values of these types (checked when they compile), the register parses each answer before use.
import * as z from 'zod';

/** Every 4xx/5xx answer: a code and, for bad input, the fields at fault. */
export const apiErrorSchema = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** What to tell a person about a failed call: the first issue, else the error code. */
export function apiErrorMessage(body: unknown, status: number): string {
  const e = apiErrorSchema.safeParse(body);
  if (!e.success) return `the edge answered ${status}`;
  return e.data.issues?.[0]?.message ?? e.data.error;
}

/** GET /api/customers */
export const customerSearchAnswerSchema = z.object({
  customers: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      customerGroup: z.string(),
      disabled: z.boolean(),
      credit: z.array(z.object({ companyId: z.string(), creditLimit: z.number().int(), balance: z.number().int() })),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type CustomerSearchAnswer = z.infer<typeof customerSearchAnswerSchema>;

/** POST /api/print */
export const printAnswerSchema = z.object({
  printed: z.literal(true),
  kind: z.enum(['receipt', 'test']),
  receiptNumber: z.string().nullable(),
  printer: z.string(),
  bytes: z.number().int(),
});
export type PrintAnswer = z.infer<typeof printAnswerSchema>;

/** GET /api/sales/by-receipt/:receiptNumber */
export const returnableSaleAnswerSchema = z.object({
  sale: z.object({
    saleId: z.string(),
    companyId: z.string(),
    receiptNumber: z.string(),
    total: z.number().int(),
    occurredAt: z.string(),
    lines: z.array(
      z.object({
        saleLineId: z.string(),
        name: z.string(),
        quantityMilli: z.number().int(),
        returnedMilli: z.number().int(),
        unitPrecision: z.number().int(),
        total: z.number().int(),
      }),
    ),
  }),
});
export type ReturnableSaleAnswer = z.infer<typeof returnableSaleAnswerSchema>;

/** POST /api/returns */
export const returnAnswerSchema = z.object({
  returnId: z.string(),
  returnNumber: z.string(),
  total: z.number().int(),
  lines: z.array(z.object({ saleLineId: z.string(), quantityMilli: z.number().int(), amount: z.number().int() })),
  duplicate: z.boolean(),
});
export type ReturnAnswer = z.infer<typeof returnAnswerSchema>;

/** POST /sync/push: one result per event sent, by its index in the batch; a fresh token near expiry. */
export const pushAnswerSchema = z.object({
  results: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      eventId: z.string().nullable(),
      status: z.enum(['accepted', 'rejected']),
      duplicate: z.boolean().optional(),
      reason: z.string().optional(),
      field: z.string().optional(),
    }),
  ),
  token: z.string().optional(),
});
export type PushAnswer = z.infer<typeof pushAnswerSchema>;

/** POST /sync/pair */
export const pairAnswerSchema = z.object({
  token: z.string(),
  registerId: z.string(),
  registerCode: z.string(),
  devices: z.array(z.object({ id: z.string(), companyId: z.string(), companyCode: z.string(), code: z.string(), warehouseId: z.string().nullable() })),
  lastReceiptNumbers: z.record(z.string(), z.string().nullable()),
});
export type PairAnswer = z.infer<typeof pairAnswerSchema>;
