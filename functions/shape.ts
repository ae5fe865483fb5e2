import { handleShapeRequest } from '../sync/shape-server';
import { defineHandler } from './lib/handler';

/** GET /v1/shape: the Electric Shape API, scoped to the calling register's companies and devices. */
export const handler = defineHandler({ name: 'shape', auth: 'device' }, async ({ database, event, principal: { device } }) => {
  const res = await handleShapeRequest(
    database,
    { method: event.requestContext?.http?.method ?? 'GET', query: event.queryStringParameters ?? {}, headers: event.headers },
    { companyIds: device.companyIds, registerId: device.registerId, deviceIds: device.devices.map((d) => d.id) },
    { longPollMs: Number(process.env.SHAPE_LONG_POLL_MS ?? 20_000) },
  );
  return { statusCode: res.status, headers: res.headers, body: res.body };
});
