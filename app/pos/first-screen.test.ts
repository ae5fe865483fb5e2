// The first screen's data read in one go matches what the screens read one by one.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShifts } from '../../sync/register/register-shift';
import { applyLocalSchema } from '../../sync/register/shape-sync';
import { readCompanyShifts, readFirstScreen } from './first-screen';
import { loadStoreData } from './store-data';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c'; // no device on this register
const DEV_A = { id: '00000000-0000-4000-8000-0000000000d1', companyId: A, companyCode: 'A', code: 'R01', warehouseId: null };
const DEV_B = { id: '00000000-0000-4000-8000-0000000000d2', companyId: B, companyCode: 'B', code: 'R01', warehouseId: null };
const REGISTER = '00000000-0000-4000-8000-0000000000f1';
const CASHIER = '00000000-0000-4000-8000-000000000301';

let pg: PGlite;
beforeAll(async () => {
  pg = new PGlite();
  await applyLocalSchema(pg);
  await pg.exec(`INSERT INTO companies (id, code, name, currency, currency_exponent) VALUES
    ('${A}', 'A', 'Alpha', 'EUR', 2), ('${B}', 'B', 'Beta', 'EUR', 2), ('${C}', 'C', 'Gamma', 'USD', 2)`);
});
afterAll(() => pg.close());

describe('readFirstScreen', () => {
  it('before pairing: no identity and no shifts, the store data as it is', async () => {
    expect(await readFirstScreen(pg, [A])).toEqual({ identity: undefined, store: await loadStoreData(pg), shifts: undefined });
  });

  it('paired: identity, store data and the cashier’s shifts per company with a device here', async () => {
    await pg.query(`INSERT INTO register_identity (id, token, register_id, register_code, devices) VALUES (1, 't', $1, 'REG-1', $2)`, [
      REGISTER,
      JSON.stringify([DEV_A, DEV_B]),
    ]);
    expect(await openShifts(pg, { registerId: REGISTER, cashierId: CASHIER, floats: [{ device: DEV_A, float: 5000 }] })).toMatchObject({ ok: true });
    const first = await readFirstScreen(pg, [A, B, C]);
    expect(first.identity).toEqual({ token: 't', registerId: REGISTER, registerCode: 'REG-1', devices: [DEV_A, DEV_B] });
    expect(first.store).toEqual(await loadStoreData(pg));
    expect(first.store.companies.map((c) => c.name)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(first.shifts).toEqual(await readCompanyShifts(pg, [DEV_A, DEV_B], [A, B, C]));
    expect(first.shifts!.map((s) => [s.companyName, s.device.id, s.shift?.openingFloat])).toEqual([
      ['Alpha', DEV_A.id, 5000],
      ['Beta', DEV_B.id, undefined],
    ]);
    expect((await readFirstScreen(pg)).shifts).toBeUndefined();
  });
});
