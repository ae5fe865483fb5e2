// The operator's view of rejected input (System → Outbox).
import type { Database } from '../db/client';

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

export async function listRejected(database: Database, opts: { status: 'pending' | 'all'; limit?: number }): Promise<RejectedView[]> {
  const r = await database.pool.query(
    `SELECT e.id, e.event_id, e.source, e.type, d.code AS device_code, e.payload, e.reason, e.field, e.status, e.created_at, e.resolved_by, e.note
       FROM rejected_events e LEFT JOIN devices d ON d.id = e.device_id
      WHERE ($1 = 'all' OR e.status = 'pending') ORDER BY e.created_at DESC LIMIT $2`,
    [opts.status, opts.limit ?? 200],
  );
  return r.rows.map((x) => ({
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
  }));
}

export async function dismissRejected(database: Database, id: string, opts: { by: string; note: string }): Promise<boolean> {
  const r = await database.pool.query(
    `UPDATE rejected_events SET status = 'dismissed', resolved_at = now(), resolved_by = $2, note = $3 WHERE id = $1 AND status = 'pending'`,
    [id, opts.by, opts.note],
  );
  await database.pool.query(
    `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('admin', $1, 'outbox.dismissed', 'rejected_event', $2, $3)`,
    [opts.by, id, JSON.stringify({ note: opts.note })],
  );
  return (r.rowCount ?? 0) > 0;
}
