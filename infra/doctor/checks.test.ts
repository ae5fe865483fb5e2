// The doctor's checks that need no database: certificates from a generated TLS folder, the public
// port against a real https server, disk, the backup folder, and the fail-soft wrapper.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDatabasePassword, databasePasswordFile } from '../../db/password-file';
import { freePort } from '../free-port';
import { ensureEdgeCertificates } from '../tls/store-certificates';
import { backupFolderFinding } from './backups';
import { checkCertificate } from './certificate';
import { formatAge, formatLine, runCheck, withDatabase } from './check';
import { checkDatabase, openDoctorDatabase } from './database';
import { checkDisk, diskVerdict } from './disk';
import { checkEdge } from './edge';
import { runDoctor } from './run';

const DAY = 86_400_000;
const HOST = 'till-edge.test';
const root = mkdtempSync(path.join(os.tmpdir(), 'till-doctor-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A TLS folder as the edge writes it, issued as if at `now`. */
async function tlsDir(opts: { now?: Date; hostname?: string } = {}) {
  const dir = path.join(root, `tls-${++n}`);
  const certs = await ensureEdgeCertificates({ dir, hostname: opts.hostname ?? HOST, addresses: [], now: opts.now });
  return { dir, certs };
}

describe('fail soft', () => {
  it('turns a check that throws or hangs into its own FAIL line', async () => {
    const thrown = await runCheck('disk', () => {
      throw Object.assign(new Error('statfs failed'), { code: 'EIO' });
    });
    expect(thrown).toEqual({ name: 'disk', verdict: 'FAIL', detail: 'check failed: EIO: statfs failed' });
    const hung = await runCheck('edge', () => new Promise(() => undefined), 50);
    expect(hung).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('no answer within') });
  });

  it('skips a database check with a FAIL line naming why the database is unreachable', async () => {
    const r = await withDatabase('worker', { where: 'x', problem: 'long story', cause: 'nothing answers at 127.0.0.1:1' }, () =>
      Promise.reject(new Error('must not run')),
    );
    expect(formatLine(r)).toBe('FAIL worker      not checked: database unreachable (nothing answers at 127.0.0.1:1): see the database line');
  });

  it('formats ages for people', () => {
    expect([45_000, 12 * 60_000, 3 * 3_600_000 + 5 * 60_000, 52 * 3_600_000].map(formatAge)).toEqual(['45 s', '12 min', '3 h 5 min', '2 d 4 h']);
  });
});

describe('certificate', () => {
  it('is OK for a fresh certificate covering EDGE_HOSTNAME, and FAILs for another name', async () => {
    const { dir } = await tlsDir();
    const ok = checkCertificate({ tlsDir: dir, edgeHostname: HOST });
    expect(ok.verdict).toBe('OK');
    expect(ok.detail).toMatch(/^server certificate covers till-edge\.test, expires \d{4}-\d\d-\d\d \(in 39[67] days\); store CA until 20\d\d/);
    const other = checkCertificate({ tlsDir: dir, edgeHostname: 'pos.example' });
    expect(other).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('does not cover EDGE_HOSTNAME pos.example') });
  });

  it('WARNs under 30 days and FAILs once expired, saying what to remove', async () => {
    const { dir: expiring, certs: soon } = await tlsDir({ now: new Date(Date.now() - 380 * DAY) });
    const w = checkCertificate({ tlsDir: expiring, edgeHostname: HOST });
    expect(w.verdict).toBe('WARN');
    expect(w.detail).toBe(`server certificate expires ${soon.notAfter.toISOString().slice(0, 10)} (in 16 days) and the edge has not renewed it`);

    const { dir: expired, certs: old } = await tlsDir({ now: new Date(Date.now() - 400 * DAY) });
    const f = checkCertificate({ tlsDir: expired, edgeHostname: HOST });
    expect(formatLine(f)).toBe(
      `FAIL certificate server certificate expired ${old.notAfter.toISOString().slice(0, 10)}: remove ${path.join(expired, 'server.crt')} and server.key and restart the edge`,
    );
  });

  it('FAILs without the store CA, its key, or a server certificate the CA signed', async () => {
    expect(checkCertificate({ tlsDir: path.join(root, 'none'), edgeHostname: HOST })).toMatchObject({
      verdict: 'FAIL',
      detail: expect.stringMatching(/^store CA .*ca\.crt missing$/),
    });
    const { dir } = await tlsDir();
    unlinkSync(path.join(dir, 'ca.key'));
    expect(checkCertificate({ tlsDir: dir, edgeHostname: HOST })).toMatchObject({ verdict: 'FAIL', fix: 'restore ca.key from a backup' });
    const a = await tlsDir();
    const b = await tlsDir();
    writeFileSync(path.join(a.dir, 'server.crt'), b.certs.cert.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n');
    expect(checkCertificate({ tlsDir: a.dir, edgeHostname: HOST })).toMatchObject({
      verdict: 'FAIL',
      detail: 'server certificate is not signed by the store CA in the folder',
    });
  });
});

