// Returns by receipt number. Online only (the edge holds every register's sales): a return is
// checked against the original sale and can never refund more than was sold.
import { DomainError, fieldPath } from '../core/errors';
import { mulDivRound } from '../core/rounding';
import type { Database } from '../db/client';
import { many, maybeOne, one, type Cols, type Queryable } from '../db/query';
import type { companies, items, returnLines, returns, saleLines, sales } from '../db/schema';
import type { ReturnTender } from '../db/statuses';

export interface ReturnableLine {
  saleLineId: string;
  name: string;
  quantityMilli: number;
  returnedMilli: number;
  unitPrecision: number;
  total: number;
}

export interface ReturnableSale {
  saleId: string;
  companyId: string;
  receiptNumber: string;
  total: number;
  occurredAt: string;
  lines: ReturnableLine[];
}

async function loadSale(q: Queryable, companyIds: string[], receiptNumber: string, lock: boolean): Promise<ReturnableSale> {
  const sale = await maybeOne<Cols<typeof sales, 'id' | 'company_id' | 'receipt_number' | 'total' | 'occurred_at' | 'status'>>(
    q,
    `SELECT id, company_id, receipt_number, total, occurred_at, status FROM sales
      WHERE receipt_number = $1 AND company_id = ANY($2::uuid[]) ${lock ? 'FOR UPDATE' : ''}`,
    [receiptNumber, companyIds],
  );
  if (!sale) throw new DomainError('not_found', 'receiptNumber', `no sale with receipt number ${receiptNumber}`);
  if (sale.status !== 'completed') throw new DomainError('conflict', 'receiptNumber', `sale ${receiptNumber} is ${sale.status}`);
  const lines = await many<Cols<typeof saleLines, 'id' | 'name' | 'quantity_milli' | 'total'> & Cols<typeof items, 'unit_precision'> & { returned: number }>(
    q,
    `SELECT l.id, l.name, l.quantity_milli, l.total, i.unit_precision,
            COALESCE((SELECT sum(rl.quantity_milli) FROM return_lines rl WHERE rl.sale_line_id = l.id), 0)::int AS returned
       FROM sale_lines l JOIN items i ON i.id = l.item_id WHERE l.sale_id = $1 ORDER BY l.line_no`,
    [sale.id],
  );
  return {
    saleId: sale.id,
    companyId: sale.company_id,
    receiptNumber: sale.receipt_number,
    total: sale.total,
    occurredAt: sale.occurred_at.toISOString(),
    lines: lines.map((l) => ({
      saleLineId: l.id,
      name: l.name,
      quantityMilli: l.quantity_milli,
      returnedMilli: l.returned,
      unitPrecision: l.unit_precision,
      total: l.total,
    })),
  };
}

export const findReturnableSale = (database: Database, companyIds: string[], receiptNumber: string) =>
  loadSale(database.pool, companyIds, receiptNumber, false);

export interface ReturnInput {
  returnId: string;
  receiptNumber: string;
  lines: { saleLineId: string; quantityMilli: number }[];
  reason: string;
  tender: ReturnTender;
  deviceId?: string;
  cashierId?: string;
}

export interface ReturnResult {
  returnId: string;
  returnNumber: string;
  total: number;
  lines: { saleLineId: string; quantityMilli: number; amount: number }[];
  duplicate: boolean;
}

/** Refunds part of a sale, pro rata of what each line cost; idempotent on `returnId`. */
export async function createReturn(database: Database, companyIds: string[], input: ReturnInput): Promise<ReturnResult> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    const existing = await maybeOne<Cols<typeof returns, 'id' | 'receipt_number' | 'total'>>(
      client,
      `SELECT id, receipt_number, total FROM returns WHERE id = $1`,
      [input.returnId],
    );
    if (existing) {
      const lines = await many<Cols<typeof returnLines, 'sale_line_id' | 'quantity_milli' | 'amount'>>(
        client,
        `SELECT sale_line_id, quantity_milli, amount FROM return_lines WHERE return_id = $1`,
        [input.returnId],
      );
      await client.query('COMMIT');
      return {
        returnId: input.returnId,
        returnNumber: existing.receipt_number,
        total: existing.total,
        lines: lines.map((l) => ({ saleLineId: l.sale_line_id, quantityMilli: l.quantity_milli, amount: l.amount })),
        duplicate: true,
      };
    }
    const sale = await loadSale(client, companyIds, input.receiptNumber, true);
    const out: ReturnResult['lines'] = [];
    for (const [i, want] of input.lines.entries()) {
      const line = sale.lines.find((l) => l.saleLineId === want.saleLineId);
      if (!line) throw new DomainError('invalid', fieldPath('lines', i, 'saleLineId'), 'line is not part of this sale');
      const left = line.quantityMilli - line.returnedMilli;
      if (want.quantityMilli > left) {
        throw new DomainError('conflict', fieldPath('lines', i, 'quantityMilli'), `only ${left / 1000} of ${line.name} can still be returned`);
      }
      // Cumulative pro rata: however the line is returned in parts, the parts add up to its total.
      const upTo = (q: number) => mulDivRound(line.total, q, line.quantityMilli, 'HalfUp');
      const amount = upTo(line.returnedMilli + want.quantityMilli) - upTo(line.returnedMilli);
      out.push({ saleLineId: line.saleLineId, quantityMilli: want.quantityMilli, amount });
    }
    const total = out.reduce((s, l) => s + l.amount, 0);
    const { code: company } = await one<Cols<typeof companies, 'code'>>(client, `SELECT code FROM companies WHERE id = $1`, [sale.companyId]);
    // Return numbers are the edge's, per company and gap-free: RET-U-000001.
    await client.query(`SELECT pg_advisory_xact_lock(74110002, hashtext($1))`, [sale.companyId]);
    const { n: seq } = await one<{ n: number }>(client, `SELECT count(*)::int + 1 AS n FROM returns WHERE company_id = $1`, [sale.companyId]);
    const returnNumber = `RET-${company}-${String(seq).padStart(6, '0')}`;
    await client.query(
      `INSERT INTO returns (id, company_id, original_sale_id, device_id, cashier_id, receipt_number, reason, total, tender)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [input.returnId, sale.companyId, sale.saleId, input.deviceId ?? null, input.cashierId ?? null, returnNumber, input.reason, total, input.tender],
    );
    for (const l of out) {
      await client.query(`INSERT INTO return_lines (return_id, company_id, sale_line_id, quantity_milli, amount) VALUES ($1,$2,$3,$4,$5)`, [
        input.returnId,
        sale.companyId,
        l.saleLineId,
        l.quantityMilli,
        l.amount,
      ]);
      await client.query(
        `INSERT INTO stock_movements (company_id, warehouse_id, item_id, quantity_milli, reason, return_id)
         SELECT sl.item_company_id, (SELECT w.id FROM warehouses w WHERE w.company_id = sl.item_company_id ORDER BY w.is_default DESC, w.code LIMIT 1),
                sl.item_id, $2, 'return', $3 FROM sale_lines sl WHERE sl.id = $1`,
        [l.saleLineId, l.quantityMilli, input.returnId],
      );
    }
    await client.query(
      `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('device', $1, 'return.created', 'return', $2, $3)`,
      [input.deviceId ?? 'unknown', input.returnId, JSON.stringify({ returnNumber, receiptNumber: input.receiptNumber, total })],
    );
    await client.query('COMMIT');
    return { returnId: input.returnId, returnNumber, total, lines: out, duplicate: false };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
