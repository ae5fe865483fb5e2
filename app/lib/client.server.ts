// What the edge knows about the client of a request. Which forwarded header is trusted depends on
// what stands in front of the app (core/client-address.ts, `TILL_FORWARDER`); the function's source
// IP comes from the Lambda event (functions/remix.ts getLoadContext).
import { serverConfig } from '../../config/server-config';
import { callerAddress } from '../../core/client-address';

export interface RequestContext {
  sourceIp?: string;
}

/** The client's address, as far as what forwarded the request can be trusted. */
export function clientAddress(request: Request, context?: unknown): string {
  const ip = (context as RequestContext | undefined)?.sourceIp;
  return callerAddress({
    forwarder: serverConfig().TILL_FORWARDER,
    forwardedFor: request.headers.get('x-forwarded-for'),
    sourceIp: typeof ip === 'string' ? ip : undefined,
  });
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
