// Test processes trust each test edge's store CA for Node's fetch, the way a register installs it:
// only that CA, added to the usual roots, never "accept any certificate".
import tls from 'node:tls';
import { Agent, setGlobalDispatcher } from 'undici';

const trusted = new Set<string>();

export function trustEdgeCa(pem: string) {
  if (trusted.has(pem)) return;
  trusted.add(pem);
  setGlobalDispatcher(new Agent({ connect: { ca: [...tls.rootCertificates, ...trusted] } }));
}
