import { json, redirect } from '@remix-run/node';
import { csrfTokenMatches, sessionFromCookie, type AdminRole, type AdminSession } from './services.server';
import { getDatabase } from './db.server';
import { requestOrigin } from './client.server';

/** The hidden form field (or `x-csrf-token` header) every admin mutation carries; see AdminForm. */
export const CSRF_FIELD = '_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const refused = (why: string) => json({ error: `request refused: ${why}` }, { status: 403 });

/**
 * A state-changing request must come from a page of this very origin: its `Origin` (or, when a browser
 * sends none, its `Referer`) must equal the scheme and host it was sent to. This covers `?_data=`
 * fetcher requests too, which Remix's own document-POST check does not.
 */
export function requireSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const expected = requestOrigin(request);
  const origin = request.headers.get('origin');
  let source: string | undefined;
  if (origin) source = origin;
  else {
    const referer = request.headers.get('referer');
    try {
      source = referer ? new URL(referer).origin : undefined;
    } catch {
      source = undefined;
    }
  }
  if (!source || source.toLowerCase() !== expected) throw refused('it did not come from this site');
}

async function submittedCsrfToken(request: Request): Promise<string | null> {
  const header = request.headers.get('x-csrf-token');
  if (header) return header;
  const type = request.headers.get('content-type') ?? '';
  // Uploads carry it in the action URL so a large body is not parsed twice (AdminForm does this).
  if (type.startsWith('multipart/form-data')) return new URL(request.url).searchParams.get(CSRF_FIELD);
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const value = (await request.clone().formData()).get(CSRF_FIELD);
    return typeof value === 'string' ? value : null;
  }
  return null;
}

/**
 * Every admin loader and action starts here: the session, or a redirect to sign in. For anything but
 * GET/HEAD it also enforces the same-origin check and the session's CSRF token, so an action that calls
 * this cannot be driven from another site. An admin who must change their password is sent there first.
 */
export async function requireAdmin(request: Request, role: AdminRole = 'manager', opts: { passwordChange?: boolean } = {}): Promise<AdminSession> {
  const mutation = !SAFE_METHODS.has(request.method);
  if (mutation) requireSameOrigin(request);
  let session: AdminSession | undefined;
  try {
    session = await sessionFromCookie(getDatabase(), request.headers.get('cookie'));
  } catch {
    // The session could not be checked (database down): not a reason to send the admin to sign in.
    throw new Response('The back office cannot reach its database; retry shortly.', { status: 503, headers: { 'retry-after': '5' } });
  }
  const url = new URL(request.url);
  url.searchParams.delete('_data');
  const here = encodeURIComponent(url.pathname + url.search);
  if (!session) throw redirect(`/admin/login?next=${here}`);
  if (mutation && !csrfTokenMatches(session, await submittedCsrfToken(request))) throw refused('the form is out of date; reload the page');
  if (session.mustChangePassword && !opts.passwordChange) throw redirect(`/admin/password?next=${here}`);
  if (role === 'admin' && session.role !== 'admin') throw new Response('Only an admin may do this', { status: 403 });
  return session;
}
