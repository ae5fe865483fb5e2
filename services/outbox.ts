// The operator's view of rejected input (System → Outbox).
import { UUID_RE } from '../core/ids';
import type { Database } from '../db/client';
import { execute, many, maybeOne, one, type Cols } from '../db/query';
import type { rejectedEvents } from '../db/schema';
import { withTransaction } from '../db/transaction';
import { writeAudit } from './admin-common';
import { decodeCursor, encodeCursor } from './pagination';
import { appliers } from './posting/appliers';
import { ingestEvents } from './posting/ingest';
import { loadDeviceIdentity } from './device-auth';

export interface RejectedView {
  id: string;
  eventId: string | null;
  source: string;
  type: string;
  deviceCode: string | null;
  payload: unknown;
  reason: string;
  field: string | null;
  status: string;
  createdAt: string;
  resolvedBy: string | null;
  note: string | null;
}

/** A row of `rejectedListQuery`: the entry, its device's code and the keyset cursor's key. */
type RejectedListRow = Cols<
  typeof rejectedEvents,
  'id' | 'event_id' | 'source' | 'type' | 'payload' | 'reason' | 'field' | 'status' | 'created_at' | 'resolved_by' | 'note'
> & { device_code: string | null; page_key: string };

/**
 * System → Outbox, newest first, keyset on (created_at, id): served by rejected_events_status
 * (pending) and rejected_events_created (all). The cursor keeps created_at's microseconds.
 */
export function rejectedListQuery(opts: { status: 'pending' | 'all'; limit?: number; cursor?: string }): { text: string; values: unknown[] } {
  const cursor = decodeCursor(opts.cursor);
  const values: unknown[] = [(opts.limit ?? 50) + 1];
  const where: string[] = [];
  if (opts.status === 'pending') where.push(`e.status = 'pending'`);
  if (cursor) {
    values.push(cursor.k, cursor.id);
    where.push(`(e.created_at, e.id) < ($2::timestamptz, $3::uuid)`);
  }
  return {
    text: `SELECT e.id, e.event_id, e.source, e.type, d.code AS device_code, e.payload, e.reason, e.field, e.status, e.created_at, e.resolved_by, e.note,
                  to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS page_key
             FROM rejected_events e LEFT JOIN devices d ON d.id = e.device_id
            ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
            ORDER BY e.created_at DESC, e.id DESC LIMIT $1`,
    values,
  };
}

/** One page of the Outbox; `nextCursor` leads to older entries. A malformed cursor throws. */
export async function listRejectedPage(
  database: Database,
  opts: { status: 'pending' | 'all'; limit?: number; cursor?: string },
): Promise<{ rows: RejectedView[]; nextCursor: string | null }> {
  const limit = opts.limit ?? 50;
  const { text, values } = rejectedListQuery({ ...opts, limit });
  const rows = await many<RejectedListRow>(database.pool, text, values);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { rows: page.map(rejectedView), nextCursor: more && last ? encodeCursor({ k: last.page_key, id: last.id }) : null };
}

/** How many rejections wait for a person (the badge on the admin's Outbox link). */
export async function countPendingRejections(database: Database): Promise<number> {
  return (await one<{ n: number }>(database.pool, `SELECT count(*)::int AS n FROM rejected_events WHERE status = 'pending'`)).n;
}

export async function listRejected(database: Database, opts: { status: 'pending' | 'all'; limit?: number }): Promise<RejectedView[]> {
  return (await listRejectedPage(database, { status: opts.status, limit: opts.limit ?? 200 })).rows;
}

function rejectedView(x: RejectedListRow): RejectedView {
  return {
    id: x.id,
    eventId: x.event_id,
    source: x.source,
    type: x.type,
    deviceCode: x.device_code,
    payload: x.payload,
    reason: x.reason,
    field: x.field,
    status: x.status,
    createdAt: new Date(x.created_at).toISOString(),
    resolvedBy: x.resolved_by,
    note: x.note,
  };
}

/** Marks a pending entry dismissed, audited in the same transaction; false (and no audit) when it was not pending. */
export async function dismissRejected(database: Database, id: string, opts: { by: string; note: string }): Promise<boolean> {
  return withTransaction(database, async (client) => {
    const dismissed = await execute(
      client,
      `UPDATE rejected_events SET status = 'dismissed', resolved_at = now(), resolved_by = $2, note = $3 WHERE id = $1 AND status = 'pending'`,
      [id, opts.by, opts.note],
    );
    if (!dismissed) return false;
    await writeAudit(client, {
      actor: opts.by,
      action: 'outbox.dismissed',
      entity: 'rejected_event',
      entityId: id,
      before: { status: 'pending' },
      after: { status: 'dismissed', note: opts.note },
    });
    return true;
  });
}

