import { useEffect, useState } from 'react';
import type { Register } from './register.client';
import { loadStoreData, NO_STORE, type Company, type StoreSettings } from './store-data';

/** Companies and store settings, reloaded when sync brings changes (`onMasterData`); `loaded` once read. */
export function useStoreData(register: Register): { companies: Company[]; store: StoreSettings; loaded: number } {
  const [data, setData] = useState({ companies: [] as Company[], store: NO_STORE, loaded: 0 });
  useEffect(() => {
    let live = true;
    const load = () => void loadStoreData(register.db).then((d) => live && setData((old) => ({ ...d, loaded: old.loaded + 1 })));
    load();
    const off = register.onMasterData(load);
    return () => {
      live = false;
      off();
    };
  }, [register]);
  return data;
}
