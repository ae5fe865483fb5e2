// Sale posting through the ledger, as a register's push reaches it: what a sale writes, what it is
// flagged for, and the checks only the edge can make (credit limits, the device's receipt series).
import { describe, expect, it } from 'vitest';
import { backends } from '../../test/databases';
import { usePairedDemoRegister } from '../../test/fixtures/paired-register';
import { catalogRows, line, pairedNewRegister, saleEvent } from '../../test/fixtures/register-sale';
import { issuePairingCode, pairRegister } from '../device-auth';
import { appliers } from './appliers';
import { ingestEvents } from './ingest';

describe.each(backends)('sale posting on %s', (backend) => {
  const reg = usePairedDemoRegister(backend, { itemsPerCompany: 10, sharedBarcodes: 3, customers: 4 });
  const { t, company, nextSeq, count } = reg;

  it('books a sale with its lines, payments and stock in one go', async () => {
    const { identity, cashierId } = reg;
    const rows = await catalogRows(t.database, company('U'), 2);
    const e = saleEvent(identity, 'U', { seq: nextSeq(), cashierId, lines: [line(rows[0]!, company('U'), 2), line(rows[1]!, company('U'))] });
    const [r] = await ingestEvents(t.database, identity, [e], appliers);
    expect(r).toMatchObject({ status: 'accepted', detail: { saleId: e.sale.saleId, receiptNumber: e.receiptNumber, flagged: false, findings: 0 } });
    expect(await count(`SELECT count(*)::int AS n FROM sale_lines WHERE sale_id = $1`, [e.sale.saleId])).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM payments WHERE sale_id = $1`, [e.sale.saleId])).toBe(1);
    expect(await count(`SELECT COALESCE(sum(quantity_milli),0)::int AS n FROM stock_movements WHERE sale_id = $1`, [e.sale.saleId])).toBe(-3000);
    const sale = (await reg.rows(`SELECT total, tax_total FROM sales WHERE id = $1`, [e.sale.saleId]))[0];
    expect(sale).toEqual({ total: e.sale.totals.total, tax_total: e.sale.totals.tax });
  });

  it('flags a cross-company sale for adjustment with a reason per line', async () => {
    const { identity, cashierId } = reg;
    const mine = await catalogRows(t.database, company('U'), 1);
    const other = await catalogRows(t.database, company('O'), 1);
    const e = saleEvent(identity, 'U', { seq: nextSeq(), cashierId, lines: [line(mine[0]!, company('U')), line(other[0]!, company('U'))] });
    const [r] = await ingestEvents(t.database, identity, [e], appliers);
    expect(r).toMatchObject({ status: 'accepted', detail: { flagged: true } });
    const q = (await reg.rows(`SELECT status, reasons FROM adjustment_queue WHERE sale_id = $1`, [e.sale.saleId]))[0];
    expect(q.status).toBe('open');
    expect(q.reasons).toHaveLength(1);
    expect(q.reasons[0].itemId).toBe(other[0]!.itemId);
  });

  it('checks credit limits on the edge', async () => {
    const { identity, cashierId } = reg;
    const rows = await catalogRows(t.database, company('U'), 1);
    const customer = (await reg.rows(`SELECT customer_id FROM customer_credit WHERE company_id = $1 AND credit_limit > 0 LIMIT 1`, [company('U')]))[0]
      .customer_id;
    await t.database.pool.query(`UPDATE customer_credit SET credit_limit = $1, balance = 0 WHERE customer_id = $2 AND company_id = $3`, [
      rows[0]!.price,
      customer,
      company('U'),
    ]);
    const ok = saleEvent(identity, 'U', {
      seq: nextSeq(),
      cashierId,
      lines: [line(rows[0]!, company('U'))],
      tenders: (total) => [{ kind: 'credit', amount: total, customerId: customer }],
    });
    const over = saleEvent(identity, 'U', {
      seq: nextSeq(),
      cashierId,
      lines: [line(rows[0]!, company('U'))],
      tenders: (total) => [{ kind: 'credit', amount: total, customerId: customer }],
    });
    const [a, b] = await ingestEvents(t.database, identity, [ok, over], appliers);
    expect(a!.status).toBe('accepted');
    expect(b).toMatchObject({ status: 'rejected', field: 'sale.tenders.0.amount' });
    expect(b!.reason).toMatch(/credit limit exceeded/);
  });

  it('accepts sales queued under the previous device code after a re-pair, and the new series', async () => {
    const { cashierId } = reg;
    // A register of its own: re-pairing R01 would change the series the other tests sell in.
    const identity = await pairedNewRegister(t.database, 'R05');
    const rows = await catalogRows(t.database, company('U'), 1);
    const queued = saleEvent(identity, 'U', { seq: 900, cashierId, lines: [line(rows[0]!, company('U'))] });
    const repaired = (await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, identity.registerId)).code, appVersion: 't2' }))
      .identity;
    const u = repaired.devices.find((d) => d.companyCode === 'U')!;
    expect(u.code).not.toBe(identity.devices.find((d) => d.companyCode === 'U')!.code);
    const fresh = saleEvent(repaired, 'U', { seq: 1, cashierId, lines: [line(rows[0]!, company('U'))] });
    expect(fresh.receiptNumber).toBe(`U-${u.code}-000001`);
    const results = await ingestEvents(t.database, repaired, [queued, fresh], appliers);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });
});