describe('edge', () => {
  /** An https server with the edge's certificates answering /health with `status`/`body`. */
  async function healthServer(certs: { key: string; cert: string }, status: number, body: unknown) {
    const server = https.createServer({ key: certs.key, cert: certs.cert }, (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(r)) };
  }

  it('reads /health over https trusting only the store CA, as EDGE_HOSTNAME', async () => {
    const { dir, certs } = await tlsDir();
    const ok = await healthServer(certs, 200, { status: 'ok', database: { reachable: true }, migrations: { current: true }, worker: { alive: true } });
    try {
      const r = await checkEdge({ host: '0.0.0.0', port: ok.port, edgeHostname: HOST, tlsDir: dir });
      expect(r).toMatchObject({ verdict: 'OK', detail: expect.stringContaining(`https://${HOST}:${ok.port}/health answers ok`) });
      // Another store's CA does not vouch for this edge: what a register with the wrong CA would see.
      const stranger = await tlsDir();
      const untrusted = await checkEdge({ host: '127.0.0.1', port: ok.port, edgeHostname: HOST, tlsDir: stranger.dir });
      expect(untrusted).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('registers would not trust it') });
      // The certificate names till-edge.test, not this name.
      const wrongName = await checkEdge({ host: '127.0.0.1', port: ok.port, edgeHostname: 'pos.example', tlsDir: dir });
      expect(wrongName).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID') });
    } finally {
      await ok.close();
    }
  });

  it('WARNs on degraded, FAILs on down and when nothing answers', async () => {
    const { dir, certs } = await tlsDir();
    const degraded = await healthServer(certs, 200, { status: 'degraded', migrations: { current: true }, worker: { alive: false } });
    const down = await healthServer(certs, 503, { status: 'down', database: { reachable: false } });
    try {
      expect(await checkEdge({ host: '127.0.0.1', port: degraded.port, edgeHostname: HOST, tlsDir: dir })).toMatchObject({
        verdict: 'WARN',
        detail: expect.stringContaining('answers degraded: worker not alive'),
      });
      expect(await checkEdge({ host: '127.0.0.1', port: down.port, edgeHostname: HOST, tlsDir: dir })).toMatchObject({
        verdict: 'FAIL',
        detail: expect.stringContaining('answers down: the edge cannot reach its database'),
      });
    } finally {
      await degraded.close();
      await down.close();
    }
    const closed = await freePort();
    expect(await checkEdge({ host: '127.0.0.1', port: closed, edgeHostname: HOST, tlsDir: dir })).toMatchObject({
      verdict: 'FAIL',
      detail: expect.stringContaining('ECONNREFUSED): the edge is not running'),
    });
  });
});

