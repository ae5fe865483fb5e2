import { Link, useLocation } from '@remix-run/react';

/**
 * Keyset paging for admin lists: "← First page" once past it, and a link to the next page
 * (`label`, "Older →" by default) when the loader returned a cursor. Keeps every other query
 * parameter (filters) of the current URL.
 */
export function PageLinks({ nextCursor, label = 'Older \u2192' }: { nextCursor: string | null; label?: string }) {
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  const paged = params.has('cursor');
  params.delete('cursor');
  const first = params.toString() ? `${pathname}?${params}` : pathname;
  params.set('cursor', nextCursor ?? '');
  if (!paged && !nextCursor) return null;
  return (
    <p>
      {paged ? <Link to={first}>{'\u2190'} First page</Link> : null} {nextCursor ? <Link to={`${pathname}?${params}`}>{label}</Link> : null}
    </p>
  );
}

/** The cursor of a list URL, or undefined; the service rejects a malformed one (the loader then shows the first page). */
export function cursorFrom(request: Request): string | undefined {
  return new URL(request.url).searchParams.get('cursor') || undefined;
}
