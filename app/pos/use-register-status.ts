import { useEffect, useState } from 'react';
import type { Register, RegisterStatus } from './register.client';

/** The register's status, refreshed on every sync/push event and every few seconds. */
export function useRegisterStatus(register: Register | undefined): RegisterStatus | undefined {
  const [status, setStatus] = useState<RegisterStatus>();
  useEffect(() => {
    if (!register) return;
    let alive = true;
    const refresh = () => void register.status().then((s) => alive && setStatus(s));
    refresh();
    const off = register.onChange(refresh);
    const timer = setInterval(refresh, 3000);
    return () => {
      alive = false;
      off();
      clearInterval(timer);
    };
  }, [register]);
  return status;
}
