import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import {
  createCashier,
  getStoreSettings,
  listCashiers,
  listSetupCompanies,
  resetCashierPin,
  setCashierActive,
  setCashierCompany,
  setCashierRole,
} from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { getDatabase } from '../lib/db.server';
import { SetupNav } from '../components/SetupNav';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Cashiers · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [cashiers, companies, settings] = await Promise.all([listCashiers(database), listSetupCompanies(database), getStoreSettings(database)]);
  return json({ cashiers, companies: companies.map((c) => ({ id: c.id, name: c.name })), pinMinLength: settings?.pinMinLength ?? 4 });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const form = await request.formData();
  const input: Record<string, unknown> = { ...Object.fromEntries(form), companyIds: form.getAll('companyIds') };
  const database = getDatabase();
  const r = await runAdminAction(async () => {
    switch (input.intent) {
      case 'create':
        await createCashier(database, input, admin.email);
        return { message: `Cashier ${String(input.name).trim()} created. The PIN is not shown again.` };
      case 'reset-pin':
        await resetCashierPin(database, input, admin.email);
        return { message: 'PIN changed. It is not shown again.' };
      case 'active':
        await setCashierActive(database, input, admin.email);
        return { message: input.active === 'true' ? 'Cashier enabled.' : 'Cashier disabled.' };
      case 'company':
        await setCashierCompany(database, input, admin.email);
        return { message: 'Companies updated.' };
      case 'role':
        await setCashierRole(database, input, admin.email);
        return { message: input.role === 'manager' ? 'Now a manager: can approve shift variances at the register.' : 'Now a cashier.' };
      default:
        throw new DomainError('invalid', 'intent', 'intent: unknown action');
    }
  });
  return json({ ...r.body, intent: formText(input.intent), target: formText(input.cashierId) }, { status: r.status });
}

export default function Cashiers() {
  const { cashiers, companies, pinMinLength } = useLoaderData<typeof loader>();
  const pinDigits = pinMinLength >= 8 ? '8 digits' : `${pinMinLength}–8 digits`;
  const result = useActionData<typeof action>();
  const feedback = (match: boolean) =>
    result && match ? result.ok ? <p role="status" className="badge ok">{result.message}</p> : <p role="alert" className="error">{result.error}</p> : null;
  return (
    <>
      <SetupNav current="/admin/cashiers" />
      <div className="card">
        <h2>New cashier</h2>
        <AdminForm method="post" style={{ display: 'flex', gap: '.75rem', alignItems: 'end', flexWrap: 'wrap' }} autoComplete="off">
          <input type="hidden" name="intent" value="create" />
          <label>Name<br /><input name="name" required /></label>
          <label>PIN ({pinDigits})<br /><input name="pin" type="password" inputMode="numeric" autoComplete="new-password" required /></label>
          <fieldset style={{ border: 0, padding: 0 }}>
            Companies<br />
            {companies.map((c) => (
              <label key={c.id} style={{ marginRight: 8 }}><input type="checkbox" name="companyIds" value={c.id} defaultChecked /> {c.name}</label>
            ))}
          </fieldset>
          <button className="primary" type="submit">Create cashier</button>
        </AdminForm>
        {feedback(result?.intent === 'create')}
      </div>
      <div className="card">
        <h2>Cashiers</h2>
        <p className="muted">
          One PIN logs a cashier into every company ticked here. PINs are stored only as hashes; new PINs need {pinDigits} (Settings). A manager&apos;s PIN approves a large cash variance when a shift is closed at the register.
        </p>
        <table>
          <thead>
            <tr><th>Name</th><th>Status</th><th>Role</th><th>Companies</th><th>Reset PIN</th><th></th></tr>
          </thead>
          <tbody>
            {cashiers.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <span className={`badge ${k.active ? 'ok' : 'off'}`}>{k.active ? 'active' : 'disabled'}</span>
                  {k.active && k.pinOutdated ? <span className="badge warn" title="Hashed at an older, weaker cost: set a new PIN">set a new PIN</span> : null}
                </td>
                <td>
                  <AdminForm method="post" style={{ display: 'flex', gap: 6 }}>
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="cashierId" value={k.id} />
                    <select name="role" defaultValue={k.role} aria-label={`role of ${k.name}`}>
                      <option value="cashier">cashier</option>
                      <option value="manager">manager</option>
                    </select>
                    <button type="submit">Set</button>
                  </AdminForm>
                </td>
                <td>
                  {companies.map((c) => {
                    const assigned = k.companyIds.includes(c.id);
                    return (
                      <AdminForm method="post" key={c.id} style={{ display: 'inline-block', marginRight: 6 }}>
                        <input type="hidden" name="intent" value="company" />
                        <input type="hidden" name="cashierId" value={k.id} />
                        <input type="hidden" name="companyId" value={c.id} />
                        <input type="hidden" name="assigned" value={assigned ? 'false' : 'true'} />
                        <button type="submit" title={assigned ? `Remove from ${c.name}` : `Add to ${c.name}`}>
                          {assigned ? '✓' : '+'} {c.name}
                        </button>
                      </AdminForm>
                    );
                  })}
                </td>
                <td>
                  <AdminForm method="post" style={{ display: 'flex', gap: 6 }} autoComplete="off">
                    <input type="hidden" name="intent" value="reset-pin" />
                    <input type="hidden" name="cashierId" value={k.id} />
                    <input name="pin" type="password" inputMode="numeric" autoComplete="new-password" placeholder="new PIN" aria-label={`new PIN for ${k.name}`} size={8} />
                    <button type="submit">Set PIN</button>
                  </AdminForm>
                </td>
                <td>
                  <AdminForm method="post">
                    <input type="hidden" name="intent" value="active" />
                    <input type="hidden" name="cashierId" value={k.id} />
                    <input type="hidden" name="active" value={k.active ? 'false' : 'true'} />
                    <button type="submit">{k.active ? 'Disable' : 'Enable'}</button>
                  </AdminForm>
                  {feedback(result?.intent !== 'create' && result?.target === k.id)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
