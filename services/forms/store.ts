// The forms of the store's setup: companies, warehouses, registers, cashiers, tax rates. Each is the schema its service parses with and the
// back-office form validates with (ADR 502).
import * as z from 'zod';
import { isTimeZone } from '../../core/local-time';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from '../../core/pin-hash';
import { CASHIER_ROLES } from '../../db/statuses';
import { amountText, checkbox, flag, optionalText, percentText, requiredText, uuid } from './fields';

export const taxRateForm = z.object({
  companyId: uuid('company'),
  code: z
    .string({ error: 'enter a code' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9_-]{0,15}$/, 'use 1–16 letters, digits, dashes or underscores'),
  name: requiredText(80, 'a name'),
  rate: percentText('a rate, like 20 or 5.5'),
  isDefault: checkbox,
});

export const taxRateDefaultForm = z.object({ taxRateId: uuid('tax rate') });

export const taxRateActiveForm = z.object({ taxRateId: uuid('tax rate'), active: flag() });

export const warehouseForm = z.object({
  companyId: uuid('company'),
  code: z
    .string({ error: 'enter a code' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, 'use 1–20 letters, digits or dashes'),
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

export const cashierForm = z.object({
  name: requiredText(80, 'a name'),
  pin,
  companyIds: z.array(uuid('company'), { error: 'choose at least one company' }).min(1, 'choose at least one company'),
});
export const cashierPinForm = cashierId.extend({ pin });
export const cashierActiveForm = cashierId.extend({ active: flag() });
export const cashierRoleForm = cashierId.extend({ role: z.enum(CASHIER_ROLES, { error: 'choose cashier or manager' }) });
export const cashierCompanyForm = cashierId.extend({ companyId: uuid('company'), assigned: flag() });

/** ISO 4217 code Intl knows (EUR, USD, JPY…). */
export const currency = z
  .string({ error: 'enter a currency code, like EUR' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'enter a 3-letter currency code, like EUR')
  .refine((c) => {
    try {
      new Intl.NumberFormat('en', { style: 'currency', currency: c });
      return true;
    } catch {
      return false;
    }
  }, 'not a currency code Intl knows');

const companyFields = {
  name: requiredText(80, 'a company name'),
  code: z
    .string({ error: 'enter a short code' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{1,2}$/, 'use one or two letters (they start receipt numbers, like U-R01-000123)'),
  legalName: optionalText(160),
  vatId: z
    .string()
    .trim()
    .max(40, 'at most 40 characters')
    .regex(/^[A-Za-z0-9 .-]*$/, 'use letters, digits, spaces, dots or dashes')
    .optional()
    .default(''),
  address: optionalText(400),
  receiptFooter: optionalText(500),
  roundingMode: z.enum(['HalfUp', 'Truncate', 'Bankers'], { error: 'choose HalfUp, Truncate or Bankers' }),
  taxRounding: z.enum(['line', 'invoice'], { error: 'choose line or invoice' }),
  pricesIncludeTax: checkbox,
};

/** A new company; its currency is the store's unless given. */
export const companyForm = z.object({ ...companyFields, currency: currency.optional() });

/** A company's edit form: the currency is fixed once it exists. */
export const companyEditForm = z.object({ id: uuid('company'), ...companyFields });

/** An IANA zone name this runtime knows (Europe/Paris, UTC). */
export const timeZone = z
  .string({ error: 'enter a time zone, like Europe/Paris' })
  .trim()
  .refine(isTimeZone, 'not a time zone name; use an IANA name like Europe/Paris or UTC');

/** The setup walkthrough's store step: its name and address, the time zone and the currency of new companies. */
export const storeForm = z.object({
  name: requiredText(120, 'the store name'),
  address: optionalText(400),
  timeZone,
  currency,
});

/** `host:port` with a hostname or IPv4 address and a port 1–65535; empty means browser printing. */
export function isPrinterAddress(s: string): boolean {
  const m = /^([A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*):([0-9]{1,5})$/.exec(s);
  if (!m) return false;
  const port = Number(m[5]);
  return port >= 1 && port <= 65535;
}

const PIN_LENGTH_CHOICE = `choose ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits`;

/** The store settings (Settings page). Time zone, PIN length and threshold may be left out: the stored value stays. */
export const storeSettingsForm = z.object({
  defaultCompanyId: uuid('default invoice company'),
  receiptFooter: z.string().trim().max(500, 'at most 500 characters').default(''),
  printerAddress: z
    .string()
    .trim()
    .default('')
    .refine((s) => s === '' || isPrinterAddress(s), 'use host:port, like 192.168.1.50:9100, or leave empty'),
  pinMinLength: z.coerce
    .number({ error: PIN_LENGTH_CHOICE })
    .int(PIN_LENGTH_CHOICE)
    .min(PIN_MIN_DIGITS, PIN_LENGTH_CHOICE)
    .max(PIN_MAX_DIGITS, PIN_LENGTH_CHOICE)
    .optional(),
  timeZone: timeZone.optional(),
  /** Typed like "10.00" in the default company's currency; the service reads it in that currency's exponent. */
  shiftVarianceThreshold: amountText('a variance, like 10.00', { optional: true }),
});

/** A company's money rules, in the Settings page's table. */
export const companySettingsForm = z.object({
  id: uuid('company'),
  name: requiredText(80, 'a company name'),
  roundingMode: companyFields.roundingMode,
  pricesIncludeTax: checkbox,
  taxRounding: companyFields.taxRounding,
});
