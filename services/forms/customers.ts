// The customers' forms: a shared customer (new, edit, with a credit limit per company) and the list's
// one-company credit limit. Each is the schema its service parses with and the back-office form
// validates with (ADR 502).
import * as z from 'zod';
import { amountText, checkbox, optionalText, requiredText, uuid } from './fields';

const customerFields = {
  name: requiredText(140, 'a name'),
  phone: z
    .string()
    .trim()
    .max(30, 'at most 30 characters')
    .regex(/^[0-9+() .-]*$/, 'use digits, spaces and + ( ) . -')
    .optional()
    .default(''),
  email: z
    .union([z.literal(''), z.email('enter an email address like name@example.com').max(200)])
    .optional()
    .default(''),
  taxId: z.string().trim().max(40, 'at most 40 characters').optional().default(''),
  address: optionalText(400),
  customerGroup: optionalText(80),
  active: checkbox,
  /**
   * `creditLimit.<companyId>` (blank: leave as is), read by the form as one object. The service reads
   * the flat fields with each company's exponent, which only it knows.
   */
  creditLimit: z.record(z.string(), amountText('a credit limit', { optional: true })).optional(),
};

/** A new customer; a blank code takes the next CUST-nnnnn. */
export const customerForm = z.object({
  ...customerFields,
  code: z.string().trim().max(40, 'at most 40 characters').optional().default(''),
});

/** An existing customer (its id comes from the URL). */
export const customerEditForm = z.object(customerFields);

/** One company's credit limit for a customer, from the customers list. */
export const creditLimitForm = z.object({
  customerId: uuid('customer'),
  companyId: uuid('company'),
  creditLimit: amountText('a credit limit, like 500.00'),
});
