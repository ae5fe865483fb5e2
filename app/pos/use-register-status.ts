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

const isOnline = (s: RegisterStatus) => s.companies.some((c) => c.state === 'OK');

/**
 * Whether the edge answers for any company: the one piece of status the sell screen itself needs.
 * It changes state only when that flips, so status events (a push, the queue counter) re-render
 * the status bar alone, not the screen the cashier is scanning into.
 */
export function useEdgeOnline(register: Register): boolean {
  const [online, setOnline] = useState(() => isOnline(register.status()));
  useEffect(() => {
    const read = () => setOnline(isOnline(register.status()));
    read();
    return register.onChange(read);
  }, [register]);
  return online;
}
