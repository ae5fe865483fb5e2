// The store's own certificate authority and the edge's server certificate (ADR 602).
// The CA is created once and kept: registers install it once and stay trusted across restarts and
// renewals. The server certificate is re-issued whenever the name or the machine's addresses change,
// or when it nears expiry, and it always covers EDGE_HOSTNAME, localhost and the loopback addresses.
import 'reflect-metadata';
import { createHash, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
const CA_YEARS = 20;
/** Apple platforms refuse server certificates valid for more than 825 days; stay well under. */
export const SERVER_VALIDITY_DAYS = 397;
export const RENEW_BEFORE_DAYS = 30;

export class TlsSetupError extends Error {}

export interface EdgeCertificates {
  dir: string;
  /** PEM key and chain (server, then CA) for the TLS server. */
  key: string;
  cert: string;
  caPem: string;
  /** SHA-256 of the CA certificate, colon-separated hex: what a person compares on the register. */
  caFingerprint: string;
  /** base64 SHA-256 of the CA's public key (SPKI): what Chromium's certificate pinning flags take. */
  caSpkiSha256: string;
  names: string[];
  notAfter: Date;
  /** What this call had to create. */
  issued: 'ca-and-server' | 'server' | 'nothing';
}

const files = (dir: string) => ({
  caKey: path.join(dir, 'ca.key'),
  caCert: path.join(dir, 'ca.crt'),
  key: path.join(dir, 'server.key'),
  cert: path.join(dir, 'server.crt'),
});

function writeAtomic(file: string, data: string, mode: number) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

function serial(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[0] = b[0]! & 0x7f; // positive
  return Buffer.from(b).toString('hex');
}

async function exportKey(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await globalThis.crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new TlsSetupError('the store CA key file holds no key');
  return globalThis.crypto.subtle.importKey('pkcs8', der, ALG, false, ['sign']);
}

async function createCa(hostname: string, now: Date) {
  const keys = await globalThis.crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Till store CA (${hostname}, ${now.toISOString().slice(0, 10)}), O=Till`,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + CA_YEARS * 365 * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keyPem: await exportKey(keys.privateKey), certPem: cert.toString('pem') };
}

async function issueServer(ca: { keyPem: string; certPem: string }, names: string[], now: Date) {
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await globalThis.crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0]}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + SERVER_VALIDITY_DAYS * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: await importKey(ca.keyPem),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: net.isIP(n) ? 'ip' : 'dns', value: n }) as const)),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { keyPem: await exportKey(keys.privateKey), certPem: cert.toString('pem') };
}

/** The names a server certificate for this edge must cover, edge name first. */
export function certificateNames(hostname: string, addresses: string[]): string[] {
  return [...new Set([hostname.toLowerCase(), 'localhost', '127.0.0.1', '::1', ...addresses])];
}

const covers = (cert: X509Certificate, name: string) => (net.isIP(name) ? cert.checkIP(name) : cert.checkHost(name, { wildcards: false })) !== undefined;

/** Why the existing server certificate cannot be kept, or undefined when it can. */
function staleReason(cert: X509Certificate, ca: X509Certificate, names: string[], now: Date): string | undefined {
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'not issued by the store CA';
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY) return 'expires soon';
  const missing = names.filter((n) => !covers(cert, n));
  if (missing.length) return `does not cover ${missing.join(', ')}`;
  // A name or address the edge no longer has is dropped, so the certificate says where the edge is now.
  const sanCount = (cert.subjectAltName ?? '').split(', ').filter(Boolean).length;
  if (sanCount !== names.length) return 'names something the edge no longer has';
  return undefined;
}

function prepareDir(dir: string) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const probe = path.join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '', { mode: 0o600 });
    unlinkSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new TlsSetupError(`cannot write the edge's certificates to ${dir} (${code}): set TILL_TLS_DIR to a folder the edge's user owns`);
  }
}

/**
 * Loads or creates the store CA and a server certificate covering `hostname`, loopback and `addresses`.
 * Keys are written 0600 in a 0700 folder.
 */
export async function ensureEdgeCertificates(opts: { dir: string; hostname: string; addresses: string[]; now?: Date }): Promise<EdgeCertificates> {
  const now = opts.now ?? new Date();
  const f = files(opts.dir);
  prepareDir(opts.dir);
  let issued: EdgeCertificates['issued'] = 'nothing';

  let ca: { keyPem: string; certPem: string };
  if (existsSync(f.caKey) && existsSync(f.caCert)) {
    ca = { keyPem: readFileSync(f.caKey, 'utf8'), certPem: readFileSync(f.caCert, 'utf8') };
    chmodSync(f.caKey, 0o600);
  } else if (existsSync(f.caKey) !== existsSync(f.caCert)) {
    throw new TlsSetupError(
      `${opts.dir} has only one of ca.key and ca.crt: restore the missing file from a backup, or remove both to create a new store CA (every register must then install it again)`,
    );
  } else {
    ca = await createCa(opts.hostname, now);
    writeAtomic(f.caKey, ca.keyPem, 0o600);
    writeAtomic(f.caCert, ca.certPem, 0o644);
    issued = 'ca-and-server';
  }
  const caX509 = new X509Certificate(ca.certPem);
  const names = certificateNames(opts.hostname, opts.addresses);

  let server: { keyPem: string; certPem: string } | undefined;
  if (issued === 'nothing' && existsSync(f.key) && existsSync(f.cert)) {
    const current = { keyPem: readFileSync(f.key, 'utf8'), certPem: readFileSync(f.cert, 'utf8') };
    if (!staleReason(new X509Certificate(current.certPem), caX509, names, now)) server = current;
    chmodSync(f.key, 0o600);
  }
  if (!server) {
    server = await issueServer(ca, names, now);
    writeAtomic(f.key, server.keyPem, 0o600);
    writeAtomic(f.cert, server.certPem, 0o644);
    if (issued === 'nothing') issued = 'server';
  }

  const leaf = new X509Certificate(server.certPem);
  const uncovered = names.find((n) => !covers(leaf, n));
  if (uncovered) throw new TlsSetupError(`the server certificate in ${opts.dir} does not cover ${uncovered}: remove server.crt and server.key and start again`);

  return {
    dir: opts.dir,
    key: server.keyPem,
    cert: `${server.certPem.trim()}\n${ca.certPem.trim()}\n`,
    caPem: ca.certPem,
    caFingerprint: caX509.fingerprint256,
    caSpkiSha256: spkiSha256(caX509),
    names,
    notAfter: new Date(leaf.validTo),
    issued,
  };
}

export function spkiSha256(cert: X509Certificate): string {
  return createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}
