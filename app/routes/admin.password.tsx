import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData, useSearchParams } from '@remix-run/react';
import { passwordForm } from '../../services/forms/account';
import { changePassword, sessionCookie } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm, TextField } from '../admin/fields';
import { getDatabase } from '../lib/db.server';
import { requireAdmin } from '../lib/admin-session.server';
import { cameOverTls, clientAddress } from '../lib/client.server';
import { safeAdminNext } from '../lib/admin-next';

export const meta: MetaFunction = () => [{ title: 'Change password · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request, 'manager', { passwordChange: true });
  return json({ email: admin.email, forced: admin.mustChangePassword });
}

// Every other session of this admin ends; this browser gets a fresh one.
export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'manager', { passwordChange: true });
  return answerForm(request, {
    change: form(passwordForm, async (input) => {
      const { currentPassword, newPassword } = passwordForm.parse(input);
      const token = await changePassword(getDatabase(), admin, { currentPassword, newPassword }, clientAddress(request, context));
      return redirect(safeAdminNext(input.next), { headers: { 'set-cookie': sessionCookie(token, cameOverTls(request)) } });
    }),
  });
}

export default function ChangePassword() {
  const { email, forced } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const change = useAdminForm(passwordForm, { intent: 'change' });
  const { fields } = change;
  const wide = { width: '100%' };
  return (
    <div className="card" style={{ maxWidth: 420 }}>
      <h2>Change password</h2>
      {forced ? <p role="status">{email} still has its first password. Choose a new one to continue.</p> : null}
      <SchemaForm of={change} autoComplete="off" style={{ display: 'grid', gap: '.75rem' }}>
        <input type="hidden" name="next" value={params.get('next') ?? '/admin'} />
        <TextField meta={fields.currentPassword} label="Current password" type="password" autoComplete="current-password" style={wide} />
        <TextField meta={fields.newPassword} label="New password" type="password" autoComplete="new-password" minLength={10} style={wide} />
        <TextField meta={fields.confirmPassword} label="New password again" type="password" autoComplete="new-password" style={wide} />
        <FormMessage of={change} />
        <button className="primary" type="submit" style={{ justifySelf: 'start' }}>
          Change password
        </button>
      </SchemaForm>
    </div>
  );
}
