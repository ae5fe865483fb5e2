// A register syncs only the recent part of its own history (sales, shifts, rejected events), plus
// what is still current (an open shift's sales, pending rejections), however old the store gets.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backends, useMigratedDatabase } from '../test/databases';
import { insertSale } from '../test/fixtures/sales';
import { pairedDemoRegister } from '../test/fixtures/register-sale';
import { handleShapeRequest, type ShapeScope } from './shape-server';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

describe.each(backends)('register history bound on %s', (backend) => {
  const t = useMigratedDatabase(backend);

  it('sends the last days and what is still open, not the years before', async () => {
    const { identity, cashierId } = await pairedDemoRegister(t.database, { itemsPerCompany: 5, sharedBarcodes: 1, customers: 2 });
    const q = async (sql: string, params: unknown[] = []) => (await t.database.pool.query(sql, params)).rows;
    const [{ code: companyCode, id: companyId }] = await q(`SELECT c.id, c.code FROM companies c JOIN store_settings s ON s.default_company_id = c.id LIMIT 1`);
    const device = identity.devices.find((d) => d.companyId === companyId)!;
    const scope: ShapeScope = { companyIds: identity.companyIds, registerId: identity.registerId, deviceIds: identity.devices.map((d) => d.id) };

    const shift = async (status: 'open' | 'closed', openedDaysAgo: number) => {
      const id = randomUUID();
      await q(`INSERT INTO shifts (id, company_id, register_id, device_id, cashier_id, status, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        id,
        companyId,
        identity.registerId,
        device.id,
        cashierId,
        status,
        daysAgo(openedDaysAgo),
      ]);
      return id;
    };
    const oldClosedShift = await shift('closed', 40);
    const longOpenShift = await shift('open', 30);
    const oldSale = await insertSale(t.database, { companyCode, shiftId: oldClosedShift, occurredAt: daysAgo(40) });
    const openShiftSale = await insertSale(t.database, { companyCode, shiftId: longOpenShift, occurredAt: daysAgo(30) });
    const recentSale = await insertSale(t.database, { companyCode, occurredAt: daysAgo(1) });
    const rejected = async (status: string, createdDaysAgo: number) =>
      (
        await q(
          `INSERT INTO rejected_events (source, device_id, register_id, company_id, type, payload, reason, status, created_at)
           VALUES ('push', $1, $2, $3, 'sale.completed', '{}', 'test', $4, $5) RETURNING id`,
          [device.id, identity.registerId, companyId, status, daysAgo(createdDaysAgo)],
        )
      )[0].id as string;
    const oldDismissed = await rejected('dismissed', 40);
    const oldPending = await rejected('pending', 40);
    const recentDismissed = await rejected('dismissed', 2);

    const ids = async (table: string) => {
      const r = await handleShapeRequest(t.database, { method: 'GET', query: { table, offset: '-1' } }, scope);
      expect(r.status).toBe(200);
      return (JSON.parse(r.body) as { value?: { id: string } }[]).flatMap((m) => (m.value ? [m.value.id] : []));
    };
    const sales = await ids('sales');
    expect(sales).toEqual(expect.arrayContaining([openShiftSale.saleId, recentSale.saleId]));
    expect(sales).not.toContain(oldSale.saleId);
    const shifts = await ids('shifts');
    expect(shifts).toContain(longOpenShift);
    expect(shifts).not.toContain(oldClosedShift);
    const outbox = await ids('rejected_events');
    expect(outbox).toEqual(expect.arrayContaining([oldPending, recentDismissed]));
    expect(outbox).not.toContain(oldDismissed);

    // Configurable: a longer history reaches further back.
    process.env.REGISTER_HISTORY_DAYS = '60';
    try {
      expect(await ids('sales')).toContain(oldSale.saleId);
    } finally {
      delete process.env.REGISTER_HISTORY_DAYS;
    }
  });
});
