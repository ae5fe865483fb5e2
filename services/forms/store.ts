// The forms of the store's setup: tax rates, … Each is the schema its service parses with and the
// back-office form validates with (ADR 006).
import { z } from 'zod';
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
