import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { createRegister, listRegisterSummaries } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { getDatabase } from '../lib/db.server';
import { SetupNav } from '../components/SetupNav';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Add register · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({ registers: await listRegisterSummaries(getDatabase()), created: new URL(request.url).searchParams.get('created') });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input = Object.fromEntries(await request.formData());
  const r = await runAdminAction(async () => {
    if (input.intent !== 'create') throw new DomainError('invalid', 'intent', 'intent: unknown action');
    return createRegister(getDatabase(), input, admin.email);
  });
  if (r.body.ok) return redirect(`/admin/registers/new?created=${formText(input.code).trim().toUpperCase()}`);
  return json(r.body, { status: r.status });
}

export default function NewRegister() {
  const { registers, created } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <SetupNav current="/admin/registers/new" />
      <div className="card">
        <h2>Add a register</h2>
        <p className="muted">
          A register gets one device per company, with the register code as device code (printed in receipt numbers) and the
          company&apos;s default warehouse. Pair it afterwards from <Link to="/admin/registers">Registers</Link>.
        </p>
        <AdminForm method="post" style={{ display: 'flex', gap: '.75rem', alignItems: 'end', flexWrap: 'wrap' }}>
          <input type="hidden" name="intent" value="create" />
          <label>Code<br /><input name="code" placeholder="R02" required maxLength={8} /></label>
          <label>Name<br /><input name="name" placeholder="Side counter" required /></label>
          <button className="primary" type="submit">Create register</button>
        </AdminForm>
        {result && !result.ok ? <p role="alert" className="error">{result.error}</p> : null}
        {created && !(result && !result.ok) ? <p role="status" className="badge ok">Register {created} created; pair it from Registers.</p> : null}
      </div>
      <div className="card">
        <h2>Registers</h2>
        <table>
          <thead>
            <tr><th>Code</th><th>Name</th><th>Devices (company · code · warehouse · status)</th></tr>
          </thead>
          <tbody>
            {registers.map((g) => (
              <tr key={g.id}>
                <td>{g.code}</td>
                <td>{g.name}</td>
                <td>
                  {g.devices.map((d) => (
                    <div key={d.id}>
                      {d.companyName} · {d.code} · {d.warehouseCode ?? 'no warehouse'} ·{' '}
                      <span className={`badge ${d.status === 'active' ? 'ok' : d.status === 'revoked' ? 'off' : 'warn'}`}>{d.status}</span>
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
