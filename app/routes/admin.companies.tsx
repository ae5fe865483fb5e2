// Companies: legal details printed on receipts, the short code receipt numbers start with, and the
// money rules (rounding, tax rounding, prices with or without VAT). One form to add, one per company to edit.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import type { FieldMetadata } from '@conform-to/react';
import { useLoaderData } from '@remix-run/react';
import { companyEditForm, companyForm } from '../../services/forms/store';
import { createCompany, editCompany, getStore, listCompanyDetails, type CompanyDetail } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { CheckboxField, FormMessage, SchemaForm, SelectField, TextareaField, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { SetupNav } from '../components/SetupNav';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'Companies · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [companies, store] = await Promise.all([listCompanyDetails(database), getStore(database)]);
  return json({ companies, currency: store.currency });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const database = getDatabase();
  return answerForm(request, {
    create: form(companyForm, async (input) => (await createCompany(database, input, admin.email), { message: 'Company created.', reset: true })),
    edit: form(companyEditForm, async (input) => (await editCompany(database, input, admin.email), 'Company saved; registers get it with their next sync.')),
  });
}

type Field = FieldMetadata<unknown, Record<string, unknown>, string[]>;
type Fields = Record<'name' | 'code' | 'legalName' | 'vatId' | 'address' | 'receiptFooter' | 'roundingMode' | 'taxRounding' | 'pricesIncludeTax', Field> & {
  currency?: Field;
};

const ROUNDING = ['HalfUp', 'Truncate', 'Bankers'].map((m) => ({ value: m, label: m }));
const TAX_ROUNDING = [
  { value: 'line', label: 'per line' },
  { value: 'invoice', label: 'per invoice' },
];

const companyDefaults = (c: CompanyDetail | undefined, currency: string) => ({
  name: c?.name ?? '',
  code: c?.code ?? '',
  legalName: c?.legalName ?? '',
  vatId: c?.vatId ?? '',
  address: c?.address ?? '',
  receiptFooter: c?.receiptFooter ?? '',
  currency,
  roundingMode: c?.roundingMode ?? 'HalfUp',
  taxRounding: c?.taxRounding ?? 'line',
  pricesIncludeTax: (c?.pricesIncludeTax ?? true) ? 'on' : undefined,
});

function CompanyFields({ c, fields }: { c?: CompanyDetail; fields: Fields }) {
  const codeFixed = Boolean(c && c.sales > 0);
  return (
    <div className="fields-grid">
      <TextField meta={fields.name} label="Name (trading)" maxLength={80} />
      <TextField meta={fields.code} label="Short code (1–2 letters, starts receipt numbers)" maxLength={2} size={3} disabled={codeFixed} />
      {codeFixed ? <input type="hidden" name="code" value={c!.code} /> : null}
      <TextField meta={fields.legalName} label="Legal name (printed on receipts)" maxLength={160} />
      <TextField meta={fields.vatId} label="VAT id" maxLength={40} />
      <TextareaField meta={fields.address} label="Address" rows={2} maxLength={400} />
      <TextareaField meta={fields.receiptFooter} label="Receipt footer" rows={2} maxLength={500} />
      {c || !fields.currency ? (
        <span>
          Currency
          <br />
          <strong>{c?.currency}</strong> <span className="muted">({c?.currencyExponent} decimals; fixed)</span>
        </span>
      ) : (
        <TextField meta={fields.currency} label="Currency (ISO code)" maxLength={3} size={4} />
      )}
      <SelectField meta={fields.roundingMode} label="Rounding mode" options={ROUNDING} />
      <SelectField meta={fields.taxRounding} label="Tax rounding" options={TAX_ROUNDING} />
      <CheckboxField meta={fields.pricesIncludeTax} label="prices include VAT" />
    </div>
  );
}

function EditCompany({ c, currency }: { c: CompanyDetail; currency: string }) {
  const edit = useAdminForm(companyEditForm, { intent: 'edit', id: `company-${c.id}`, defaultValue: { ...companyDefaults(c, currency), id: c.id } });
  return (
    <div className="card">
      <h2>
        {c.code} · {c.name}
      </h2>
      <p className="muted">
        {c.warehouses} warehouse(s) · {c.sales} sale(s){c.sales > 0 ? ' · the code is fixed once receipts are numbered' : ''}
      </p>
      <SchemaForm of={edit} aria-label={`company ${c.code}`}>
        <input type="hidden" name="id" value={c.id} />
        <CompanyFields c={c} fields={edit.fields} />
        <FormMessage of={edit} />
        <button type="submit">Save {c.name}</button>
      </SchemaForm>
    </div>
  );
}

export default function Companies() {
  const { companies, currency } = useLoaderData<typeof loader>();
  const create = useAdminForm(companyForm, { intent: 'create', defaultValue: companyDefaults(undefined, currency) });
  return (
    <>
      <SetupNav current="/admin/companies" />
      {companies.map((c) => (
        <EditCompany key={c.id} c={c} currency={currency} />
      ))}
      <div className="card" id="new-company">
        <h2>Add a company</h2>
        <SchemaForm of={create} aria-label="new company">
          <CompanyFields fields={create.fields} />
          <FormMessage of={create} />
          <button className="primary" type="submit">
            Add company
          </button>
        </SchemaForm>
      </div>
    </>
  );
}
