// The store CA and the server certificate in the TLS folder: present, the one signed by the other,
// covering EDGE_HOSTNAME, and not about to expire. The edge re-issues the server certificate at start
// and twice a day when under 30 days remain, so one that is close to expiry means it is not doing so.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { RENEW_BEFORE_DAYS } from '../tls/store-certificates';
import { errorText, type CheckResult } from './check';

const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

function load(file: string): X509Certificate | string {
  if (!existsSync(file)) return 'missing';
  try {
    return new X509Certificate(readFileSync(file));
  } catch (e) {
    return `unreadable (${errorText(e)})`;
  }
}

export function checkCertificate(opts: { tlsDir: string; edgeHostname: string; now?: Date }): CheckResult {
  const name = 'certificate';
  const now = opts.now ?? new Date();
  const f = (n: string) => path.join(opts.tlsDir, n);
  const restart = `remove ${f('server.crt')} and server.key and restart the edge`;

  const ca = load(f('ca.crt'));
  if (typeof ca === 'string') {
    return {
      name,
      verdict: 'FAIL',
      detail: `store CA ${f('ca.crt')} ${ca}`,
      fix: 'restore ca.crt and ca.key from a backup (a new CA means every register must install it again); start the edge to create one only for a new store',
    };
  }
  if (!existsSync(f('ca.key'))) {
    return { name, verdict: 'FAIL', detail: `store CA key ${f('ca.key')} missing: the edge cannot renew its certificate`, fix: 'restore ca.key from a backup' };
  }
  const caEnd = new Date(ca.validTo);
  if (caEnd <= now)
    return {
      name,
      verdict: 'FAIL',
      detail: `store CA expired ${day(caEnd)}`,
      fix: 'create a new store CA (remove ca.crt and ca.key, restart the edge) and install it on every register',
    };

  const server = load(f('server.crt'));
  if (typeof server === 'string')
    return { name, verdict: 'FAIL', detail: `server certificate ${f('server.crt')} ${server}`, fix: 'restart the edge: it issues one at start' };
  if (!server.checkIssued(ca) || !server.verify(ca.publicKey)) {
    return { name, verdict: 'FAIL', detail: 'server certificate is not signed by the store CA in the folder', fix: restart };
  }
  const covered = net.isIP(opts.edgeHostname) ? server.checkIP(opts.edgeHostname) : server.checkHost(opts.edgeHostname, { wildcards: false });
  if (covered === undefined) {
    return {
      name,
      verdict: 'FAIL',
      detail: `server certificate does not cover EDGE_HOSTNAME ${opts.edgeHostname} (it names ${server.subjectAltName ?? 'nothing'})`,
      fix: 'restart the edge with this EDGE_HOSTNAME (it re-issues the certificate at start), or run the doctor with the edge\u2019s EDGE_HOSTNAME',
    };
  }
  const end = new Date(server.validTo);
  const left = end.getTime() - now.getTime();
  if (left <= 0) return { name, verdict: 'FAIL', detail: `server certificate expired ${day(end)}`, fix: restart };
  if (left < RENEW_BEFORE_DAYS * DAY) {
    return {
      name,
      verdict: 'WARN',
      detail: `server certificate expires ${day(end)} (in ${Math.floor(left / DAY)} days) and the edge has not renewed it`,
      fix: 'restart the edge (it renews at start); if it stays, check the edge\u2019s log for "certificate renewal failed"',
    };
  }
  return {
    name,
    verdict: 'OK',
    detail: `server certificate covers ${opts.edgeHostname}, expires ${day(end)} (in ${Math.floor(left / DAY)} days); store CA until ${day(caEnd)}`,
  };
}
