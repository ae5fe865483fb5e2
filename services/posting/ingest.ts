// Register events (pushed at POST /sync/push, retried from the Outbox): each is applied at most once, keyed by its client event id.
// Accepted: the event's rows are written in one transaction with the ledger entry.
// Rejected: the event, the reason and the device go to the outbox (rejected_events) and the ledger,
// so a replay returns the same answer. A bad event never takes the good ones down.
import { UUID_RE } from '../../core/ids';
import type { Database } from '../../db/client';
import { maybeOne, type Queryable } from '../../db/query';
import type { DeviceIdentity } from '../device-auth';
import { EventRejection, type EventApplier } from './event-applier';
import { parseLedgerResult, type EventResult } from './event-result';
import { deviceFor, reject, rejectForeignId } from './record-rejection';

function peek(raw: unknown): { eventId: string | null; type: string | null } {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    eventId: typeof o.eventId === 'string' && UUID_RE.test(o.eventId) ? o.eventId.toLowerCase() : null,
    type: typeof o.type === 'string' ? o.type.slice(0, 64) : null,
  };
}

export async function ingestEvents(
  database: Database,
  device: DeviceIdentity,
  rawEvents: unknown[],
  appliers: Record<string, EventApplier<unknown>>,
): Promise<EventResult[]> {
  const results: EventResult[] = [];
  for (let index = 0; index < rawEvents.length; index++) {
    results.push(await ingestOne(database, device, rawEvents[index], index, appliers));
  }
  return results;
}

async function ingestOne(
  database: Database,
  device: DeviceIdentity,
  raw: unknown,
  index: number,
  appliers: Record<string, EventApplier<unknown>>,
): Promise<EventResult> {
  const { eventId, type } = peek(raw);
  const base = { index, eventId, type };
  if (!eventId) return reject(database, device, raw, base, 'eventId must be a uuid', 'eventId');

  const applier = type ? appliers[type] : undefined;
  const parsed = applier?.parse(raw);
  const companyId = parsed?.ok ? applier!.companyId(parsed.event) : undefined;
  if (!applier || !parsed?.ok || !device.companyIds.includes(companyId!)) {
    // The ledger answers replays of this register's own events only: an id another register used is
    // not "already accepted" here (and not applied either: sales.event_id is unique store-wide).
    const replay = await ledgerEntry(database.pool, eventId);
    if (replay) return replay.registerId === device.registerId ? { ...replay.result, index, duplicate: true } : rejectForeignId(database, device, raw, base);
    if (!applier) return reject(database, device, raw, base, `unknown event type ${JSON.stringify(type)}`, 'type');
    if (!parsed!.ok) return reject(database, device, raw, base, parsed!.reason, parsed!.field);
    return reject(database, device, raw, base, 'this register has no active device in the event company', 'companyId');
  }
  // A well-formed event needs no lookup first: claiming its ledger row below finds a replay.

  // Hold one connection at a time: recording a rejection happens after this one is released.
  let failure: { reason: string; field: string } | undefined;
  const client = await database.pool.connect();
  let foreign = false;
  try {
    // A replay, or two pushes of the same event racing: the ledger's primary key lets one win.
    // BEGIN and the claim go in one round trip (a simple query cannot take parameters; every value
    // is a checked uuid or a known event type, and escaped all the same).
    const lit = (v: string) => client.escapeLiteral(v);
    const claim = (await client.query(
      `BEGIN; INSERT INTO register_events (event_id, device_id, type, status, result)
       VALUES (${lit(eventId)}::uuid, ${lit(deviceFor(device, companyId))}::uuid, ${lit(type!)}, 'accepted', '{}') ON CONFLICT (event_id) DO NOTHING`,
    )) as unknown as { rowCount: number | null }[];
    if (!claim[1]!.rowCount) {
      await client.query('ROLLBACK');
      const again = (await ledgerEntry(client, eventId))!;
      if (again.registerId === device.registerId) return { ...again.result, index, duplicate: true };
      foreign = true;
    } else {
      const detail = (await applier.apply({ client, device }, parsed.event)) ?? undefined;
      const result: EventResult = { ...base, status: 'accepted', ...(detail ? { detail } : {}) };
      await client.query(`UPDATE register_events SET result = ${lit(JSON.stringify(result))}::jsonb WHERE event_id = ${lit(eventId)}::uuid; COMMIT`);
      return result;
    }
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    const pgErr = e as { code?: string; detail?: string; message: string };
    if (e instanceof EventRejection) failure = { reason: e.reason, field: e.field };
    // A constraint the applier did not foresee is still a reason a person can read.
    else if (pgErr.code && /^(23|22)/.test(pgErr.code)) failure = { reason: `${pgErr.message}${pgErr.detail ? ` (${pgErr.detail})` : ''}`, field: 'event' };
    else throw e;
  } finally {
    client.release();
  }
  if (foreign || !failure) return rejectForeignId(database, device, raw, base);
  return reject(database, device, raw, base, failure.reason, failure.field, companyId);
}

/** The ledger row of an event id, with the register whose device sent it. */
async function ledgerEntry(q: Queryable, eventId: string): Promise<{ result: EventResult; registerId: string | null } | undefined> {
  // register_id is null when the device row is gone (LEFT JOIN).
  const r = await maybeOne<{ result: unknown; register_id: string | null }>(
    q,
    `SELECT e.result, d.register_id FROM register_events e LEFT JOIN devices d ON d.id = e.device_id WHERE e.event_id = $1`,
    [eventId],
  );
  return r ? { result: parseLedgerResult(eventId, r.result), registerId: r.register_id } : undefined;
}
