import { useEffect, useState } from 'react';
import type { Register } from './register.client';
import { loadStoreData, NO_STORE, type Company, type StoreSettings } from './store-data';

/** Store data already read (with the first screen, `Register.loadFirstScreen`), at a master-data version. */
export interface InitialStoreData {
  companies: Company[];
  store: StoreSettings;
  masterVersion: number;
}

/**
 * Companies and store settings, reloaded when sync brings changes (`onMasterData`); `loaded` once read.
 * Given `initial`, the first render has them, and they are read again only if master data changed since.
 */
export function useStoreData(register: Register, initial?: InitialStoreData): { companies: Company[]; store: StoreSettings; loaded: number } {
  const [data, setData] = useState(() =>
    initial ? { companies: initial.companies, store: initial.store, loaded: 1 } : { companies: [] as Company[], store: NO_STORE, loaded: 0 },
  );
  useEffect(() => {
    let live = true;
    const load = () => void loadStoreData(register.db).then((d) => live && setData((old) => ({ ...d, loaded: old.loaded + 1 })));
    if (!initial || initial.masterVersion !== register.masterVersion) load();
    const off = register.onMasterData(load);
    return () => {
      live = false;
      off();
    };
  }, [register, initial]);
  return data;
}
