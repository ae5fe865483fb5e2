// What the edge knows about the client of a request. The TLS front door replaces any client-sent
// `x-forwarded-for` with the peer address and sets `x-forwarded-proto`; without it (plain local runs)
// the function's source IP from the Lambda event is used (see functions/remix.ts getLoadContext).

export interface RequestContext {
  sourceIp?: string;
}

/** The client's address: the front door's `x-forwarded-for` (last hop), else the socket's address. */
export function clientAddress(request: Request, context?: unknown): string {
  const forwarded = request.headers.get('x-forwarded-for');
  const last = forwarded?.split(',').pop()?.trim();
  if (last) return last;
  const ip = (context as RequestContext | undefined)?.sourceIp;
  return typeof ip === 'string' && ip ? ip : 'unknown';
}

/** True when the browser reached the edge over TLS. */
export function cameOverTls(request: Request): boolean {
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (proto) return proto === 'https';
  return new URL(request.url).protocol === 'https:';
}

/**
 * The origin the browser used for this request: scheme (front door's view) + host. A front door that
 * rewrites Host may pass the original in x-forwarded-host; a browser cannot send that header cross-site
 * without a CORS preflight the edge never grants, so it cannot be used to fake a match.
 */
export function requestOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host') || url.host;
  return `${cameOverTls(request) ? 'https' : 'http'}://${host}`.toLowerCase();
}
