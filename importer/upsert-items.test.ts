import { beforeAll, describe, expect, it } from 'vitest';
import { backends, useMigratedDatabase } from '../test/databases';
import { loadCompanies, type CompanyInfo } from './company-map';
import type { ItemCandidate } from './item-records';
import { findBarcodeOwners, findItems, writeItems, writePrices } from './upsert-items';
import { changeLogCount, createCompanies } from './test-helpers';

describe.each(backends)('upsert items on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let official: CompanyInfo;
  beforeAll(async () => {
    await createCompanies(t.database);
    official = (await loadCompanies(t.database)).find((c) => c.code === 'O')!;
  });
  const item = (code: string, over: Partial<ItemCandidate> = {}): ItemCandidate => ({
    file: 'f.csv',
    line: 2,
    company: official,
    code,
    name: code,
    itemGroup: 'G',
    uom: 'Nos',
    unitPrecision: 0,
    taxRateId: official.defaultTaxRateId,
    disabled: false,
    allowSales: true,
    maintainStock: true,
    barcodes: [{ code: `${code}-b`, type: 'EAN', line: 2 }],
    barcodeColumn: 'Barcode',
    price: { amount: 100, file: 'f.csv', line: 2, column: 'Rate', source: 'item' },
    ...over,
  });

  it('creates, then leaves unchanged rows alone (no change-log rows), then updates only what changed', async () => {
    const r1 = await writeItems(t.database, [item('A'), item('B')]);
    expect(r1.map((r) => [r.status, r.priceStatus])).toEqual([
      ['created', 'created'],
      ['created', 'created'],
    ]);
    const log = await changeLogCount(t.database);
    const r2 = await writeItems(t.database, [item('A'), item('B')]);
    expect(r2.map((r) => [r.status, r.priceStatus])).toEqual([
      ['unchanged', 'unchanged'],
      ['unchanged', 'unchanged'],
    ]);
    expect(await changeLogCount(t.database)).toBe(log);
    const r3 = await writeItems(t.database, [
      item('A', { barcodes: [{ code: 'A-b2', type: '', line: 2 }] }),
      item('B', { price: { amount: 150, file: 'f.csv', line: 2, column: 'Rate', source: 'item' } }),
    ]);
    expect(r3.map((r) => [r.status, r.priceStatus])).toEqual([
      ['updated', 'unchanged'],
      ['updated', 'updated'],
    ]);
    expect(await findBarcodeOwners(t.database, official.id, ['A-b', 'A-b2', 'B-b'])).toEqual(
      new Map([
        ['A-b2', 'A'],
        ['B-b', 'B'],
      ]),
    );
  });

  it('leaves barcodes and price alone when the file has none', async () => {
    await writeItems(t.database, [item('C', { barcodes: null, price: null, name: 'C2' })]);
    await writeItems(t.database, [item('A', { barcodes: null, price: null })]);
    expect(await findBarcodeOwners(t.database, official.id, ['A-b2'])).toEqual(new Map([['A-b2', 'A']]));
  });

  it('dry run (rollback) reports the statuses but keeps nothing', async () => {
    const r = await writeItems(t.database, [item('D')], { rollback: true });
    expect(r[0]!.status).toBe('created');
    expect(await findItems(t.database, ['D'])).toEqual([]);
  });

  it('isolates a failing item: the rest of the batch is written', async () => {
    const r = await writeItems(t.database, [item('E'), item('F', { taxRateId: '00000000-0000-0000-0000-000000000000' })]);
    expect(r.map((x) => [x.candidate.code, x.status, Boolean(x.error)])).toEqual([
      ['E', 'created', false],
      ['F', 'unchanged', true],
    ]);
    expect((await findItems(t.database, ['E', 'F'])).map((x) => x.code)).toEqual(['E']);
  });

  it('writes prices of stored items', async () => {
    const [e] = await findItems(t.database, ['E']);
    const s = await writePrices(t.database, [{ companyId: official.id, itemId: e!.id, amount: 999, currency: 'EUR' }]);
    expect(s).toEqual(['updated']);
    expect(await writePrices(t.database, [{ companyId: official.id, itemId: e!.id, amount: 999, currency: 'EUR' }])).toEqual(['unchanged']);
  });
});
