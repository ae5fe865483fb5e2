// Who is calling from where, read off a Lambda event. Which header is trusted depends on what stands
// in front of the functions (core/client-address.ts, `TILL_FORWARDER`).
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { serverConfig } from '../../config/server-config';
import { callerAddress, fromThisMachine, type CallerFacts } from '../../core/client-address';

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const h = event.headers ?? {};
  const v = h[name] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
  return v ?? undefined;
}

function callerFacts(event: APIGatewayProxyEventV2): CallerFacts {
  return {
    forwarder: serverConfig().TILL_FORWARDER,
    forwardedFor: header(event, 'x-forwarded-for'),
    sourceIp: event.requestContext?.http?.sourceIp,
  };
}

/** The client's address, as far as what forwarded the request can be trusted. */
export const clientAddress = (event: APIGatewayProxyEventV2): string => callerAddress(callerFacts(event));

/** A caller on the edge machine itself; never true in the cloud. */
export const callerIsThisMachine = (event: APIGatewayProxyEventV2): boolean => fromThisMachine(callerFacts(event));

/** The request arrived over TLS at the front door. */
export const cameOverTls = (event: APIGatewayProxyEventV2) => header(event, 'x-forwarded-proto')?.toLowerCase() === 'https';

/** Cookies as one header value (serverless-offline passes them both in `cookies` and `headers.cookie`). */
export function cookieHeader(event: APIGatewayProxyEventV2): string | undefined {
  if (event.cookies?.length) return event.cookies.join('; ');
  return header(event, 'cookie');
}