export type RetryOutcome =
  | { ok: true; status: 'retried'; duplicate: boolean }
  | { ok: false; status: 'pending'; reason: string; field: string | null }
  | { ok: false; status: 'not-retryable'; reason: string };

/**
 * Runs a pending pushed event through the same idempotent apply again (after the cause was fixed,
 * e.g. the missing item was imported). Accepted: the row is marked retried. Rejected again: it stays
 * pending with the new reason. Both outcomes are audited.
 */
export async function retryRejected(database: Database, id: string, opts: { by: string; note?: string }): Promise<RetryOutcome> {
  const row = await maybeOne<Cols<typeof rejectedEvents, 'id' | 'event_id' | 'source' | 'register_id' | 'payload' | 'status'>>(
    database.pool,
    `SELECT id, event_id, source, register_id, payload, status FROM rejected_events WHERE id = $1`,
    [id],
  );
  if (!row) return { ok: false, status: 'not-retryable', reason: 'no such outbox entry' };
  if (row.status !== 'pending') return { ok: false, status: 'not-retryable', reason: `already ${row.status}` };
  if (row.source !== 'push') return { ok: false, status: 'not-retryable', reason: 'only events pushed by a register can be retried; dismiss this one' };
  // The event is replayed as the register that sent it (register_id, recorded at push), never as
  // the register its payload names: a payload naming another register is rejected again for that.
  // Older stored payloads may have a redacted registerId (a uuid with 13+ digits in a row read as a
  // card number); the event id and the sender are kept in their own columns, so both come from there.
  const payload = { ...((row.payload ?? {}) as Record<string, unknown>) };
  if (row.event_id) payload.eventId = row.event_id;
  if (row.register_id && !(typeof payload.registerId === 'string' && UUID_RE.test(payload.registerId))) payload.registerId = row.register_id;
  const identity = row.register_id ? await loadDeviceIdentity(database, { registerId: row.register_id, tokenId: 'outbox-retry' }) : undefined;

  let outcome: RetryOutcome;
  if (!row.event_id) {
    outcome = {
      ok: false,
      status: 'pending',
      reason: 'the event has no event id of its own (missing, not a uuid, or used by another register), so it cannot be applied exactly once',
      field: 'eventId',
    };
    await execute(database.pool, `UPDATE rejected_events SET reason = $2, field = $3 WHERE id = $1`, [id, outcome.reason, outcome.field]);
  } else if (!identity) {
    outcome = { ok: false, status: 'pending', reason: 'the register that sent the event is not recorded or no longer exists', field: 'registerId' };
    await execute(database.pool, `UPDATE rejected_events SET reason = $2, field = $3 WHERE id = $1`, [id, outcome.reason, outcome.field]);
  } else {
    // The ledger remembers the rejection so a replay gets the same answer; forget it so the apply can run again.
    await execute(
      database.pool,
      `DELETE FROM register_events WHERE event_id = $1 AND status = 'rejected' AND device_id IN (SELECT id FROM devices WHERE register_id = $2)`,
      [row.event_id, row.register_id],
    );
    const [result] = await ingestEvents(database, identity, [payload], appliers);
    if (result?.status === 'accepted') {
      outcome = { ok: true, status: 'retried', duplicate: result.duplicate ?? false };
      await execute(database.pool, `UPDATE rejected_events SET status = 'retried', resolved_at = now(), resolved_by = $2, note = $3 WHERE id = $1`, [
        id,
        opts.by,
        opts.note ?? null,
      ]);
    } else {
      // Ingest already put the new reason on this row (keyed by the event id) and kept it pending.
      outcome = { ok: false, status: 'pending', reason: result?.reason ?? 'rejected', field: result?.field ?? null };
    }
  }
  await writeAudit(database.pool, {
    actor: opts.by,
    action: 'outbox.retried',
    entity: 'rejected_event',
    entityId: id,
    after: { outcome: outcome.status, ...(outcome.ok ? {} : { reason: outcome.reason }), note: opts.note ?? null, eventId: row.event_id },
  });
  return outcome;
}
