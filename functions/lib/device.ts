import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Database } from '../../db/client';
import { authenticateDevice, DeviceAuthError, type DeviceIdentity } from '../../services/device-auth';
import { HttpError } from './errors';

/** The calling register, from its bearer token; 401/403 as JSON otherwise. */
export async function requireDevice(
  database: Database,
  event: APIGatewayProxyEventV2,
  opts: { appVersion?: string; queueDepth?: number } = {},
): Promise<DeviceIdentity> {
  try {
    return await authenticateDevice(database, event.headers?.authorization ?? event.headers?.Authorization, opts);
  } catch (e) {
    if (e instanceof DeviceAuthError) {
      throw new HttpError(e.status, e.status === 401 ? 'unauthorized' : 'forbidden', [{ path: 'authorization', message: e.message }], {
        'www-authenticate': 'Bearer realm="till"',
      });
    }
    throw e;
  }
}
