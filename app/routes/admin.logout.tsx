import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { clearSessionCookie, endSession } from '../lib/services.server';
import { getDatabase } from '../lib/db.server';
import { requireAdmin } from '../lib/admin-session.server';
import { cameOverTls } from '../lib/client.server';

// Ends the session on the server (the old cookie is refused from now on), then clears it in the browser.
export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request, 'manager', { passwordChange: true });
  await endSession(getDatabase(), request.headers.get('cookie'));
  return redirect('/admin/login', { headers: { 'set-cookie': clearSessionCookie(cameOverTls(request)) } });
}
export const loader = () => redirect('/admin');