describe('disk', () => {
  it('judges free space against 10 % and 2 %', () => {
    expect([diskVerdict(50, 100), diskVerdict(9, 100), diskVerdict(1, 100), diskVerdict(0, 0)]).toEqual(['OK', 'WARN', 'FAIL', 'FAIL']);
  });

  it('measures the data folder\u2019s filesystem, or its nearest existing parent', () => {
    const r = checkDisk({ dataDir: path.join(root, 'not', 'yet', 'created') });
    expect(r.detail).toMatch(new RegExp(`^\\d+\\.\\d GB free of \\d+\\.\\d GB \\(\\d+ %\\) on the filesystem of ${root}$`));
  });
});

describe('backup folder', () => {
  it('is writable, created later by the first backup, missing when set explicitly, or not a folder', () => {
    const dir = path.join(root, 'backups');
    expect(backupFolderFinding({ dir, explicit: false })).toMatchObject({ verdict: 'OK', detail: `BACKUP_DIR ${dir} will be created by the first backup` });
    expect(backupFolderFinding({ dir, explicit: true })).toMatchObject({ verdict: 'WARN', fix: expect.stringContaining('mount it') });
    mkdirSync(dir);
    expect(backupFolderFinding({ dir, explicit: true, dataDir: root })).toMatchObject({
      verdict: 'OK',
      detail: expect.stringContaining('writable (on the database\u2019s own disk'),
    });
    const file = path.join(root, 'a-file');
    writeFileSync(file, '');
    expect(backupFolderFinding({ dir: file, explicit: true }).verdict).toBe('FAIL');
    expect(backupFolderFinding({ dir: path.join(file, 'sub'), explicit: true })).toMatchObject({
      verdict: 'FAIL',
      detail: expect.stringContaining('which is not a folder'),
    });
  });
});

describe('database access', () => {
  it('names the missing password file, then a stopped edge', async () => {
    const dataDir = path.join(root, 'pglite');
    const env = { TILL_DATA_DIR: dataDir, PGLITE_PORT: String(await freePort()) };
    const none = await openDoctorDatabase(env);
    expect(none).toMatchObject({ cause: 'no database password file' });
    expect((await checkDatabase(none)).detail).toContain(`no password file ${databasePasswordFile(dataDir)}`);

    ensureDatabasePassword(databasePasswordFile(dataDir));
    const stopped = await openDoctorDatabase(env);
    const line = formatLine(await checkDatabase(stopped));
    expect(line).toMatch(
      /^FAIL database {4}embedded database at 127\.0\.0\.1:\d+ unreachable: nothing answers \(ECONNREFUSED\): the edge is not running: start it/,
    );
  });

  it('runs every check when the database is down, each database line naming the cause', async () => {
    const { dir } = await tlsDir();
    const dataDir = path.join(root, 'pglite-2');
    ensureDatabasePassword(databasePasswordFile(dataDir));
    const pglitePort = await freePort();
    const results = await runDoctor({
      TILL_DATA_DIR: dataDir,
      TILL_TLS_DIR: dir,
      EDGE_HOSTNAME: HOST,
      PORT: String(await freePort()),
      PGLITE_PORT: String(pglitePort),
      BACKUP_DIR: path.join(root, 'b2'),
    });
    const by = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(results.map((r) => r.name)).toEqual(['database', 'edge', 'certificate', 'disk', 'backups', 'registers', 'clock', 'rejections', 'worker']);
    expect(by.certificate!.verdict).toBe('OK');
    expect(by.edge).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('ECONNREFUSED') });
    const cause = `database unreachable (nothing answers at 127.0.0.1:${pglitePort}, the edge is not running)`;
    for (const name of ['registers', 'clock', 'rejections', 'worker']) expect(by[name]).toMatchObject({ verdict: 'FAIL', detail: `not checked: ${cause}` });
    expect(by.backups).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining(`last backup not checked: ${cause}`) });
  });

  it('stops at a bad setting with one line naming it', async () => {
    const r = await runDoctor({ EDGE_HOSTNAME: 'not a name' });
    expect(r).toEqual([expect.objectContaining({ name: 'config', verdict: 'FAIL', detail: expect.stringContaining('EDGE_HOSTNAME "not a name"') })]);
  });
});
