import * as z from 'zod';
import { renewDeviceToken } from '../services/device-auth';
import { defineHandler, json } from './lib/handler';

/**
 * POST /sync/renew: a fresh token for a device in good standing. The only endpoint that accepts an
 * expired token (within DEVICE_TOKEN_RENEW_GRACE_DAYS), so a register back from a long time offline
 * recovers without pairing again; a revoked or re-paired device gets 401.
 */
export const handler = defineHandler({ name: 'renew', auth: 'device-renew', query: z.object({}).strict() }, async ({ database, principal: { device } }) => {
  const { token, expiresAt } = await renewDeviceToken(database, device);
  return json(200, { token, tokenExpiresAt: expiresAt.toISOString(), registerId: device.registerId });
});
