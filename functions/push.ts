import { z } from 'zod';
import { MAX_BATCH_EVENTS } from '../core/events';
import { appliers } from '../sync/push/appliers';
import { ingestEvents } from '../sync/push/ingest';
import { requireDevice } from './lib/device';
import { defineHandler, json } from './lib/handler';

/**
 * POST /sync/push {events:[…]}: the envelope must be a list (400 otherwise); each event is then
 * judged on its own, so one bad event never blocks the good ones.
 */
export const handler = defineHandler(
  {
    name: 'push',
    body: z.object({ events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS) }).strict(),
    maxBodyBytes: 4 * 1024 * 1024,
  },
  async ({ database, event, body }) => {
    const depth = Number(event.headers?.['x-till-queue-depth']);
    const device = await requireDevice(database, event, {
      appVersion: event.headers?.['x-till-app-version']?.slice(0, 40),
      queueDepth: Number.isSafeInteger(depth) && depth >= 0 ? depth : undefined,
    });
    const results = await ingestEvents(database, device, body.events, appliers);
    return json(200, { results });
  },
);
