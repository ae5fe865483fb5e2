// What the POS shows first after the database opens, read together: the register's identity, the
// store's data and the saved cashier's shifts. In the browser it runs in the database's worker as one
// message (register-procedures.ts `firstScreen`), so the sell screen needs one round trip, not five.
// The hooks that keep these up to date (use-shift.ts, use-store-data.ts) read them the same way.
import type { Queryable } from '../../sync/register/db-protocol';
import { currentShift, type OpenShift } from '../../sync/register/register-shift';
import type { RegisterDevice } from '../../sync/register/register-device';
import { loadStoreData, type Company, type StoreSettings } from './store-data';

export interface RegisterIdentity {
  token: string;
  registerId: string;
  registerCode: string;
  devices: { id: string; companyId: string; companyCode: string; code: string; warehouseId: string | null }[];
}

export interface CompanyShift {
  device: RegisterDevice;
  companyName: string;
  currency: string;
  exponent: number;
  shift: OpenShift | undefined;
}

export interface StoreData {
  companies: Company[];
  store: StoreSettings;
}

export interface FirstScreen {
  identity: RegisterIdentity | undefined;
  store: StoreData;
  /** The shifts of the cashier whose companies were given (none given: undefined). */
  shifts: CompanyShift[] | undefined;
}

/** The register's pairing (one row, none before pairing). */
export async function readIdentity(pg: Queryable): Promise<RegisterIdentity | undefined> {
  const r = await pg.query<{ token: string; register_id: string; register_code: string; devices: RegisterIdentity['devices'] }>(
    `SELECT token, register_id, register_code, devices FROM register_identity WHERE id = 1`,
  );
  const row = r.rows[0];
  return row ? { token: row.token, registerId: row.register_id, registerCode: row.register_code, devices: row.devices } : undefined;
}

/** Per company the cashier sells in (and this register has a device for): its open shift. */
export async function readCompanyShifts(pg: Queryable, devices: RegisterIdentity['devices'], companyIds: string[]): Promise<CompanyShift[]> {
  const rows = (
    await pg.query<{ id: string; name: string; currency: string; currency_exponent: number }>(
      `SELECT id, name, currency, currency_exponent FROM companies WHERE id = ANY($1::uuid[]) ORDER BY name`,
      [companyIds],
    )
  ).rows;
  const withDevice = rows.flatMap((c) => {
    const device = devices.find((d) => d.companyId === c.id);
    return device ? [{ c, device }] : [];
  });
  const shifts = await Promise.all(withDevice.map(({ device }) => currentShift(pg, device.id)));
  return withDevice.map(({ c, device }, i) => ({ device, companyName: c.name, currency: c.currency, exponent: c.currency_exponent, shift: shifts[i] }));
}

export async function readFirstScreen(pg: Queryable, companyIds?: string[]): Promise<FirstScreen> {
  const [identity, store] = await Promise.all([readIdentity(pg), loadStoreData(pg)]);
  const shifts = identity && companyIds ? await readCompanyShifts(pg, identity.devices, companyIds) : undefined;
  return { identity, store, shifts };
}
