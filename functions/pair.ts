import * as z from 'zod';
import { DomainError } from '../core/errors';
import { pairingAllowed, pairRegister, recordPairingFailure } from '../services/device-auth';
import { clientAddress } from './lib/client';
import { HttpError, httpErrorOf } from './lib/errors';
import { defineHandler, json } from './lib/handler';

/** The origin a browser put on its request (always sent on POST), normalised; anything else is ignored. */
function browserOrigin(value: string | undefined): string | undefined {
  if (!value || value === 'null') return undefined;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** POST /sync/pair {pairingCode, appVersion} → a device token for this browser. Anonymous: the code is the credential. */
export const handler = defineHandler(
  {
    name: 'pair',
    auth: 'anonymous',
    body: z.object({
      pairingCode: z
        .string()
        .trim()
        .regex(/^[A-Za-z2-9]{5}-?[A-Za-z2-9]{5}$/, 'must look like ABCDE-FGHJK'),
      appVersion: z.string().trim().min(1).max(40),
    }),
  },
  async ({ database, body, event }) => {
    const address = clientAddress(event);
    if (!(await pairingAllowed(database, address))) {
      throw new HttpError(
        429,
        'too_many_attempts',
        [{ path: 'body.pairingCode', message: 'too many wrong pairing codes from this address; try again in 15 minutes' }],
        {
          'retry-after': '900',
        },
      );
    }
    try {
      const r = await pairRegister(database, { ...body, origin: browserOrigin(event.headers?.origin) });
      return json(200, {
        token: r.token,
        registerId: r.identity.registerId,
        registerCode: r.identity.registerCode,
        devices: r.identity.devices,
        lastReceiptNumbers: r.lastReceiptNumbers,
      });
    } catch (e) {
      if (e instanceof DomainError) {
        if (e.kind === 'unauthenticated') await recordPairingFailure(database, address);
        throw httpErrorOf(e, { path: 'body.pairingCode', error: 'pairing_failed' });
      }
      throw e;
    }
  },
);
