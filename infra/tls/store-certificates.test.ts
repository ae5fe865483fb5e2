import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureEdgeCertificates, RENEW_BEFORE_DAYS, SERVER_VALIDITY_DAYS, TlsSetupError } from './store-certificates';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'till-tls-'));
  dirs.push(d);
  return path.join(d, 'tls');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const leafOf = (chain: string) => new X509Certificate(chain.split(/(?<=-----END CERTIFICATE-----)\n/)[0]!);

describe('store certificates', () => {
  it('creates a CA and a server certificate covering the name, loopback and every machine address, keys 0600', async () => {
    const dir = tmp();
    const c = await ensureEdgeCertificates({ dir, hostname: 'till-edge.test', addresses: ['192.168.1.20', 'fd00::20'] });
    expect(c.issued).toBe('ca-and-server');
    const leaf = leafOf(c.cert);
    for (const h of ['till-edge.test', 'localhost']) expect(leaf.checkHost(h)).toBe(h);
    for (const ip of ['127.0.0.1', '::1', '192.168.1.20', 'fd00::20']) expect(leaf.checkIP(ip)).toBeTruthy();
    expect(leaf.checkHost('other.test')).toBeUndefined();
    const ca = new X509Certificate(c.caPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
    expect(c.caFingerprint).toBe(ca.fingerprint256);
    expect(c.caSpkiSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const days = (new Date(leaf.validTo).getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(SERVER_VALIDITY_DAYS);
    for (const f of ['ca.key', 'server.key']) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('keeps the same CA and server certificate on a restart, re-issues only the server certificate when the name or addresses change', async () => {
    const dir = tmp();
    const first = await ensureEdgeCertificates({ dir, hostname: 'till-edge.test', addresses: ['10.0.0.5'] });
    const again = await ensureEdgeCertificates({ dir, hostname: 'till-edge.test', addresses: ['10.0.0.5'] });
    expect(again.issued).toBe('nothing');
    expect(again.cert).toBe(first.cert);
    expect(again.caFingerprint).toBe(first.caFingerprint);

    const renamed = await ensureEdgeCertificates({ dir, hostname: 'shop-7.lan', addresses: ['10.0.0.5'] });
    expect(renamed.issued).toBe('server');
    expect(renamed.caFingerprint).toBe(first.caFingerprint);
    expect(leafOf(renamed.cert).checkHost('shop-7.lan')).toBe('shop-7.lan');
    expect(leafOf(renamed.cert).checkHost('till-edge.test')).toBeUndefined();

    const moved = await ensureEdgeCertificates({ dir, hostname: 'shop-7.lan', addresses: ['10.0.0.9'] });
    expect(moved.issued).toBe('server');
    expect(leafOf(moved.cert).checkIP('10.0.0.9')).toBeTruthy();
    expect(leafOf(moved.cert).checkIP('10.0.0.5')).toBeUndefined();
    expect(readFileSync(path.join(dir, 'ca.crt'), 'utf8')).toBe(first.caPem);
  });

  it('renews the server certificate before it expires', async () => {
    const dir = tmp();
    const past = new Date(Date.now() - (SERVER_VALIDITY_DAYS - RENEW_BEFORE_DAYS + 1) * 86_400_000);
    const old = await ensureEdgeCertificates({ dir, hostname: 'till-edge.test', addresses: [], now: past });
    const renewed = await ensureEdgeCertificates({ dir, hostname: 'till-edge.test', addresses: [] });
    expect(renewed.issued).toBe('server');
    expect(renewed.notAfter.getTime()).toBeGreaterThan(old.notAfter.getTime());
    expect(renewed.caFingerprint).toBe(old.caFingerprint);
  });

  it('stops with one clear line when the folder cannot be written or the CA is half there', async () => {
    const file = path.join(tmp(), '..', 'not-a-dir');
    await import('node:fs').then((fs) => fs.writeFileSync(file, ''));
    await expect(ensureEdgeCertificates({ dir: path.join(file, 'tls'), hostname: 'a.test', addresses: [] })).rejects.toThrow(
      /^cannot write the edge's certificates to .*: set TILL_TLS_DIR/,
    );
    const dir = tmp();
    await ensureEdgeCertificates({ dir, hostname: 'a.test', addresses: [] });
    rmSync(path.join(dir, 'ca.key'));
    await expect(ensureEdgeCertificates({ dir, hostname: 'a.test', addresses: [] })).rejects.toBeInstanceOf(TlsSetupError);
  });
});
