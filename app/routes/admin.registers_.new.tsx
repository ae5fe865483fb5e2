import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { registerForm } from '../../services/forms/store';
import { createRegister, listRegisterSummaries } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
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
  return answerForm(request, {
    create: form(registerForm, async (input) => {
      await createRegister(getDatabase(), input, admin.email);
      return redirect(`/admin/registers/new?created=${formText(input.code).trim().toUpperCase()}`);
    }),
  });
}

export default function NewRegister() {
  const { registers, created } = useLoaderData<typeof loader>();
  const create = useAdminForm(registerForm, { intent: 'create' });
  const { fields } = create;
  return (
    <>
      <SetupNav current="/admin/registers/new" />
      <div className="card">
        <h2>Add a register</h2>
        <p className="muted">
          A register gets one device per company, with the register code as device code (printed in receipt numbers) and the company&apos;s default warehouse.
          Pair it afterwards from <Link to="/admin/registers">Registers</Link>.
        </p>
        <SchemaForm of={create} className="fields-row">
          <TextField meta={fields.code} label="Code" placeholder="R02" maxLength={8} />
          <TextField meta={fields.name} label="Name" placeholder="Side counter" />
          <button className="primary" type="submit">
            Create register
          </button>
        </SchemaForm>
        <FormMessage of={create} />
        {created && create.form.status !== 'error' ? (
          <p role="status" className="badge ok">
            Register {created} created; pair it from Registers.
          </p>
        ) : null}
      </div>
      <div className="card">
        <h2>Registers</h2>
        <table>
          <thead>
            <tr>
              <th>Code</th>
              <th>Name</th>
              <th>Devices (company · code · warehouse · status)</th>
            </tr>
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
