// Who is calling from where. The launcher's front door replaces `x-forwarded-for` with the client's
// address on every request it forwards, so it is trusted here; without it (direct invocation) the
// socket address serverless-offline reports is used.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const h = event.headers ?? {};
  const v = h[name] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
  return v ?? undefined;
}

/** The client's address: the front door's `x-forwarded-for` (first entry), else the socket's. */
export function clientAddress(event: APIGatewayProxyEventV2): string {
  const forwarded = header(event, 'x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || event.requestContext?.http?.sourceIp || 'unknown';
}

export function isLoopback(address: string): boolean {
  const a = address.replace(/^::ffff:/i, '');
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** The request arrived over TLS at the front door. */
export const cameOverTls = (event: APIGatewayProxyEventV2) => header(event, 'x-forwarded-proto')?.toLowerCase() === 'https';

/** Cookies as one header value (serverless-offline passes them both in `cookies` and `headers.cookie`). */
export function cookieHeader(event: APIGatewayProxyEventV2): string | undefined {
  if (event.cookies?.length) return event.cookies.join('; ');
  return header(event, 'cookie');
}
