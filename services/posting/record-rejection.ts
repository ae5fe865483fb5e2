// A rejected pushed event is recorded twice: in the outbox (rejected_events, for a person to
// dismiss or retry) and in the ledger (register_events, so a replay gets the same answer).
import type { Database } from '../../db/client';
import { execute } from '../../db/query';
import { withTransaction } from '../../db/transaction';
import type { DeviceIdentity } from '../device-auth';
import type { EventResult } from './event-result';
import { redactPayload } from './redact';

type Base = { index: number; eventId: string | null; type: string | null };

/**
 * An event id already in the ledger for another register. It goes to the outbox without its id
 * (that id's outbox row and ledger entry belong to the other register), once per register and id.
 */
export async function rejectForeignId(database: Database, device: DeviceIdentity, raw: unknown, base: Base): Promise<EventResult> {
  const reason = `event id ${base.eventId} was already used by another register's event; this event was not applied`;
  const result: EventResult = { ...base, status: 'rejected', reason, field: 'eventId' };
  await execute(
    database.pool,
    `INSERT INTO rejected_events (source, device_id, register_id, type, payload, reason, field)
     SELECT 'push', $1, $2, $3, $4, $5, 'eventId'
      WHERE NOT EXISTS (SELECT 1 FROM rejected_events WHERE event_id IS NULL AND source = 'push' AND register_id = $2
                          AND status = 'pending' AND lower(payload->>'eventId') = $6)`,
    [deviceFor(device, undefined), device.registerId, base.type ?? 'unknown', JSON.stringify(redactPayload(raw ?? null)), reason, base.eventId],
  );
  return result;
}

export function deviceFor(device: DeviceIdentity, companyId: string | undefined): string {
  return (device.devices.find((d) => d.companyId === companyId) ?? device.devices[0]!).id;
}

export async function reject(
  database: Database,
  device: DeviceIdentity,
  raw: unknown,
  base: Base,
  reason: string,
  field: string,
  companyId?: string,
): Promise<EventResult> {
  const result: EventResult = { ...base, status: 'rejected', reason, field };
  const deviceId = deviceFor(device, companyId);
  await withTransaction(database, async (client) => {
    await client.query(
      `INSERT INTO rejected_events (event_id, source, device_id, register_id, company_id, type, payload, reason, field)
       VALUES ($1, 'push', $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (event_id) DO UPDATE SET reason = EXCLUDED.reason, field = EXCLUDED.field, status = 'pending'`,
      [base.eventId, deviceId, device.registerId, companyId ?? null, base.type ?? 'unknown', JSON.stringify(redactPayload(raw ?? null)), reason, field],
    );
    // Without an event id there is nothing to key a replay on; the outbox row is the record.
    if (base.eventId) {
      await client.query(
        `INSERT INTO register_events (event_id, device_id, type, status, result) VALUES ($1, $2, $3, 'rejected', $4)
         ON CONFLICT (event_id) DO UPDATE SET status = 'rejected', result = EXCLUDED.result`,
        [base.eventId, deviceId, base.type ?? 'unknown', JSON.stringify(result)],
      );
    }
  });
  return result;
}
