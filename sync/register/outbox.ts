// The register's queue of events for the edge. A sale and its event are written in one local
// transaction, so a sale is never shown as done without being queued (and never queued twice).
import type { PGliteInterface, Transaction } from '@electric-sql/pglite';

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

/** Records a completed sale locally, advances the receipt counter and queues its event, atomically. */
export async function recordSale(
  pg: PGliteInterface,
  input: { saleId: string; companyId: string; deviceId: string; receiptNumber: string; total: number; sale: unknown; event: OutboxEvent },
): Promise<void> {
  await pg.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO local_sales (id, event_id, company_id, receipt_number, total, sale) VALUES ($1, $2, $3, $4, $5, $6)`,
      [input.saleId, input.event.eventId, input.companyId, input.receiptNumber, input.total, JSON.stringify(input.sale)],
    );
    await tx.query(
      `INSERT INTO receipt_counters (device_id, last_number) VALUES ($1, $2)
       ON CONFLICT (device_id) DO UPDATE SET last_number = EXCLUDED.last_number`,
      [input.deviceId, input.receiptNumber],
    );
    await enqueueEvent(tx, input.event);
  });
}

export async function queueDepth(pg: PGliteInterface): Promise<number> {
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

export async function localRejections(pg: PGliteInterface): Promise<LocalRejection[]> {
  const r = await pg.query<{ event_id: string; type: string; reason: string; field: string | null; settled_at: Date }>(
    `SELECT event_id, type, reason, field, settled_at FROM outbox WHERE status = 'rejected' ORDER BY seq DESC LIMIT 200`,
  );
  return r.rows.map((x) => ({ eventId: x.event_id, type: x.type, reason: x.reason, field: x.field, settledAt: new Date(x.settled_at).toISOString() }));
}
