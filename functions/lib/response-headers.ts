// Baseline headers on every function answer, the edge's app version among them. Same-origin only: the POS and the back office are served
// by the edge itself, so no answer carries CORS grants (a reflected Origin with credentials would let
// any web page read the API with the admin's cookie). serverless-offline adds its own CORS headers in
// front of this; the launcher's front door strips those.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { EDGE_VERSION_HEADER } from '../../core/app-version';
import { runningAppVersion } from '../../services/app-version';

export function withBaselineHeaders<T extends APIGatewayProxyStructuredResultV2>(result: T): T {
  const headers: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) {
    if (!k.toLowerCase().startsWith('access-control-')) headers[k.toLowerCase()] = v;
  }
  headers['x-content-type-options'] = 'nosniff';
  headers['cache-control'] ??= 'no-store';
  // Registers compare it with their own shell and update when the edge is newer (ADR 003).
  headers[EDGE_VERSION_HEADER] = runningAppVersion();
  return { ...result, headers };
}
