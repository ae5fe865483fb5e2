import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../seeds/demo';
import { appliers } from './posting/appliers';
import { ingestEvents } from './posting/ingest';
import { catalogRows, line, saleEvent } from '../test/fixtures/register-sale';
import { backends, useMigratedDatabase } from '../test/databases';
import { issuePairingCode, pairRegister } from './device-auth';
import { createReturn, findReturnableSale } from './returns';

describe.each(backends)('returns on %s', (backend) => {
  const t = useMigratedDatabase(backend);

  it('refunds parts of a sale, never more than was sold, and pro rata parts add up to the line', async () => {
    await seedDemo(t.database, { itemsPerCompany: 5, sharedBarcodes: 2, customers: 2 });
    const reg = (await t.database.pool.query(`SELECT id FROM registers`)).rows[0].id;
    const { identity } = await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: 't' });
    const cashierId = (await t.database.pool.query(`SELECT id FROM cashiers LIMIT 1`)).rows[0].id;
    const u = identity.devices.find((d) => d.companyCode === 'U')!;
    const [row] = await catalogRows(t.database, u.companyId, 1);
    const e = saleEvent(identity, 'U', { seq: 1, cashierId, lines: [line(row!, u.companyId, 3)] });
    expect((await ingestEvents(t.database, identity, [e], appliers))[0]!.status).toBe('accepted');

    const sale = await findReturnableSale(t.database, identity.companyIds, e.receiptNumber);
    const saleLineId = sale.lines[0]!.saleLineId;
    const lineTotal = sale.lines[0]!.total;
    await expect(findReturnableSale(t.database, identity.companyIds, 'U-R01-999999')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(findReturnableSale(t.database, [identity.companyIds.find((c) => c !== u.companyId)!], e.receiptNumber)).rejects.toMatchObject({
      kind: 'not_found',
    });

    const parts = [];
    for (let i = 0; i < 3; i++) {
      parts.push(
        await createReturn(t.database, identity.companyIds, {
          returnId: randomUUID(),
          receiptNumber: e.receiptNumber,
          lines: [{ saleLineId, quantityMilli: 1000 }],
          reason: 'damaged',
          tender: 'cash',
        }),
      );
    }
    expect(parts.map((p) => p.returnNumber)).toEqual(['RET-U-000001', 'RET-U-000002', 'RET-U-000003']);
    expect(parts.reduce((s, p) => s + p.total, 0)).toBe(lineTotal);
    await expect(
      createReturn(t.database, identity.companyIds, {
        returnId: randomUUID(),
        receiptNumber: e.receiptNumber,
        lines: [{ saleLineId, quantityMilli: 1000 }],
        reason: 'again',
        tender: 'cash',
      }),
    ).rejects.toMatchObject({ kind: 'conflict', field: 'lines.0.quantityMilli' });
    const replay = await createReturn(t.database, identity.companyIds, {
      returnId: parts[0]!.returnId,
      receiptNumber: e.receiptNumber,
      lines: [{ saleLineId, quantityMilli: 1000 }],
      reason: 'damaged',
      tender: 'cash',
    });
    expect(replay).toMatchObject({ duplicate: true, returnNumber: 'RET-U-000001' });
    const stock = (await t.database.pool.query(`SELECT COALESCE(sum(quantity_milli), 0)::int AS n FROM stock_movements WHERE item_id = $1`, [row!.itemId]))
      .rows[0].n;
    expect(stock).toBe(0);
  });
});
