// The register's shifts as the screens need them: per company the cashier sells in, its device and
// its open shift (opened here or in the back office), reloaded when sync brings changes.
import { useCallback, useEffect, useState } from 'react';
import { readCompanyShifts, type CompanyShift } from './first-screen';
import type { Cashier } from './pin-login';
import type { Register } from './register.client';

export type { CompanyShift };

export interface Shifts {
  /** Shifts were read at least once (the companies may not have synced yet). */
  read: boolean;
  /** The companies have synced and every shift was read. */
  loaded: boolean;
  companies: CompanyShift[];
  refresh(): Promise<void>;
}

/** Shifts already read for this cashier (with the first screen, `Register.loadFirstScreen`), at a master-data version. */
export interface InitialShifts {
  cashier: Cashier;
  companies: CompanyShift[];
  masterVersion: number;
}

export function useShifts(register: Register | undefined, cashier: Cashier | undefined, initial?: InitialShifts): Shifts {
  const [state, setState] = useState<{ read: boolean; loaded: boolean; companies: CompanyShift[] }>({ read: false, loaded: false, companies: [] });
  // Shown until the first read of this hook's own (a change, or the screens' refresh).
  const given = initial && cashier && initial.cashier === cashier ? initial : undefined;

  const refresh = useCallback(async () => {
    if (!register?.identity || !cashier) return;
    const companies = await readCompanyShifts(register.db, register.identity.devices, cashier.companyIds);
    setState({ read: true, loaded: companies.length > 0, companies });
  }, [register, cashier]);

  useEffect(() => {
    if (!register || !cashier) return setState({ read: false, loaded: false, companies: [] });
    if (!given || given.masterVersion !== register.masterVersion) void refresh();
    return register.onMasterData(() => void refresh());
  }, [register, cashier, refresh, given]);

  if (given && !state.read) return { read: true, loaded: given.companies.length > 0, companies: given.companies, refresh };
  return { ...state, refresh };
}
