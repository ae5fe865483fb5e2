import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { changePassword, sessionCookie } from '../lib/services.server';
import { DomainError } from '../../core/errors';
import { actionStatus } from '../lib/admin-action.server';
import { getDatabase } from '../lib/db.server';
import { requireAdmin } from '../lib/admin-session.server';
import { cameOverTls, clientAddress } from '../lib/client.server';
import { AdminForm } from '../components/AdminForm';
import { safeAdminNext } from '../lib/admin-next';

export const meta: MetaFunction = () => [{ title: 'Change password · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request, 'manager', { passwordChange: true });
  return json({ email: admin.email, forced: admin.mustChangePassword });
}

const form = z.object({
  currentPassword: z.string().min(1, 'currentPassword: enter the current password'),
  newPassword: z.string().min(1, 'newPassword: enter a new password'),
  confirmPassword: z.string(),
  next: z.unknown().transform(safeAdminNext),
});

// Every other session of this admin ends; this browser gets a fresh one.
export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'manager', { passwordChange: true });
  const parsed = form.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ error: parsed.error.issues[0]!.message }, { status: 400 });
  if (parsed.data.newPassword !== parsed.data.confirmPassword) return json({ error: 'confirmPassword: the two new passwords differ' }, { status: 400 });
  try {
    const { currentPassword, newPassword } = parsed.data;
    const token = await changePassword(getDatabase(), admin, { currentPassword, newPassword }, clientAddress(request, context));
    return redirect(parsed.data.next, { headers: { 'set-cookie': sessionCookie(token, cameOverTls(request)) } });
  } catch (e) {
    if (e instanceof DomainError) return json({ error: e.message }, actionStatus(e));
    throw e;
  }
}

export default function ChangePassword() {
  const { email, forced } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="card" style={{ maxWidth: 420 }}>
      <h2>Change password</h2>
      {forced ? <p role="status">{email} still has its first password. Choose a new one to continue.</p> : null}
      <AdminForm method="post" autoComplete="off">
        <input type="hidden" name="next" value={params.get('next') ?? '/admin'} />
        <p>
          <label>
            Current password
            <br />
            <input name="currentPassword" type="password" autoComplete="current-password" required style={{ width: '100%' }} />
          </label>
        </p>
        <p>
          <label>
            New password
            <br />
            <input name="newPassword" type="password" autoComplete="new-password" minLength={10} required style={{ width: '100%' }} />
          </label>
        </p>
        <p>
          <label>
            New password again
            <br />
            <input name="confirmPassword" type="password" autoComplete="new-password" required style={{ width: '100%' }} />
          </label>
        </p>
        {data && 'error' in data ? (
          <p className="error" role="alert">
            {data.error}
          </p>
        ) : null}
        <button className="primary" type="submit">
          Change password
        </button>
      </AdminForm>
    </div>
  );
}
