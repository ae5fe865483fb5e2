// The register's queue of events for the edge. A sale and its event are written in one local
// transaction, so a sale is never shown as done without being queued (and never queued twice).
import type { Transaction } from '@electric-sql/pglite';
import type { Queryable } from './db-protocol';

export interface OutboxEvent {
  eventId: string;
  type: string;
  [k: string]: unknown;
}

type Tx = Pick<Transaction, 'query'>;

export async function enqueueEvent(tx: Tx, event: OutboxEvent): Promise<void> {
  await tx.query(`INSERT INTO outbox (event_id, type, payload) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING`, [
    event.eventId,
    event.type,
    JSON.stringify(event),
  ]);
}

export async function queueDepth(pg: Queryable): Promise<number> {
  const r = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
  return r.rows[0]?.n ?? 0;
}

export interface LocalRejection {
  eventId: string;
  type: string;
  reason: string;
  field: string | null;
  settledAt: string;
}

export async function localRejections(pg: Queryable): Promise<LocalRejection[]> {
  const r = await pg.query<{ event_id: string; type: string; reason: string; field: string | null; settled_at: Date }>(
    `SELECT event_id, type, reason, field, settled_at FROM outbox WHERE status = 'rejected' ORDER BY seq DESC LIMIT 200`,
  );
  return r.rows.map((x) => ({ eventId: x.event_id, type: x.type, reason: x.reason, field: x.field, settledAt: new Date(x.settled_at).toISOString() }));
}
