// The fields of a shared customer, with one credit limit per company.
import { formatMoney } from '../../core/money';
import type { CustomerDetail } from '../../services/admin-masters';

/** What the customer form shows: a customer as the admin service reads it, without its id. */
export type CustomerFieldValues = Omit<CustomerDetail, 'id'>;

export function CustomerFields({
  companies,
  customer,
}: {
  companies: { id: string; name: string; currencyExponent: number; currency?: string }[];
  customer?: CustomerFieldValues;
}) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(15rem, 1fr))', gap: '.5rem 1rem' }}>
      {customer ? (
        <span>
          Code
          <br />
          <strong>{customer.code}</strong>
        </span>
      ) : (
        <label>
          Code (blank: next CUST-number)
          <br />
          <input name="code" maxLength={40} />
        </label>
      )}
      <label>
        Name
        <br />
        <input name="name" defaultValue={customer?.name} required maxLength={140} size={30} />
      </label>
      <label>
        Phone
        <br />
        <input name="phone" type="tel" defaultValue={customer?.phone} maxLength={30} />
      </label>
      <label>
        Email
        <br />
        <input name="email" type="email" defaultValue={customer?.email} maxLength={200} />
      </label>
      <label>
        Tax id
        <br />
        <input name="taxId" defaultValue={customer?.taxId} maxLength={40} />
      </label>
      <label>
        Group
        <br />
        <input name="customerGroup" defaultValue={customer?.customerGroup} maxLength={80} />
      </label>
      <label>
        Address
        <br />
        <textarea name="address" defaultValue={customer?.address} rows={2} maxLength={400} />
      </label>
      <label>
        <input type="checkbox" name="active" defaultChecked={!(customer?.disabled ?? false)} /> active
      </label>
      {companies.map((c) => {
        const credit = customer?.credit.find((x) => x.companyId === c.id);
        return (
          <label key={c.id}>
            {c.name} credit limit{c.currency ? ` (${c.currency})` : ''}
            <br />
            <input
              name={`creditLimit.${c.id}`}
              defaultValue={credit ? formatMoney(credit.creditLimit, { exponent: c.currencyExponent }) : ''}
              inputMode="decimal"
              size={10}
              placeholder="0.00"
            />
            {credit ? <span className="muted"> owes {formatMoney(credit.balance, { exponent: c.currencyExponent })}</span> : null}
          </label>
        );
      })}
    </div>
  );
}
