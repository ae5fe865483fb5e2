import { redirect } from '@remix-run/node';
import { sessionFromCookie, type AdminRole, type AdminSession } from './services.server';
import { getDatabase } from './db.server';

/** Every admin loader and action starts here: the session, or a redirect to sign in. */
export async function requireAdmin(request: Request, role: AdminRole = 'manager'): Promise<AdminSession> {
  const session = await sessionFromCookie(getDatabase(), request.headers.get('cookie'));
  if (!session) {
    const url = new URL(request.url);
    throw redirect(`/admin/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (role === 'admin' && session.role !== 'admin') throw new Response('Only an admin may do this', { status: 403 });
  return session;
}
