import * as z from 'zod';
import type { PushAnswer } from '../core/edge-api';
import { MAX_BATCH_EVENTS } from '../core/events';
import { renewDeviceToken, tokenNeedsRenewal } from '../services/device-auth';
import { appliers } from '../services/posting/appliers';
import { ingestEvents } from '../services/posting/ingest';
import { defineHandler, json } from './lib/handler';
import { countPushResults } from './lib/metrics';

/**
 * POST /sync/push {events:[…]}: the envelope must be a list (400 otherwise); each event is then
 * judged on its own, so one bad event never blocks the good ones. A token past half its life is
 * renewed in the answer (`token`), so a register that pushes never sees it expire.
 */
export const handler = defineHandler(
  {
    name: 'push',
    auth: 'device',
    body: z.object({ events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS) }).strict(),
    maxBodyBytes: 4 * 1024 * 1024,
    // Events are judged one by one in ingest; one bad string must not block the batch.
    checkBodyText: false,
  },
  async ({ database, body, principal: { device } }) => {
    const results = await ingestEvents(database, device, body.events, appliers);
    countPushResults(device, body.events, results, appliers);
    const renewed = tokenNeedsRenewal(device) ? await renewDeviceToken(database, device) : undefined;
    const answer = { results, ...(renewed ? { token: renewed.token, tokenExpiresAt: renewed.expiresAt.toISOString() } : {}) } satisfies PushAnswer;
    return json(200, answer);
  },
);
