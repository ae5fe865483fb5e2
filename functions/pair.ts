import { z } from 'zod';
import { DeviceAuthError, pairRegister } from '../services/device-auth';
import { HttpError } from './lib/errors';
import { defineHandler, json } from './lib/handler';

/** POST /sync/pair {pairingCode, appVersion} → a device token for this browser. */
export const handler = defineHandler(
  {
    name: 'pair',
    body: z.object({
      pairingCode: z.string().trim().regex(/^[A-Za-z2-9]{5}-?[A-Za-z2-9]{5}$/, 'must look like ABCDE-FGHJK'),
      appVersion: z.string().trim().min(1).max(40),
    }),
  },
  async ({ database, body }) => {
    try {
      const r = await pairRegister(database, body);
      return json(200, {
        token: r.token,
        registerId: r.identity.registerId,
        registerCode: r.identity.registerCode,
        devices: r.identity.devices,
        lastReceiptNumbers: r.lastReceiptNumbers,
      });
    } catch (e) {
      if (e instanceof DeviceAuthError) throw new HttpError(e.status, 'pairing_failed', [{ path: 'body.pairingCode', message: e.message }]);
      throw e;
    }
  },
);
