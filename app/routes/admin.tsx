import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData, useLocation } from '@remix-run/react';
import { AdminForm } from '../components/AdminForm';
import { backupOverdue, countPendingRejections, getStoreTimeZone, sessionFromCookie } from '../lib/services.server';
import { getDatabase } from '../lib/db.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const database = getDatabase();
  const session = await sessionFromCookie(database, request.headers.get('cookie'));
  const pending = session ? await countPendingRejections(database) : 0;
  // Signed in only: a badge when the last good backup is older than a day.
  const backup = session ? { backupOverdue: await backupOverdue(database) } : {};
  // The CSRF token rides on the layout's data so every AdminForm below can echo it.
  // The store's zone for every time shown (only to a signed-in admin).
  const timeZone = session ? { timeZone: await getStoreTimeZone(database) } : {};
  return json({ email: session?.email ?? null, pending, csrf: session?.csrfToken ?? null, ...backup, ...timeZone });
}

const NAV = [
  ['/admin', 'Overview'],
  ['/admin/setup', 'Setup'],
  ['/admin/registers', 'Registers'],
  ['/admin/items', 'Items'],
  ['/admin/customers', 'Customers'],
  ['/admin/sales', 'Sales'],
  ['/admin/adjustments', 'Adjustments'],
  ['/admin/shifts', 'Shifts'],
  ['/admin/audit', 'Audit'],
  ['/admin/import', 'Import'],
  ['/admin/outbox', 'System → Outbox'],
  ['/admin/backups', 'Backups'],
] as const;

export default function AdminLayout() {
  const data = useLoaderData<typeof loader>();
  const { email, pending } = data;
  const backupOverdue = 'backupOverdue' in data && data.backupOverdue;
  const { pathname } = useLocation();
  if (!email || pathname === '/admin/login') return <Outlet />;
  return (
    <>
      <header className="bar">
        <strong>Till Admin</strong>
        {NAV.map(([to, label]) => (
          <NavLink key={to} to={to} end>
            {label}
            {to === '/admin/outbox' && pending > 0 ? (
              <span className="badge off" style={{ marginLeft: 4 }}>
                {pending}
              </span>
            ) : null}
            {to === '/admin/backups' && backupOverdue ? (
              <span className="badge off" style={{ marginLeft: 4 }} title="The last good backup is older than a day" data-testid="backup-badge">
                overdue
              </span>
            ) : null}
          </NavLink>
        ))}
        <NavLink to="/admin/password" style={{ marginLeft: 'auto' }} title="Change password">
          {email}
        </NavLink>
        <AdminForm method="post" action="/admin/logout">
          <button type="submit">Sign out</button>
        </AdminForm>
      </header>
      <main>
        <Outlet />
      </main>
    </>
  );
}
