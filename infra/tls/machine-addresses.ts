// The addresses registers may use to reach this machine: every non-internal interface address,
// without IPv6 link-local ones (they need a zone id, which no certificate or URL can carry usefully).
import os from 'node:os';

export function machineAddresses(interfaces = os.networkInterfaces()): string[] {
  const out = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv6' && /^fe80:/i.test(a.address)) continue;
      out.add(a.address);
    }
  }
  return [...out].sort();
}
