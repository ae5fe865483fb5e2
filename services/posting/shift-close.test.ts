// shift.closed from a register: the edge numbers the Z, books the blind count once, files a variance
// above the store threshold without a manager's approval, and rejects (to the Outbox) what it cannot book.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildShiftClosed, buildShiftOpened } from '../../core/shift-close';
import { closeShiftWithZ, openShift } from '../admin-shifts';
import type { DeviceIdentity } from '../device-auth';
import { backends, useMigratedDatabase } from '../../test/databases';
import { catalogRows, line, pairedDemoRegister, saleEvent } from '../../test/fixtures/register-sale';
import { appliers } from './appliers';
import { ingestEvents } from './ingest';

describe.each(backends)('shift.closed from a register on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let identity: DeviceIdentity;
  let cashierId: string;
  let managerId: string;
  let clerkId: string;
  let seq = 0;

  const setup = async () => {
    if (identity) return;
    const paired = await pairedDemoRegister(t.database, { itemsPerCompany: 4, sharedBarcodes: 0, customers: 1 });
    const q = t.database.pool;
    [managerId, clerkId] = [randomUUID(), randomUUID()];
    await q.query(`INSERT INTO cashiers (id, name, pin_hash) VALUES ($1, 'Maria Manager', 'x'), ($2, 'Carl Clerk', 'x')`, [managerId, clerkId]);
    await q.query(
      `INSERT INTO cashier_companies (cashier_id, company_id, role) SELECT $1::uuid, id, 'manager' FROM companies
       UNION ALL SELECT $2::uuid, id, 'cashier' FROM companies`,
      [managerId, clerkId],
    );
    await q.query(`UPDATE store_settings SET shift_variance_threshold = 1000`);
    ({ identity, cashierId } = paired);
  };
  const dev = (code: string) => identity.devices.find((d) => d.companyCode === code)!;
  const env = (code: string, shiftId: string) => ({
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    deviceId: dev(code).id,
    registerId: identity.registerId,
    companyId: dev(code).companyId,
    cashierId,
    shiftId,
  });
  const push = (events: unknown[]) => ingestEvents(t.database, identity, events, appliers);
  const row = async (sql: string, params: unknown[]) => (await t.database.pool.query(sql, params)).rows[0];

  /** Opens a shift at the register with a 100.00 float and sells one cash item in it; returns its id and expected cash. */
  async function shiftWithSale(code: string): Promise<{ shiftId: string; expected: number }> {
    const shiftId = randomUUID();
    const item = (await catalogRows(t.database, dev(code).companyId, 1))[0]!;
    const sale = saleEvent(identity, code, { seq: ++seq, cashierId, shiftId, lines: [line(item, dev(code).companyId)] });
    const r = await push([buildShiftOpened({ ...env(code, shiftId), float: 10000 }), sale]);
    expect(r.map((x) => x.status)).toEqual(['accepted', 'accepted']);
    return { shiftId, expected: 10000 + sale.sale.totals.total };
  }

  it('books a blind count as a Z the edge numbers; a replay returns the same Z and books nothing twice', async () => {
    await setup();
    const { shiftId, expected } = await shiftWithSale('U');
    const before = (await row(`SELECT COALESCE(max(number), 0)::int AS n FROM z_reports WHERE company_id = $1`, [dev('U').companyId])).n as number;
    const close = buildShiftClosed({ ...env('U', shiftId), countedCash: expected - 300, expectedCash: expected, variance: -300 });
    const [first] = await push([close]);
    expect(first).toMatchObject({ status: 'accepted', detail: { shiftId, zNumber: before + 1, variance: -300, flagged: false } });
    const [again] = await push([close]);
    expect(again).toMatchObject({ status: 'accepted', duplicate: true, detail: { zNumber: before + 1 } });
    expect((await row(`SELECT count(*)::int AS n FROM z_reports WHERE shift_id = $1`, [shiftId])).n).toBe(1);
    const shift = await row(
      `SELECT status, counted_cash, expected_cash, variance, close_event_id, closed_by_cashier_id, close_findings FROM shifts WHERE id = $1`,
      [shiftId],
    );
    expect(shift).toEqual({
      status: 'closed',
      counted_cash: expected - 300,
      expected_cash: expected,
      variance: -300,
      close_event_id: close.eventId,
      closed_by_cashier_id: cashierId,
      close_findings: [],
    });
    const z = await row(`SELECT number, created_by, figures FROM z_reports WHERE shift_id = $1`, [shiftId]);
    expect(z).toMatchObject({ number: before + 1, created_by: `register ${identity.registerCode}`, figures: { salesCount: 1, countedCash: expected - 300 } });
    const audit = await row(`SELECT actor_type, actor_id FROM audit_log WHERE entity_id = $1 AND action = 'shift.z_report'`, [shiftId]);
    expect(audit).toEqual({ actor_type: 'device', actor_id: `register ${identity.registerCode}` });
  });

  it('numbers after the back office: Z numbers stay one gap-free series per company', async () => {
    await setup();
    const office = await openShift(t.database, { deviceId: dev('O').id, openingFloat: '50.00' }, 'admin@example.test');
    const { number: officeZ } = await closeShiftWithZ(t.database, { shiftId: office.id, countedCash: '50.00' }, 'admin@example.test');
    const { shiftId, expected } = await shiftWithSale('O');
    const [r] = await push([buildShiftClosed({ ...env('O', shiftId), countedCash: expected })]);
    expect(r).toMatchObject({ status: 'accepted', detail: { zNumber: officeZ + 1, variance: 0 } });
  });

  it('files a variance above the threshold without a valid manager approval, and not with one', async () => {
    await setup();
    const cases = [
      { approvedBy: undefined, kinds: ['approval_missing'], approver: null },
      { approvedBy: clerkId, kinds: ['approver_invalid', 'approval_missing'], approver: clerkId },
      { approvedBy: randomUUID(), kinds: ['approver_invalid', 'approval_missing'], approver: null },
      { approvedBy: managerId, kinds: [], approver: managerId },
    ];
    for (const c of cases) {
      const { shiftId, expected } = await shiftWithSale('U');
      const [r] = await push([buildShiftClosed({ ...env('U', shiftId), countedCash: expected + 2500, ...(c.approvedBy ? { approvedBy: c.approvedBy } : {}) })]);
      expect(r, JSON.stringify(c)).toMatchObject({ status: 'accepted', detail: { variance: 2500, flagged: c.kinds.length > 0 } });
      const shift = await row(`SELECT approved_by_cashier_id, close_findings FROM shifts WHERE id = $1`, [shiftId]);
      expect(shift.close_findings.map((f: { kind: string }) => f.kind)).toEqual(c.kinds);
      expect(shift.approved_by_cashier_id).toBe(c.approver);
    }
    const missing = (await row(`SELECT close_findings FROM shifts WHERE close_findings @> '[{"kind":"approval_missing"}]' LIMIT 1`, [])).close_findings;
    expect(missing.at(-1).reason).toBe("variance 25.00 is above the store threshold 10.00 without a manager's approval");
  });

  it('rejects, with the reason in the Outbox, a close of a shift the back office closed or of another device', async () => {
    await setup();
    const { shiftId, expected } = await shiftWithSale('U');
    const { number } = await closeShiftWithZ(t.database, { shiftId, countedCash: '100.00' }, 'admin@example.test');
    const late = buildShiftClosed({ ...env('U', shiftId), countedCash: expected });
    const other = await shiftWithSale('O');
    const crossed = buildShiftClosed({ ...env('U', other.shiftId), countedCash: 0 });
    const [a, b] = await push([late, crossed]);
    expect(a).toMatchObject({ status: 'rejected', field: 'shiftId' });
    expect(a!.reason).toBe(`shift was already closed in the back office (Z ${number}); this count of ${(expected / 100).toFixed(2)} was not booked`);
    expect(b).toMatchObject({ status: 'rejected', field: 'shiftId', reason: 'this shift is not open on this register in this company' });
    const outbox = await row(`SELECT reason, field, status FROM rejected_events WHERE event_id = $1`, [late.eventId]);
    expect(outbox).toEqual({ reason: a!.reason, field: 'shiftId', status: 'pending' });
    expect((await row(`SELECT count(*)::int AS n FROM z_reports WHERE shift_id = $1`, [shiftId])).n).toBe(1);
    expect((await row(`SELECT status FROM shifts WHERE id = $1`, [other.shiftId])).status).toBe('open');
  });
});
