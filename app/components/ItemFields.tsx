// The fields of an item, for the new-item page and the item's full edit form.
import { formatMoney } from '../../core/money';
import { formatRate, percentText } from '../../core/rates';
import type { ItemMaster } from '../../services/admin-masters';

export interface ItemFieldOptions {
  companies: { id: string; name: string; currency: string; currencyExponent: number }[];
  taxRates: { id: string; companyId: string; code: string; name: string; rateBp: number; isDefault: boolean }[];
  groups: string[];
}

/** What the item form shows: an item as the admin service reads it, without its id. */
export type ItemFieldValues = Omit<ItemMaster, 'id'>;


/** `fixedCompany`: an item stays in its company; only a new item chooses one. */
export function ItemFields({ options, item, fixedCompany }: { options: ItemFieldOptions; item?: ItemFieldValues; fixedCompany?: boolean }) {
  const companyId = item?.companyId ?? options.companies[0]?.id ?? '';
  const company = options.companies.find((c) => c.id === companyId);
  const rates = options.taxRates.filter((r) => fixedCompany ? r.companyId === companyId : true);
  const keepsInactive = item?.taxRateId && !rates.some((r) => r.id === item.taxRateId);
  const companyName = (id: string) => options.companies.find((c) => c.id === id)?.name ?? '';
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(15rem, 1fr))', gap: '.5rem 1rem' }}>
      {fixedCompany ? null : (
        <label>Company<br />
          <select name="companyId" defaultValue={companyId}>
            {options.companies.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.currency})</option>)}
          </select>
        </label>
      )}
      <label>Code<br /><input name="code" defaultValue={item?.code} required maxLength={40} /></label>
      <label>Name<br /><input name="name" defaultValue={item?.name} required maxLength={140} size={30} /></label>
      <label>Group<br />
        <select name="itemGroup" defaultValue={item?.itemGroup ?? ''}>
          <option value="">(none)</option>
          {options.groups.map((g) => <option key={g} value={g}>{g}</option>)}
        </select>
      </label>
      <label>Unit<br /><input name="uom" defaultValue={item?.uom ?? 'Nos'} maxLength={20} size={8} /></label>
      <label><input type="checkbox" name="weighed" defaultChecked={item?.weighed ?? false} /> weighed (quantity to 3 decimals)</label>
      <label>VAT rate<br />
        <select name="taxRateId" defaultValue={item?.taxRateId ?? rates.find((r) => r.isDefault && r.companyId === companyId)?.id}>
          {keepsInactive ? <option value={item.taxRateId!}>current rate (deactivated)</option> : null}
          {rates.map((r) => (
            <option key={r.id} value={r.id}>{fixedCompany ? '' : `${companyName(r.companyId)}: `}{r.name} ({formatRate(r.rateBp)})</option>
          ))}
        </select>
      </label>
      <label>Price{company && fixedCompany ? ` (${company.currency})` : ''}<br />
        <input name="price" defaultValue={item?.price != null && company ? formatMoney(item.price, { exponent: company.currencyExponent }) : ''} inputMode="decimal" required size={10} placeholder="2.50" />
      </label>
      <label>Largest discount (%)<br /><input name="maxDiscount" defaultValue={percentText(item?.maxDiscountBp ?? 0)} inputMode="decimal" size={6} /></label>
      <label>Barcodes (space or comma separated)<br /><textarea name="barcodes" defaultValue={item?.barcodes.join(' ')} rows={2} cols={28} /></label>
      <label><input type="checkbox" name="active" defaultChecked={item?.active ?? true} /> active (on sale)</label>
    </div>
  );
}
