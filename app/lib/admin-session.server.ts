import { redirect } from '@remix-run/node';
import { sessionFromCookie, type AdminRole, type AdminSession } from './services.server';
import { getDatabase } from './db.server';

/** Every admin loader and action starts here: the session, or a redirect to sign in. */
export async function requireAdmin(request: Request, role: AdminRole = 'manager'): Promise<AdminSession> {
  let session: AdminSession | undefined;
  try {
    session = await sessionFromCookie(getDatabase(), request.headers.get('cookie'));
  } catch {
    // The session could not be checked (database down): not a reason to send the admin to sign in.
    throw new Response('The back office cannot reach its database; retry shortly.', { status: 503, headers: { 'retry-after': '5' } });
  }
  if (!session) {
    const url = new URL(request.url);
    throw redirect(`/admin/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (role === 'admin' && session.role !== 'admin') throw new Response('Only an admin may do this', { status: 403 });
  return session;
}
