import { useEffect, useState } from 'react';
import type { Register, RegisterStatus } from './register.client';

/** The register's status as it changes (sync, push, sale and edge events); no polling, no database reads here. */
export function useRegisterStatus(register: Register | undefined): RegisterStatus | undefined {
  const [status, setStatus] = useState<RegisterStatus>();
  useEffect(() => {
    if (!register) return;
    setStatus(register.status());
    return register.onChange(() => setStatus(register.status()));
  }, [register]);
  return status;
}
