// The shifts' forms: opening a shift, cash in or out, the Z close; and settling an Adjustment Queue
// entry. Each is the schema its service parses with and the back-office form validates with (ADR 502).
import * as z from 'zod';
import { UUID_RE } from '../../core/ids';
import { amountText, uuid } from './fields';

export const shiftOpenForm = z.object({
  deviceId: uuid('register and company'),
  openingFloat: amountText('the opening float, like 100.00'),
  cashierId: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || UUID_RE.test(v), 'choose a cashier'),
});

/** Cash put in or taken out of an open shift's drawer (the shift's id comes from the URL). */
export const cashMovementForm = z.object({
  kind: z.enum(['in', 'out'], { error: 'choose cash in or cash out' }),
  amount: amountText('an amount, like 20.00'),
  reason: z.string({ error: 'give a reason' }).trim().min(3, 'give a reason (3+ characters)').max(200, 'at most 200 characters'),
});

/** The Z close: the cash counted in the drawer (the shift's id comes from the URL). */
export const shiftCloseForm = z.object({
  countedCash: amountText('the counted cash, like 512.30'),
});

export const RESOLUTION_ACTIONS = ['inter_company_transfer', 'reissue_invoice', 'no_action'] as const;

/** Settles one Adjustment Queue entry, saying how. */
export const adjustmentResolveForm = z.object({
  id: z.string({ error: 'choose an entry' }).regex(UUID_RE, 'choose an entry'),
  resolutionAction: z.enum(RESOLUTION_ACTIONS, { error: 'choose inter_company_transfer, reissue_invoice or no_action' }),
  note: z.string({ error: 'write a note' }).trim().min(3, 'write a note (3+ characters)').max(1000, 'at most 1000 characters'),
});
