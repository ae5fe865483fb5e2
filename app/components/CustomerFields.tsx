// The fields of a shared customer, with one credit limit per company (services/forms/customers.ts).
import type { FieldMetadata } from '@conform-to/react';
import { formatMoney } from '../../core/money';
import type { CustomerDetail } from '../../services/admin-masters';
import { AmountField, CheckboxField, TextareaField, TextField } from '../admin/fields';

/** What the customer form shows: a customer as the admin service reads it, without its id. */
export type CustomerFieldValues = Omit<CustomerDetail, 'id'>;

type CustomerCompany = { id: string; name: string; currencyExponent: number; currency?: string };
type Field = FieldMetadata<unknown, Record<string, unknown>, string[]>;
type Fields = Record<'name' | 'phone' | 'email' | 'taxId' | 'customerGroup' | 'address' | 'active', Field> & {
  code?: Field;
  creditLimit: FieldMetadata<Record<string, string | undefined> | undefined, Record<string, unknown>, string[]>;
};

/** The form's starting values: the customer's, or a new, active customer's; credit limits as typed amounts. */
export function customerDefaults(companies: CustomerCompany[], customer?: CustomerFieldValues) {
  return {
    code: '',
    name: customer?.name ?? '',
    phone: customer?.phone ?? '',
    email: customer?.email ?? '',
    taxId: customer?.taxId ?? '',
    customerGroup: customer?.customerGroup ?? '',
    address: customer?.address ?? '',
    active: (customer?.disabled ?? false) ? undefined : 'on',
    creditLimit: Object.fromEntries(
      companies.map((c) => {
        const credit = customer?.credit.find((x) => x.companyId === c.id);
        return [c.id, credit ? formatMoney(credit.creditLimit, { exponent: c.currencyExponent }) : ''];
      }),
    ),
  };
}

export function CustomerFields({ companies, fields, customer }: { companies: CustomerCompany[]; fields: Fields; customer?: CustomerFieldValues }) {
  const limits = fields.creditLimit.getFieldset();
  return (
    <div className="fields-grid">
      {customer || !fields.code ? (
        <span>
          Code
          <br />
          <strong>{customer?.code}</strong>
        </span>
      ) : (
        <TextField meta={fields.code} label="Code (blank: next CUST-number)" maxLength={40} />
      )}
      <TextField meta={fields.name} label="Name" maxLength={140} size={30} />
      <TextField meta={fields.phone} label="Phone" type="tel" maxLength={30} />
      <TextField meta={fields.email} label="Email" type="email" maxLength={200} />
      <TextField meta={fields.taxId} label="Tax id" maxLength={40} />
      <TextField meta={fields.customerGroup} label="Group" maxLength={80} />
      <TextareaField meta={fields.address} label="Address" rows={2} maxLength={400} />
      <CheckboxField meta={fields.active} label="active" />
      {companies.map((c) => {
        const credit = customer?.credit.find((x) => x.companyId === c.id);
        return (
          <AmountField
            key={c.id}
            meta={limits[c.id]!}
            label={
              <>
                {c.name} credit limit{c.currency ? ` (${c.currency})` : ''}
                {credit ? <span className="muted"> · owes {formatMoney(credit.balance, { exponent: c.currencyExponent })}</span> : null}
              </>
            }
            placeholder="0.00"
          />
        );
      })}
    </div>
  );
}
