// The fields of an item, for the new-item page and the item's full edit form (services/forms/catalog.ts).
import type { FieldMetadata } from '@conform-to/react';
import { formatMoney } from '../../core/money';
import { formatRate, percentText } from '../../core/rates';
import type { ItemMaster } from '../../services/admin-masters';
import { AmountField, CheckboxField, SelectField, TextareaField, TextField } from '../admin/fields';

export interface ItemFieldOptions {
  companies: { id: string; name: string; currency: string; currencyExponent: number }[];
  taxRates: { id: string; companyId: string; code: string; name: string; rateBp: number; isDefault: boolean }[];
  groups: string[];
}

/** What the item form shows: an item as the admin service reads it, without its id. */
export type ItemFieldValues = Omit<ItemMaster, 'id'>;

type Fields = Record<
  'code' | 'name' | 'itemGroup' | 'uom' | 'weighed' | 'taxRateId' | 'price' | 'maxDiscount' | 'barcodes' | 'active',
  FieldMetadata<unknown, Record<string, unknown>, string[]>
>;

/** The form's starting values: the item's, or a new item's in the first company with its default rate. */
export function itemDefaults(options: ItemFieldOptions, item?: ItemFieldValues) {
  const companyId = item?.companyId ?? options.companies[0]?.id ?? '';
  const company = options.companies.find((c) => c.id === companyId);
  return {
    companyId,
    code: item?.code ?? '',
    name: item?.name ?? '',
    itemGroup: item?.itemGroup ?? '',
    uom: item?.uom ?? 'Nos',
    weighed: item?.weighed ? 'on' : undefined,
    taxRateId: item?.taxRateId ?? options.taxRates.find((r) => r.isDefault && r.companyId === companyId)?.id ?? '',
    price: item?.price != null && company ? formatMoney(item.price, { exponent: company.currencyExponent }) : '',
    maxDiscount: percentText(item?.maxDiscountBp ?? 0),
    barcodes: item?.barcodes.join(' ') ?? '',
    active: (item?.active ?? true) ? 'on' : undefined,
  };
}

/** `company` given: a new item chooses its company there; an item stays in its company otherwise. */
export function ItemFields({
  options,
  fields,
  item,
  company: companyField,
}: {
  options: ItemFieldOptions;
  fields: Fields;
  item?: ItemFieldValues;
  company?: FieldMetadata<unknown, Record<string, unknown>, string[]>;
}) {
  const companyId = item?.companyId ?? options.companies[0]?.id ?? '';
  const company = options.companies.find((c) => c.id === companyId);
  const fixedCompany = !companyField;
  const rates = options.taxRates.filter((r) => (fixedCompany ? r.companyId === companyId : true));
  const keepsInactive = item?.taxRateId && !rates.some((r) => r.id === item.taxRateId);
  const companyName = (id: string) => options.companies.find((c) => c.id === id)?.name ?? '';
  return (
    <div className="fields-grid">
      {companyField ? (
        <SelectField meta={companyField} label="Company" options={options.companies.map((c) => ({ value: c.id, label: `${c.name} (${c.currency})` }))} />
      ) : null}
      <TextField meta={fields.code} label="Code" maxLength={40} />
      <TextField meta={fields.name} label="Name" maxLength={140} size={30} />
      <SelectField meta={fields.itemGroup} label="Group" options={[{ value: '', label: '(none)' }, ...options.groups.map((g) => ({ value: g, label: g }))]} />
      <TextField meta={fields.uom} label="Unit" maxLength={20} size={8} />
      <CheckboxField meta={fields.weighed} label="weighed (quantity to 3 decimals)" />
      <SelectField
        meta={fields.taxRateId}
        label="VAT rate"
        options={[
          ...(keepsInactive ? [{ value: item.taxRateId!, label: 'current rate (deactivated)' }] : []),
          ...rates.map((r) => ({ value: r.id, label: `${fixedCompany ? '' : `${companyName(r.companyId)}: `}${r.name} (${formatRate(r.rateBp)})` })),
        ]}
      />
      <AmountField meta={fields.price} label={`Price${company && fixedCompany ? ` (${company.currency})` : ''}`} placeholder="2.50" />
      <AmountField meta={fields.maxDiscount} label="Largest discount (%)" size={6} />
      <TextareaField meta={fields.barcodes} label="Barcodes (space or comma separated)" rows={2} cols={28} />
      <CheckboxField meta={fields.active} label="active (on sale)" />
    </div>
  );
}
