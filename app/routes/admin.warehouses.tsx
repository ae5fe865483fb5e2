import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { warehouseForm } from '../../services/forms/store';
import { createWarehouse, listSetupCompanies, listWarehouses } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { CheckboxField, FormMessage, SchemaForm, SelectField, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { SetupNav } from '../components/SetupNav';

export const meta: MetaFunction = () => [{ title: 'Warehouses · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [warehouses, companies] = await Promise.all([listWarehouses(database), listSetupCompanies(database)]);
  return json({ warehouses, companies });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  return answerForm(request, {
    create: form(warehouseForm, async (input) => (await createWarehouse(getDatabase(), input, admin.email), { message: 'Warehouse created.', reset: true })),
  });
}

export default function Warehouses() {
  const { warehouses, companies } = useLoaderData<typeof loader>();
  const create = useAdminForm(warehouseForm, { intent: 'create', defaultValue: { companyId: companies[0]?.id } });
  const { fields } = create;
  return (
    <>
      <SetupNav current="/admin/warehouses" />
      {companies.map((c) => {
        const rows = warehouses.filter((w) => w.companyId === c.id);
        return (
          <div className="card" key={c.id}>
            <h2>{c.name} warehouses</h2>
            {rows.length === 0 ? <p className="error">No warehouse yet: registers cannot be added until this company has one.</p> : null}
            <table>
              <thead>
                <tr>
                  <th>Code</th>
                  <th>Name</th>
                  <th>Default</th>
                  <th className="num">Register devices</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((w) => (
                  <tr key={w.id}>
                    <td>{w.code}</td>
                    <td>{w.name}</td>
                    <td>{w.isDefault ? <span className="badge ok">default</span> : null}</td>
                    <td className="num">{w.devices}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
      <div className="card">
        <h2>New warehouse</h2>
        <SchemaForm of={create} className="fields-row">
          <SelectField meta={fields.companyId} label="Company" options={companies.map((c) => ({ value: c.id, label: c.name }))} />
          <TextField meta={fields.code} label="Code" placeholder="U-BACK" />
          <TextField meta={fields.name} label="Name" placeholder="Back room" />
          <CheckboxField meta={fields.isDefault} label="default for new registers" />
          <button className="primary" type="submit">
            Create warehouse
          </button>
        </SchemaForm>
        <FormMessage of={create} />
      </div>
    </>
  );
}
