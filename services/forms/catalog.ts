// The catalog's forms: items (new, all fields, the quick name/price edit), barcodes. Each is the
// schema its service parses with and the back-office form validates with (ADR 502).
import * as z from 'zod';
import { amountText, checkbox, optionalText, percentText, requiredText, uuid } from './fields';

const BARCODE = /^[0-9A-Za-z-]{3,32}$/;

const itemFields = {
  code: z
    .string({ error: 'enter an item code' })
    .trim()
    .min(1, 'enter an item code')
    .max(40, 'at most 40 characters')
    .regex(/^[^\s].*$/, 'enter an item code'),
  name: requiredText(140, 'a name'),
  itemGroup: optionalText(80),
  uom: z
    .string()
    .trim()
    .max(20, 'at most 20 characters')
    .optional()
    .transform((v) => v || 'Nos'),
  weighed: checkbox,
  taxRateId: uuid('tax rate'),
  price: amountText('a price, like 2.50'),
  /** Separated by spaces, commas or new lines. */
  barcodes: z
    .string()
    .optional()
    .default('')
    .transform((s) => [...new Set(s.split(/[\s,;]+/).filter(Boolean))])
    .refine((list) => list.every((b) => BARCODE.test(b)), 'each barcode is 3–32 digits or letters')
    .refine((list) => list.length <= 20, 'at most 20 barcodes'),
  maxDiscount: percentText('a percentage', { optional: true }),
  active: checkbox,
};

/** A new item: it chooses its company. */
export const itemForm = z.object({ companyId: uuid('company'), ...itemFields });

/** Every field of an existing item (the item's id comes from the URL). */
export const itemEditForm = z.object(itemFields);

/** The item page's quick edit: name, Standard Selling price, on sale. */
export const itemQuickForm = z.object({
  name: requiredText(140, 'a name'),
  price: amountText('a price, like 2.50'),
  enabled: checkbox,
});

export const barcodeForm = z.object({
  barcode: z.string({ error: 'enter a barcode' }).trim().regex(BARCODE, 'use 3–32 digits or letters'),
});

export const barcodeRemoveForm = z.object({ barcodeId: uuid('barcode') });

export const itemGroupForm = z.object({ name: requiredText(80, 'a group name') });
export const itemGroupRenameForm = itemGroupForm.extend({ id: uuid('item group') });
