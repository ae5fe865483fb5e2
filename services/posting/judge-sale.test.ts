import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findingsIn } from '../../core/sale-findings';
import { getSale, listAdjustments, listSales } from '../admin-sales';
import type { DeviceIdentity } from '../device-auth';
import { backends, useMigratedDatabase } from '../../test/databases';
import { catalogRows, line, pairedDemoRegister, pairedNewRegister, saleEvent, type CatalogRow } from '../../test/fixtures/register-sale';
import { appliers } from './appliers';
import { ingestEvents } from './ingest';

describe.each(backends)('judging pushed sales on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let cashierId: string;
  let registers = 0;

  /** A register of its own per test: its receipt series starts at 000001, whatever ran before. */
  const freshRegister = async (): Promise<DeviceIdentity> => {
    if (!cashierId) ({ cashierId } = await pairedDemoRegister(t.database, { itemsPerCompany: 10, sharedBarcodes: 2, customers: 2 }));
    return pairedNewRegister(t.database, `J${++registers}`);
  };
  const company = (identity: DeviceIdentity, code: string) => identity.devices.find((d) => d.companyCode === code)!.companyId;
  const q = async (sql: string, params: unknown[] = []) => (await t.database.pool.query(sql, params)).rows;
  const review = async (saleId: string) => {
    const rows = await q(`SELECT status, reasons FROM adjustment_queue WHERE sale_id = $1`, [saleId]);
    return rows[0] ? findingsIn(rows[0].reasons) : undefined;
  };
  const taxedRow = async (identity: DeviceIdentity): Promise<CatalogRow> =>
    (await catalogRows(t.database, company(identity, 'U'), 10)).find((r) => r.rateBp > 0 && r.maxDiscountBp < 10_000)!;
  const push = async (identity: DeviceIdentity, events: unknown[]) => ingestEvents(t.database, identity, events, appliers);

  it('books an honest sale without a review item', async () => {
    const reg = await freshRegister();
    const row = await taxedRow(reg);
    const first = saleEvent(reg, 'U', { seq: 1, cashierId, lines: [line(row, company(reg, 'U'), 2)] });
    const second = saleEvent(reg, 'U', { seq: 2, cashierId, lines: [line(row, company(reg, 'U'))] });
    const results = await push(reg, [first, second]);
    expect(results.map((r) => r.detail)).toEqual([
      { saleId: first.sale.saleId, receiptNumber: first.receiptNumber, flagged: false, findings: 0 },
      { saleId: second.sale.saleId, receiptNumber: second.receiptNumber, flagged: false, findings: 0 },
    ]);
    expect(await review(first.sale.saleId)).toBeUndefined();
    expect(await review(second.sale.saleId)).toBeUndefined();
    expect((await getSale(t.database, first.sale.saleId))?.findings).toEqual([]);
  });

  it('books a sale at a forged price and VAT rate, with both deviations for review', async () => {
    const reg = await freshRegister();
    const row = await taxedRow(reg);
    const vat0 = (await q(`SELECT id FROM tax_rates WHERE company_id = $1 AND rate_bp = 0`, [company(reg, 'U')]))[0].id;
    const forged = { ...line(row, company(reg, 'U')), unitPrice: 1, rateBp: 0, taxRateId: vat0 };
    const e = saleEvent(reg, 'U', { seq: 1, cashierId, lines: [forged] });
    const [r] = await push(reg, [e]);
    expect(r).toMatchObject({ status: 'accepted', detail: { flagged: true, findings: 2 } });
    expect(await q(`SELECT unit_price, rate_bp FROM sale_lines WHERE sale_id = $1`, [e.sale.saleId])).toEqual([{ unit_price: 1, rate_bp: 0 }]);

    const findings = await review(e.sale.saleId);
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'price', field: 'sale.lines.0.unitPrice', expected: row.price, claimed: 1, lineNo: 1, itemId: row.itemId }),
      expect.objectContaining({ kind: 'tax_rate', field: 'sale.lines.0.rateBp', expected: row.rateBp, claimed: 0, lineNo: 1 }),
    ]);
    expect(findings![0]!.reason).toContain('0.01');

    // Visible where an admin looks: the flagged filter, the sale and the Adjustment Queue.
    expect((await listSales(t.database, { flaggedOnly: true, registerId: reg.registerId })).sales.map((s) => s.id)).toEqual([e.sale.saleId]);
    const detail = await getSale(t.database, e.sale.saleId);
    expect(detail).toMatchObject({ flagged: true, adjustment: { status: 'open' } });
    expect(detail!.findings.map((f) => [f.kind, f.expected, f.claimed])).toEqual([
      ['price', row.price, 1],
      ['tax_rate', row.rateBp, 0],
    ]);
    const entry = (await listAdjustments(t.database)).find((a) => a.saleId === e.sale.saleId)!;
    expect(entry.findings).toHaveLength(2);
    expect(entry.reasons).toEqual([]);
  });

  it('records a discount above the item limit when the register forged the limit', async () => {
    const reg = await freshRegister();
    const row = await taxedRow(reg);
    const free = { ...line(row, company(reg, 'U')), maxDiscountBp: 10_000, discount: { kind: 'percent' as const, bp: 10_000 } };
    const e = saleEvent(reg, 'U', { seq: 1, cashierId, lines: [free, line(row, company(reg, 'U'))] });
    const [r] = await push(reg, [e]);
    expect(r).toMatchObject({ status: 'accepted', detail: { flagged: true } });
    expect(await review(e.sale.saleId)).toEqual([
      expect.objectContaining({ kind: 'discount_limit', field: 'sale.lines.0.maxDiscountBp', expected: row.maxDiscountBp, claimed: 10_000 }),
      expect.objectContaining({ kind: 'discount', field: 'sale.lines.0.discount', expected: row.maxDiscountBp, claimed: 10_000 }),
    ]);
  });

  it('records cart settings that differ from the company', async () => {
    const reg = await freshRegister();
    const row = await taxedRow(reg);
    const e = saleEvent(reg, 'U', {
      seq: 1,
      cashierId,
      lines: [line(row, company(reg, 'U'))],
      settings: { pricesIncludeTax: false, taxRounding: 'line', rounding: 'HalfUp' },
    });
    expect((await push(reg, [e]))[0]!.status).toBe('accepted');
    expect(await review(e.sale.saleId)).toEqual([
      expect.objectContaining({ kind: 'settings', field: 'sale.settings.pricesIncludeTax', expected: true, claimed: false }),
    ]);
  });

  it('records sales by a disabled cashier, a cashier of another company and an unknown cashier', async () => {
    const reg = await freshRegister();
    const row = await taxedRow(reg);
    const u = company(reg, 'U');
    const disabled = (await q(`INSERT INTO cashiers (name, pin_hash, active) VALUES ('Dora Disabled', 'x', false) RETURNING id`))[0].id;
    await q(`INSERT INTO cashier_companies (cashier_id, company_id) VALUES ($1, $2)`, [disabled, u]);
    const outsider = (await q(`INSERT INTO cashiers (name, pin_hash) VALUES ('Olga Official', 'x') RETURNING id`))[0].id;
    await q(`INSERT INTO cashier_companies (cashier_id, company_id) VALUES ($1, $2)`, [outsider, company(reg, 'O')]);
    const stranger = randomUUID();
    const events = [disabled, outsider, stranger].map((c, i) => saleEvent(reg, 'U', { seq: i + 1, cashierId: c, lines: [line(row, u)] }));
    const results = await push(reg, events);
    expect(results.map((r) => [r.status, r.detail?.findings])).toEqual([
      ['accepted', 1],
      ['accepted', 1],
      ['accepted', 1],
    ]);
    expect(await review(events[0]!.sale.saleId)).toEqual([
      expect.objectContaining({ kind: 'cashier', field: 'cashierId', expected: 'active', claimed: 'disabled' }),
    ]);
    expect(await review(events[1]!.sale.saleId)).toEqual([expect.objectContaining({ kind: 'cashier', claimed: 'not a member' })]);
    expect(await review(events[2]!.sale.saleId)).toEqual([expect.objectContaining({ kind: 'cashier', claimed: stranger })]);
    // The money was taken: the sale is booked, without a cashier the edge cannot name.
    expect(await q(`SELECT cashier_id FROM sales WHERE id = $1`, [events[2]!.sale.saleId])).toEqual([{ cashier_id: null }]);
    expect(await q(`SELECT cashier_id FROM sales WHERE id = $1`, [events[0]!.sale.saleId])).toEqual([{ cashier_id: disabled }]);
  });

  it('records a receipt number that skips numbers after the last one booked for the device', async () => {
    const reg = await freshRegister();
    const row = await taxedRow(reg);
    const code = reg.devices.find((d) => d.companyCode === 'U')!.code;
    const sale = (seq: number) => saleEvent(reg, 'U', { seq, cashierId, lines: [line(row, company(reg, 'U'))] });
    const [s1, s2, s5, s3] = [sale(1), sale(2), sale(5), sale(3)];
    const results = await push(reg, [s1, s2, s5, s3]);
    expect(results.map((r) => [r.status, r.detail?.findings])).toEqual([
      ['accepted', 0],
      ['accepted', 0],
      ['accepted', 1],
      ['accepted', 0],
    ]);
    const [gap] = (await review(s5.sale.saleId))!;
    expect(gap).toMatchObject({ kind: 'receipt_gap', field: 'receiptNumber', expected: `U-${code}-000003`, claimed: `U-${code}-000005` });
    expect(gap!.reason).toContain('skips 2 numbers');
    // Another company's series on the same register is its own.
    const o = saleEvent(reg, 'O', { seq: 1, cashierId, lines: [line((await catalogRows(t.database, company(reg, 'O'), 1))[0]!, company(reg, 'O'))] });
    expect((await push(reg, [o]))[0]!.detail).toMatchObject({ findings: 0 });
  });
});
