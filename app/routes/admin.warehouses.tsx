import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { createWarehouse, listSetupCompanies, listWarehouses } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
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
  const input = Object.fromEntries(await request.formData());
  const r = await runAdminAction(async () => {
    if (input.intent !== 'create') throw new DomainError('invalid', 'intent', 'intent: unknown action');
    await createWarehouse(getDatabase(), input, admin.email);
    return { message: 'Warehouse created.' };
  });
  return json(r.body, { status: r.status });
}

export default function Warehouses() {
  const { warehouses, companies } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
                <tr><th>Code</th><th>Name</th><th>Default</th><th className="num">Register devices</th></tr>
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
        <AdminForm method="post" style={{ display: 'flex', gap: '.75rem', alignItems: 'end', flexWrap: 'wrap' }}>
          <input type="hidden" name="intent" value="create" />
          <label>Company<br />
            <select name="companyId">{companies.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>
          </label>
          <label>Code<br /><input name="code" placeholder="U-BACK" required /></label>
          <label>Name<br /><input name="name" placeholder="Back room" required /></label>
          <label><input type="checkbox" name="isDefault" /> default for new registers</label>
          <button className="primary" type="submit">Create warehouse</button>
        </AdminForm>
        {result ? result.ok ? <p role="status" className="badge ok">{result.message}</p> : <p role="alert" className="error">{result.error}</p> : null}
      </div>
    </>
  );
}
