// POST /sync/push: each register event is applied at most once, keyed by its client event id.
// Accepted: the event's rows are written in one transaction with the ledger entry.
// Rejected: the event, the reason and the device go to the outbox (rejected_events) and the ledger,
// so a replay returns the same answer. A bad event never takes the good ones down.
import type { PoolClient } from 'pg';
import type { Database } from '../../db/client';
import type { DeviceIdentity } from '../device-auth';
import { redactPayload } from './redact';

export interface EventResult {
  index: number;
  eventId: string | null;
  type: string | null;
  status: 'accepted' | 'rejected';
  duplicate?: boolean;
  reason?: string;
  field?: string;
  detail?: Record<string, unknown>;
}

/** Thrown by an applier: the event is rejected with this reason (not retried by the register). */
export class EventRejection extends Error {
  constructor(
    readonly reason: string,
    readonly field: string,
  ) {
    super(reason);
  }
}

export interface ApplyContext {
  client: PoolClient;
  device: DeviceIdentity;
}

export interface EventApplier<E> {
  /** Validates the raw event; returns the typed event or a rejection naming the field. */
  parse(raw: unknown): { ok: true; event: E } | { ok: false; reason: string; field: string };
  /** The company the event belongs to (must be one of the register's devices). */
  companyId(event: E): string;
  apply(ctx: ApplyContext, event: E): Promise<Record<string, unknown> | void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function peek(raw: unknown): { eventId: string | null; type: string | null } {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    eventId: typeof o.eventId === 'string' && UUID.test(o.eventId) ? o.eventId.toLowerCase() : null,
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
async function ledgerEntry(q: Pick<PoolClient, 'query'>, eventId: string): Promise<{ result: EventResult; registerId: string | null } | undefined> {
  const r = await q.query(
    `SELECT e.result, d.register_id FROM register_events e LEFT JOIN devices d ON d.id = e.device_id WHERE e.event_id = $1`,
    [eventId],
  );
  return r.rowCount ? { result: r.rows[0].result, registerId: r.rows[0].register_id } : undefined;
}

/**
 * An event id already in the ledger for another register. It goes to the outbox without its id
 * (that id's outbox row and ledger entry belong to the other register), once per register and id.
 */
async function rejectForeignId(
  database: Database,
  device: DeviceIdentity,
  raw: unknown,
  base: { index: number; eventId: string | null; type: string | null },
): Promise<EventResult> {
  const reason = `event id ${base.eventId} was already used by another register's event; this event was not applied`;
  const result: EventResult = { ...base, status: 'rejected', reason, field: 'eventId' };
  await database.pool.query(
    `INSERT INTO rejected_events (source, device_id, register_id, type, payload, reason, field)
     SELECT 'push', $1, $2, $3, $4, $5, 'eventId'
      WHERE NOT EXISTS (SELECT 1 FROM rejected_events WHERE event_id IS NULL AND source = 'push' AND register_id = $2
                          AND status = 'pending' AND lower(payload->>'eventId') = $6)`,
    [deviceFor(device, undefined), device.registerId, base.type ?? 'unknown', JSON.stringify(redactPayload(raw ?? null)), reason, base.eventId],
  );
  return result;
}

function deviceFor(device: DeviceIdentity, companyId: string | undefined): string {
  return (device.devices.find((d) => d.companyId === companyId) ?? device.devices[0]!).id;
}

async function reject(
  database: Database,
  device: DeviceIdentity,
  raw: unknown,
  base: { index: number; eventId: string | null; type: string | null },
  reason: string,
  field: string,
  companyId?: string,
): Promise<EventResult> {
  const result: EventResult = { ...base, status: 'rejected', reason, field };
  const deviceId = deviceFor(device, companyId);
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
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
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  return result;
}
