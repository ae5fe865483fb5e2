import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { formatRate } from '../../core/rates';
import { createTaxRate, listSetupCompanies, listTaxRates, setDefaultTaxRate, setTaxRateActive } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
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
  const input = Object.fromEntries(await request.formData());
  const database = getDatabase();
  const r = await runAdminAction(async () => {
    if (input.intent === 'create') {
      const { rateBp } = await createTaxRate(database, input, admin.email);
      return { message: `Tax rate ${formText(input.code).trim().toUpperCase()} created at ${formatRate(rateBp)}.` };
    }
    if (input.intent === 'default') {
      await setDefaultTaxRate(database, input, admin.email);
      return { message: 'Default rate changed.' };
    }
    if (input.intent === 'active') {
      await setTaxRateActive(database, input, admin.email);
      return { message: input.active === 'true' ? 'Tax rate active again.' : 'Tax rate deactivated: items keep it, new items cannot choose it.' };
    }
    throw new DomainError('invalid', 'intent', 'intent: unknown action');
  });
  return json(r.body, { status: r.status });
}

export default function TaxRates() {
  const { rates, companies } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <SetupNav current="/admin/tax-rates" />
      <div className="card">
        <h2>New tax rate</h2>
        <AdminForm method="post" style={{ display: 'flex', gap: '.75rem', alignItems: 'end', flexWrap: 'wrap' }}>
          <input type="hidden" name="intent" value="create" />
          <label>Company<br />
            <select name="companyId">{companies.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>
          </label>
          <label>Code<br /><input name="code" placeholder="VAT55" required size={10} /></label>
          <label>Name<br /><input name="name" placeholder="VAT 5.5%" required /></label>
          <label>Rate (%)<br /><input name="rate" placeholder="5.5" inputMode="decimal" required size={8} /></label>
          <label><input type="checkbox" name="isDefault" /> default for the company</label>
          <button className="primary" type="submit">Create tax rate</button>
        </AdminForm>
        {result ? result.ok ? <p role="status" className="badge ok">{result.message}</p> : <p role="alert" className="error">{result.error}</p> : null}
      </div>
      {companies.map((c) => (
        <div className="card" key={c.id}>
          <h2>{c.name} tax rates</h2>
          <table>
            <thead>
              <tr><th>Code</th><th>Name</th><th className="num">Rate</th><th>Status</th><th className="num">Items</th><th></th></tr>
            </thead>
            <tbody>
              {rates.filter((r) => r.companyId === c.id).map((r) => (
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
                      <AdminForm method="post">
                        <input type="hidden" name="intent" value="default" />
                        <input type="hidden" name="taxRateId" value={r.id} />
                        <button type="submit">Make default</button>
                      </AdminForm>
                    )}
                    {r.isDefault ? null : (
                      <AdminForm method="post">
                        <input type="hidden" name="intent" value="active" />
                        <input type="hidden" name="taxRateId" value={r.id} />
                        <input type="hidden" name="active" value={r.active ? 'false' : 'true'} />
                        <button type="submit">{r.active ? 'Deactivate' : 'Activate'}</button>
                      </AdminForm>
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
