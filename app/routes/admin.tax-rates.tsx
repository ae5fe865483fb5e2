import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { formatRate } from '../../core/rates';
import { taxRateActiveForm, taxRateDefaultForm, taxRateForm } from '../../services/forms/store';
import { createTaxRate, listSetupCompanies, listTaxRates, setDefaultTaxRate, setTaxRateActive } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { AmountField, CheckboxField, FormMessage, RowAction, SchemaForm, SelectField, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { SetupNav } from '../components/SetupNav';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Tax rates · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [rates, companies] = await Promise.all([listTaxRates(database), listSetupCompanies(database)]);
  return json({ rates, companies: companies.map((c) => ({ id: c.id, name: c.name })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const database = getDatabase();
  return answerForm(request, {
    create: form(taxRateForm, async (input) => {
      const { rateBp } = await createTaxRate(database, input, admin.email);
      return { message: `Tax rate ${formText(input.code).trim().toUpperCase()} created at ${formatRate(rateBp)}.`, reset: true };
    }),
    default: form(taxRateDefaultForm, async (input) => (await setDefaultTaxRate(database, input, admin.email), 'Default rate changed.')),
    active: form(taxRateActiveForm, async (input) => {
      await setTaxRateActive(database, input, admin.email);
      return input.active === 'true' ? 'Tax rate active again.' : 'Tax rate deactivated: items keep it, new items cannot choose it.';
    }),
  });
}

export default function TaxRates() {
  const { rates, companies } = useLoaderData<typeof loader>();
  const create = useAdminForm(taxRateForm, { intent: 'create', defaultValue: { companyId: companies[0]?.id } });
  const { fields } = create;
  const rows = useAdminForm(taxRateActiveForm, { intent: 'active', id: 'rates' });
  return (
    <>
      <SetupNav current="/admin/tax-rates" />
      <div className="card">
        <h2>New tax rate</h2>
        <SchemaForm of={create} className="fields-row">
          <SelectField meta={fields.companyId} label="Company" options={companies.map((c) => ({ value: c.id, label: c.name }))} />
          <TextField meta={fields.code} label="Code" placeholder="VAT55" size={10} />
          <TextField meta={fields.name} label="Name" placeholder="VAT 5.5%" />
          <AmountField meta={fields.rate} label="Rate (%)" placeholder="5.5" size={8} />
          <CheckboxField meta={fields.isDefault} label="default for the company" />
          <button className="primary" type="submit">
            Create tax rate
          </button>
        </SchemaForm>
        <FormMessage of={create} />
      </div>
      <FormMessage of={rows} />
      {companies.map((c) => (
        <div className="card" key={c.id}>
          <h2>{c.name} tax rates</h2>
          <table>
            <thead>
              <tr>
                <th>Code</th>
                <th>Name</th>
                <th className="num">Rate</th>
                <th>Status</th>
                <th className="num">Items</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {rates
                .filter((r) => r.companyId === c.id)
                .map((r) => (
                  <tr key={r.id}>
                    <td>{r.code}</td>
                    <td>{r.name}</td>
                    <td className="num">{formatRate(r.rateBp)}</td>
                    <td>
                      {r.isDefault ? <span className="badge ok">default</span> : null} {r.active ? null : <span className="badge off">inactive</span>}
                    </td>
                    <td className="num">{r.items}</td>
                    <td style={{ display: 'flex', gap: '.5rem' }}>
                      {r.isDefault || !r.active ? null : (
                        <RowAction intent="default" answerTo="rates" values={{ taxRateId: r.id }}>
                          <button type="submit">Make default</button>
                        </RowAction>
                      )}
                      {r.isDefault ? null : (
                        <RowAction intent="active" answerTo="rates" values={{ taxRateId: r.id, active: r.active ? 'false' : 'true' }}>
                          <button type="submit">{r.active ? 'Deactivate' : 'Activate'}</button>
                        </RowAction>
                      )}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}
