// Where to go after signing in: only a path inside the back office, never another site.

/**
 * `next` as a same-site path under /admin, or `/admin`. Refuses anything a browser could resolve
 * elsewhere: schemes, `//host`, backslashes (browsers read `/\` as `//`), `..` segments (plain or
 * percent-encoded), control characters and encoded slashes.
 */
export function safeAdminNext(next: unknown): string {
  const fallback = '/admin';
  if (typeof next !== 'string' || next.length > 2000) return fallback;
  if (!/^\/admin(?:[/?#]|$)/.test(next)) return fallback;
  if (/[\\\x00-\x20\x7f]/.test(next) || next.includes('//')) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback;
  }
  if (/[\\\x00-\x1f\x7f]/.test(decoded) || decoded.includes('//')) return fallback;
  const path = decoded.split(/[?#]/)[0]!;
  if (path.split('/').some((s) => s === '..' || s === '.')) return fallback;
  const url = new URL(next, 'http://till.invalid');
  if (url.origin !== 'http://till.invalid' || !/^\/admin(?:\/|$)/.test(url.pathname)) return fallback;
  return url.pathname + url.search;
}
