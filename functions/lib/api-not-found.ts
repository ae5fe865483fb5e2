// Unknown API paths fall through to the Remix catch-all; they answer a JSON 404, never the HTML page.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { json, type HttpResult } from './handler';
import { withBaselineHeaders } from './response-headers';

const API_PATH = /^\/(?:api|sync|v1)(?:\/|$)|^\/(?:health|metrics)\/?$/;

export function apiNotFound(event: APIGatewayProxyEventV2): HttpResult | undefined {
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  if (!API_PATH.test(path)) return undefined;
  const method = event.requestContext?.http?.method ?? 'GET';
  return withBaselineHeaders(json(404, { error: 'not_found', issues: [{ path: 'path', message: `no API route for ${method} ${path.slice(0, 200)}` }] }));
}
