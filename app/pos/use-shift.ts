// The register's shifts as the screens need them: per company the cashier sells in, its device and
// its open shift (opened here or in the back office), reloaded when sync brings changes.
import { useCallback, useEffect, useState } from 'react';
import { currentShift, type OpenShift } from '../../sync/register/register-shift';
import type { RegisterDevice } from '../../sync/register/register-device';
import type { Cashier } from './pin-login';
import type { Register } from './register.client';

export interface CompanyShift {
  device: RegisterDevice;
  companyName: string;
  currency: string;
  exponent: number;
  shift: OpenShift | undefined;
}

export interface Shifts {
  /** Shifts were read at least once (the companies may not have synced yet). */
  read: boolean;
  /** The companies have synced and every shift was read. */
  loaded: boolean;
  companies: CompanyShift[];
  refresh(): Promise<void>;
}

export function useShifts(register: Register | undefined, cashier: Cashier | undefined): Shifts {
  const [state, setState] = useState<{ read: boolean; loaded: boolean; companies: CompanyShift[] }>({ read: false, loaded: false, companies: [] });

  const refresh = useCallback(async () => {
    if (!register?.identity || !cashier) return;
    const rows = (
      await register.db.query<{ id: string; name: string; currency: string; currency_exponent: number }>(
        `SELECT id, name, currency, currency_exponent FROM companies WHERE id = ANY($1::uuid[]) ORDER BY name`,
        [cashier.companyIds],
      )
    ).rows;
    const companies: CompanyShift[] = [];
    for (const c of rows) {
      const device = register.identity.devices.find((d) => d.companyId === c.id);
      if (!device) continue;
      companies.push({ device, companyName: c.name, currency: c.currency, exponent: c.currency_exponent, shift: await currentShift(register.db, device.id) });
    }
    setState({ read: true, loaded: companies.length > 0, companies });
  }, [register, cashier]);

  useEffect(() => {
    if (!register || !cashier) return setState({ read: false, loaded: false, companies: [] });
    void refresh();
    return register.onMasterData(() => void refresh());
  }, [register, cashier, refresh]);

  return { ...state, refresh };
}
