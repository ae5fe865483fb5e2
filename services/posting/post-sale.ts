// Sale posting: what a completed sale from a register does to the edge's books (ADR 202 judging,
// ADR 203 cost per sale). Runs inside the ledger's transaction, so a sale is booked wholly or not at all.
import { verifySale } from '../../core/events';
import type { SaleCompletedEvent } from '../../core/events';
import { fieldPath } from '../../core/errors';
import { parseReceiptNumber, registerCodeForEpoch } from '../../core/receipt-number';
import { execute, maybeOne, type Cols } from '../../db/query';
import type { customerCredit } from '../../db/schema';
import type { PairedDevice } from '../device-auth';
import { EventRejection, type ApplyContext } from './event-applier';
import { judgeSale, loadSaleFacts } from './judge-sale';

/** The device's current code or one of its earlier epochs (sales queued before a re-pair still count). */
function inDeviceSeries(code: string, device: PairedDevice, registerBase: string): boolean {
  if (code === device.code || code === registerBase) return true;
  for (let epoch = 2; epoch <= 200; epoch++) {
    const c = registerCodeForEpoch(registerBase, epoch);
    if (c === code) return true;
    if (c === device.code) return false;
  }
  return false;
}

/**
 * Books a `sale.completed` event: refuses it if its totals, receipt series, items, shift or credit
 * do not hold, then writes the sale, its lines, stock, payments and any adjustment in one statement.
 */
