// The forms of the store's setup: warehouses, registers, cashiers, tax rates. Each is the schema its service parses with and the
// back-office form validates with (ADR 006).
import { z } from 'zod';
import { CASHIER_ROLES } from '../../db/statuses';
import { checkbox, flag, percentText, requiredText, uuid } from './fields';

export const taxRateForm = z.object({
  companyId: uuid('company'),
  code: z.string({ error: 'enter a code' }).trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9_-]{0,15}$/, 'use 1–16 letters, digits, dashes or underscores'),
  name: requiredText(80, 'a name'),
  rate: percentText('a rate, like 20 or 5.5'),
  isDefault: checkbox,
});

export const taxRateDefaultForm = z.object({ taxRateId: uuid('tax rate') });

export const taxRateActiveForm = z.object({ taxRateId: uuid('tax rate'), active: flag() });

export const warehouseForm = z.object({
  companyId: uuid('company'),
  code: z.string({ error: 'enter a code' }).trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, 'use 1–20 letters, digits or dashes'),
  name: requiredText(80, 'a warehouse name'),
  isDefault: checkbox,
});

export const registerForm = z.object({
  code: z
    .string({ error: 'enter a code' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9]{1,7}$/, 'use a letter then 1–7 letters or digits, like R02'),
  name: requiredText(80, 'a register name'),
});

/** 4–8 digits here; the store's own minimum (Settings) is checked by the service. */
const pin = z.string({ error: 'enter a PIN' }).regex(/^[0-9]{4,8}$/, 'a PIN is 4 to 8 digits');
const cashierId = z.object({ cashierId: uuid('cashier') });

export const cashierForm = z.object({ name: requiredText(80, 'a name'), pin, companyIds: z.array(uuid('company'), { error: 'choose at least one company' }).min(1, 'choose at least one company') });
export const cashierPinForm = cashierId.extend({ pin });
export const cashierActiveForm = cashierId.extend({ active: flag() });
export const cashierRoleForm = cashierId.extend({ role: z.enum(CASHIER_ROLES, { error: 'choose cashier or manager' }) });
export const cashierCompanyForm = cashierId.extend({ companyId: uuid('company'), assigned: flag() });
