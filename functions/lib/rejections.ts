// What happens to a rejected request. A paired device's bad input is kept for an operator
// (System → Outbox), at most REJECTED_PER_REGISTER rows per register per 10 minutes; anything
// else (anonymous, unauthenticated, admin API reads, the device's excess) is only counted, so no
// caller can fill the database by sending garbage.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { serverConfig } from '../../config/server-config';
import type { Database } from '../../db/client';
import type { Principal } from './auth';
import type { HttpError } from './errors';
import { logger } from './logger';
import { rejectedAnonymous, rejectedDeviceDropped } from './metrics';

const WINDOW = '10 minutes';
const perRegister = () => serverConfig().REJECTED_PER_REGISTER;

/** Inserts only while the register is under its quota; true when kept. */
async function keepCapped(database: Database, name: string, registerId: string, event: APIGatewayProxyEventV2, err: HttpError) {
  const body = typeof event.body === 'string' ? event.body.slice(0, 16_384) : null;
  const payload = { method: event.requestContext?.http?.method, path: event.rawPath, query: event.queryStringParameters ?? {}, body };
  const reason = `${err.error}: ${err.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`.slice(0, 2000);
  // NUL cannot be stored in jsonb/text on PostgreSQL; the reason already names the field.
  const json = JSON.stringify(payload).replace(/\\u0000/g, '\\ufffd');
  const r = await database.pool.query(
    `INSERT INTO rejected_events (source, type, register_id, payload, reason, field)
     SELECT 'api', $1, $2, $3::jsonb, $4, $5
      WHERE (SELECT count(*) FROM rejected_events
              WHERE source = 'api' AND register_id = $2 AND created_at > now() - $6::interval) < $7`,
    [name, registerId, json, reason, err.issues[0]?.path ?? null, WINDOW, perRegister()],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function recordRejection(
  database: Database | undefined,
  name: string,
  principal: Principal | undefined,
  event: APIGatewayProxyEventV2,
  err: HttpError,
): Promise<void> {
  if (principal?.kind !== 'device') {
    rejectedAnonymous.inc({ function: name, reason: err.error });
    return;
  }
  if (!database || (err.status !== 400 && err.status !== 413)) return;
  try {
    if (!(await keepCapped(database, name, principal.device.registerId, event, err))) rejectedDeviceDropped.inc({ function: name });
  } catch (e) {
    logger.error('could not keep rejected input', { err: e as Error });
  }
}
