// The store CA as registers see it: the certificate (public) and its SHA-256 fingerprint, read from
// the edge's TLS folder. The CA's key is never read here.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serverConfig } from '../config/server-config';

export interface StoreCa {
  pem: string;
  fingerprint: string;
  notAfter: string;
}

/** Undefined where the edge has no store CA (e.g. in the cloud, behind a public certificate). */
export function readStoreCa(tlsDir = serverConfig().TILL_TLS_DIR): StoreCa | undefined {
  if (!tlsDir) return undefined;
  try {
    const pem = readFileSync(path.join(tlsDir, 'ca.crt'), 'utf8');
    const cert = new X509Certificate(pem);
    return { pem, fingerprint: cert.fingerprint256, notAfter: new Date(cert.validTo).toISOString() };
  } catch {
    return undefined;
  }
}

/** The https address registers use (`EDGE_PUBLIC_URL`, set by the launcher), else the request's own. */
export function publicEdgeUrl(requestUrl: string, env: Record<string, string | undefined> = process.env): string {
  if (env.EDGE_PUBLIC_URL) return env.EDGE_PUBLIC_URL.replace(/\/$/, '');
  const u = new URL(requestUrl);
  return `https://${u.host}`;
}
