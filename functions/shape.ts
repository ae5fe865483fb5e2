import { serverConfig } from '../config/server-config';
import { proxyShapeRequest } from '../sync/electric-proxy';
import { handleShapeRequest } from '../sync/shape-server';
import { defineHandler } from './lib/handler';

/** Time kept back from the function's limit to answer after the upstream request is cut. */
const ANSWER_MARGIN_MS = 1_500;

/**
 * GET /v1/shape: the Electric Shape API, scoped to the calling register's companies and devices.
 * With `ELECTRIC_URL` (the cloud) it is an auth proxy in front of Electric; without it the edge's
 * change log answers.
 */
export const handler = defineHandler({ name: 'shape', auth: 'device' }, async ({ database, event, principal: { device }, context }) => {
  const req = { method: event.requestContext?.http?.method ?? 'GET', query: event.queryStringParameters ?? {}, headers: event.headers };
  const scope = { companyIds: device.companyIds, registerId: device.registerId, deviceIds: device.devices.map((d) => d.id) };
  const config = serverConfig();
  const electricUrl = config.ELECTRIC_URL;
  if (electricUrl) {
    // A Lambda never learns that its HTTP client went away: cut the upstream long poll before the
    // function's own limit, so the answer (504, retried by the clients) still gets out.
    const remaining = context?.getRemainingTimeInMillis?.() ?? 29_000;
    const signal = AbortSignal.timeout(Math.max(1, remaining - ANSWER_MARGIN_MS));
    const res = await proxyShapeRequest(database, req, scope, { electricUrl, secret: config.ELECTRIC_SECRET, signal });
    return { statusCode: res.status, headers: res.headers, body: res.body };
  }
  const res = await handleShapeRequest(database, req, scope, { longPollMs: config.SHAPE_LONG_POLL_MS });
  return { statusCode: res.status, headers: res.headers, body: res.body };
});