export async function postSale(ctx: ApplyContext, e: SaleCompletedEvent, device: PairedDevice) {
  const { client } = ctx;
  const verified = verifySale(e);
  if (!verified.ok) throw new EventRejection(`totals do not match: ${verified.reason}`, verified.field);
  const receipt = parseReceiptNumber(e.receiptNumber)!;
  if (receipt.companyCode !== device.companyCode || !inDeviceSeries(receipt.registerCode, device, ctx.device.registerCode)) {
    throw new EventRejection(`receipt number ${e.receiptNumber} is not in this device's series ${device.companyCode}-${device.code}`, 'receiptNumber');
  }
  const { sale } = e;
  // One round trip for every refusal below and for the judging after them.
  const facts = await loadSaleFacts(client, e);
  if (facts.receiptUsed) throw new EventRejection(`receipt number ${e.receiptNumber} was already used by another sale`, 'receiptNumber');
  if (facts.saleExists) throw new EventRejection('a sale with this id already exists', 'sale.saleId');

  // Every line's item must exist in the company the register says it belongs to.
  for (const [i, line] of sale.lines.entries()) {
    const owner = facts.items.get(line.itemId)?.companyId;
    if (!owner) throw new EventRejection(`item ${line.itemId} is not in the catalog`, fieldPath('sale', 'lines', i, 'itemId'));
    if (owner !== line.companyId) throw new EventRejection(`item ${line.itemId} belongs to another company`, fieldPath('sale', 'lines', i, 'companyId'));
  }
  if (e.shiftId && facts.shift?.deviceId !== device.id) throw new EventRejection('shift is not open on this device', 'shiftId');

  // Credit needs the edge's word: limit and balance are checked here, under a row lock.
  for (const [i, t] of sale.tenders.entries()) {
    if (t.kind !== 'credit') continue;
    const c = await maybeOne<Cols<typeof customerCredit, 'credit_limit' | 'balance'>>(
      client,
      `SELECT credit_limit, balance FROM customer_credit WHERE customer_id = $1 AND company_id = $2 FOR UPDATE`,
      [t.customerId, e.companyId],
    );
    if (!c) throw new EventRejection('customer has no credit account in this company', fieldPath('sale', 'tenders', i, 'customerId'));
    const { credit_limit: limit, balance } = c;
    if (balance + t.amount > limit) {
      throw new EventRejection(`credit limit exceeded: balance ${balance} + ${t.amount} > limit ${limit}`, fieldPath('sale', 'tenders', i, 'amount'));
    }
    await execute(client, `UPDATE customer_credit SET balance = balance + $3, updated_at = now() WHERE customer_id = $1 AND company_id = $2`, [
      t.customerId,
      e.companyId,
      t.amount,
    ]);
  }

  // Judged once every refusal above has passed: the sale is booked, its deviations are filed with it.
  const computed = verified.lines;
  const findings = await judgeSale(client, e, facts, computed);
  const flagged = sale.lines.some((l) => l.crossCompany) || findings.length > 0;
  const cross = sale.lines
    .filter((l) => l.crossCompany)
    .map((l) => ({ lineId: l.lineId, itemId: l.itemId, itemCompanyId: l.companyId, reason: l.crossCompanyReason }));
  const lines = sale.lines;
  const col = <T>(f: (l: (typeof lines)[number], i: number) => T) => lines.map(f);
  const tenders = sale.tenders;

  // The sale and all its rows in one statement: lines, stock and payments set-based from arrays.
  // Stock leaves the warehouse of the company that owns the item. An unknown cashier cannot be
  // referenced; the finding keeps the id the register sent.
  await execute(
    client,
    `WITH s AS (
       INSERT INTO sales (id, company_id, store_id, register_id, device_id, cashier_id, shift_id, customer_id, event_id, receipt_number,
                          subtotal, discount_total, net_total, tax_total, total, change_due, tax_summary, flagged_for_adjustment, occurred_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) RETURNING id),
     l AS (
       INSERT INTO sale_lines (id, sale_id, company_id, line_no, item_id, item_company_id, cross_company, cross_company_reason, name,
                               quantity_milli, unit_price, line_discount, invoice_discount_share, net, tax, total, tax_rate_id, rate_bp)
       SELECT u.id, s.id, $2, u.no, u.item, u.item_company, u.xc, u.xc_reason, u.name, u.qty, u.price, u.discount, u.share, u.net, u.tax, u.total,
              u.rate_id, u.bp
         FROM s, unnest($20::uuid[], $21::int[], $22::uuid[], $23::uuid[], $24::bool[], $25::text[], $26::text[], $27::int[], $28::int[], $29::int[],
                        $30::int[], $31::int[], $32::int[], $33::int[], $34::uuid[], $35::int[])
              AS u(id, no, item, item_company, xc, xc_reason, name, qty, price, discount, share, net, tax, total, rate_id, bp)),
     m AS (
       INSERT INTO stock_movements (company_id, warehouse_id, item_id, quantity_milli, reason, sale_id)
       SELECT u.item_company, (SELECT w.id FROM warehouses w WHERE w.company_id = u.item_company ORDER BY w.is_default DESC, w.code LIMIT 1),
              u.item, -u.qty, 'sale', s.id
         FROM s, unnest($22::uuid[], $23::uuid[], $27::int[]) AS u(item, item_company, qty)),
     p AS (
       INSERT INTO payments (sale_id, company_id, kind, amount, given, reference, customer_id)
       SELECT s.id, $2, u.kind, u.amount, u.given, u.reference, u.customer
         FROM s, unnest($36::text[], $37::int[], $38::int[], $39::text[], $40::uuid[]) AS u(kind, amount, given, reference, customer))
     INSERT INTO adjustment_queue (company_id, sale_id, reasons) SELECT $2, s.id, $41::jsonb FROM s WHERE $18`,
    [
      sale.saleId,
      e.companyId,
      facts.storeId,
      e.registerId,
      device.id,
      facts.cashier ? e.cashierId : null,
      e.shiftId ?? null,
      sale.customerId ?? null,
      e.eventId,
      e.receiptNumber,
      sale.totals.subtotal,
      sale.totals.discountTotal,
      sale.totals.net,
      sale.totals.tax,
      sale.totals.total,
      sale.changeDue,
      JSON.stringify(sale.taxSummary),
      flagged,
      e.occurredAt,
      col((l) => l.lineId),
      col((_, i) => i + 1),
      col((l) => l.itemId),
      col((l) => l.companyId),
      col((l) => l.crossCompany),
      col((l) => l.crossCompanyReason ?? null),
      col((l) => l.name),
      col((l) => l.quantityMilli),
      col((l) => l.unitPrice),
      col((_, i) => computed[i]!.lineDiscount),
      col((_, i) => computed[i]!.invoiceDiscountShare),
      col((_, i) => computed[i]!.net),
      col((_, i) => computed[i]!.tax),
      col((_, i) => computed[i]!.total),
      col((l) => (l.companyId === e.companyId ? l.taxRateId : null)),
      col((l) => l.rateBp),
      tenders.map((t) => t.kind),
      tenders.map((t) => t.amount),
      tenders.map((t) => (t.kind === 'cash' ? t.given : null)),
      tenders.map((t) => (t.kind === 'card' ? t.reference : null)),
      tenders.map((t) => (t.kind === 'credit' ? t.customerId : null)),
      JSON.stringify([...cross, ...findings]),
    ],
  );
  return { saleId: sale.saleId, receiptNumber: e.receiptNumber, flagged, findings: findings.length };
}
