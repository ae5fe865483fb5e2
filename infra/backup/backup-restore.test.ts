// Back up a store that sells, keep selling, restore into a new folder (or empty database) and open it:
// what the backup had is there, what came later is not until the register pushes it again, and then
// exactly once; receipt numbers move to a new epoch; shapes must refetch; the gap is recorded.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded';
import { migrateDatabase } from '../../db/migrate';
import { databasePasswordFile } from '../../db/password-file';
import { BACKUP_HEARTBEAT } from '../../functions/lib/store-metrics';
import { BACKUP_HEARTBEAT_NAME, lastRestore, requestBackup, getBackup } from '../../services/backups';
import { authenticateDevice, issuePairingCode, pairRegister } from '../../services/device-auth';
import { seedDemo } from '../../seeds/demo';
import { appliers } from '../../services/posting/appliers';
import { ingestEvents } from '../../services/posting/ingest';
import { handleShapeRequest } from '../../sync/shape-server';
import { backends, createTestDatabase, type Backend, type TestDatabase } from '../../test/databases';
import { catalogRows, line, saleEvent } from '../../test/fixtures/register-sale';
import { resolveAppVersion } from '../app-version';
import { takeBackup, type BackupSource } from './backup';
import { restoreBackup, RestoreError } from './restore';
import { startBackupScheduler } from './scheduler';
import type { BackupSettings } from './settings';
import { listTar } from './tar';

// A whole backup and restore of an embedded database is tens of seconds of disk work on a loaded machine.
describe.each(backends)('backup and restore on %s', { timeout: 120_000 }, (backend: Backend) => {
  let root: string;
  let source: { database: Database; url: string; embedded?: EmbeddedDatabase; pg?: TestDatabase; dataDir: string };
  let settings: BackupSettings;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'till-backup-test-'));
    const dataDir = path.join(root, 'edge-a', 'pglite');
    if (backend === 'pglite') {
      const embedded = await startEmbeddedDatabase({ dataDir });
      source = { database: openDatabase(embedded.url, { max: 4 }), url: embedded.url, embedded, dataDir };
    } else {
      const pg = await createTestDatabase('postgres');
      source = { database: openDatabase(pg.url, { max: 4 }), url: pg.url, pg, dataDir };
    }
    await migrateDatabase(source.database);
    const tlsDir = path.join(root, 'edge-a', 'tls');
    mkdirSync(tlsDir, { recursive: true });
    writeFileSync(path.join(tlsDir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nstore-ca\n-----END CERTIFICATE-----\n');
    writeFileSync(path.join(tlsDir, 'ca.key'), 'store-ca-private-key\n', { mode: 0o600 });
    settings = {
      dir: path.join(root, 'usb', 'backups'),
      keep: 3,
      intervalMs: 0,
      tlsDir,
      dataDir,
      passwordFile: databasePasswordFile(dataDir),
      externalUrl: backend === 'postgres' ? source.url : undefined,
    };
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await source?.database.close();
    await source?.embedded?.stop();
    await source?.pg?.dispose();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const dbSource = (): BackupSource =>
    source.embedded ? { backend: 'pglite', dump: () => source.embedded!.dumpDataDir() } : { backend: 'postgres', url: source.url };

  /** A fresh, empty restore target: a new data folder, or a new empty PostgreSQL database. */
  async function restoreTarget(): Promise<{ settings: BackupSettings; open: () => Promise<Database> }> {
    const dataDir = path.join(mkdtempSync(path.join(root, 'edge-b-')), 'pglite');
    const tlsDir = path.join(path.dirname(dataDir), 'tls');
    if (backend === 'pglite') {
      return {
        settings: { ...settings, dataDir, tlsDir, passwordFile: databasePasswordFile(dataDir), externalUrl: undefined },
        open: async () => {
          const e = await startEmbeddedDatabase({ dataDir });
          const d = openDatabase(e.url, { max: 4 });
          cleanups.push(async () => {
            await d.close();
            await e.stop();
          });
          return d;
        },
      };
    }
    const pg = await createTestDatabase('postgres');
    cleanups.push(() => pg.dispose());
    return {
      settings: { ...settings, dataDir, tlsDir, externalUrl: pg.url },
      open: async () => {
        const d = openDatabase(pg.url, { max: 4 });
        cleanups.push(() => d.close());
        return d;
      },
    };
  }

  it('restores what the backup had; re-pushed later sales are booked once, in a new receipt epoch, with shapes refetched', async () => {
    const db = source.database;
    await seedDemo(db, { itemsPerCompany: 10, sharedBarcodes: 3, customers: 4 });
    const reg = (await db.pool.query(`SELECT id FROM registers ORDER BY code LIMIT 1`)).rows[0].id;
    const paired = await pairRegister(db, { pairingCode: (await issuePairingCode(db, reg)).code, appVersion: 'test' });
    const auth = `Bearer ${paired.token}`;
    const identity = await authenticateDevice(db, auth);
    const cashierId = (await db.pool.query(`SELECT id FROM cashiers ORDER BY name LIMIT 1`)).rows[0].id as string;
    const uCompany = identity.devices.find((d) => d.companyCode === 'U')!.companyId;
    const rows = await catalogRows(db, uCompany, 2);
    const sell = (seq: number) => saleEvent(identity, 'U', { seq, cashierId, lines: [line(rows[seq % 2]!, uCompany)] });

    const before = [sell(1), sell(2)];
    expect((await ingestEvents(db, identity, before, appliers)).map((r) => r.status)).toEqual(['accepted', 'accepted']);

    const backup = await takeBackup({ database: db, source: dbSource(), settings, kind: 'cli', by: 'test' });
    expect(backup.file.startsWith(settings.dir)).toBe(true);
    expect(readFileSync(`${backup.file}.sha256`, 'utf8')).toBe(`${backup.sha256}  ${path.basename(backup.file)}\n`);
    expect(statSync(backup.file).mode & 0o077).toBe(0); // secret: the CA key and the database's keys are inside
    const names = listTar(backup.file).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['manifest.json', backend === 'pglite' ? 'database.tar.gz' : 'database.pgdump', 'tls/ca.crt', 'tls/ca.key']));
    if (backend === 'pglite') expect(names).toContain('secrets/db-password');
    const row = (await db.pool.query(`SELECT result, file, bytes, sha256, started_at, finished_at FROM backups WHERE id = $1`, [backup.id])).rows[0];
    expect(row).toMatchObject({ result: 'ok', file: backup.file, bytes: backup.bytes, sha256: backup.sha256 });
    expect(BACKUP_HEARTBEAT_NAME).toBe(BACKUP_HEARTBEAT);
    const beat = (await db.pool.query(`SELECT beat_at FROM heartbeats WHERE name = $1`, [BACKUP_HEARTBEAT])).rows[0];
    expect(beat.beat_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());

    // Sold after the backup: pushed and acknowledged, and still held by the register.
    const after = [sell(3), sell(4)];
    expect((await ingestEvents(db, identity, after, appliers)).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    // A register synced to the very end of the change log.
    const scope = { companyIds: identity.companyIds, registerId: identity.registerId, deviceIds: identity.devices.map((d) => d.id) };
    const now = await handleShapeRequest(db, { method: 'GET', query: { table: 'sales', offset: 'now' } }, scope);
    expect(now.status).toBe(200);
    const handle = now.headers['electric-handle'] as string;
    const offset = now.headers['electric-offset'] as string;
    expect((await handleShapeRequest(db, { method: 'GET', query: { table: 'sales', offset, handle } }, scope)).status).toBe(200);

    const target = await restoreTarget();
    const report = await restoreBackup({ file: backup.file, settings: target.settings });
    expect(report.manifest.takenAt).toBe(backup.takenAt.toISOString());
    expect(report.manifest.appVersion).toBe(resolveAppVersion(path.resolve(__dirname, '../..')));
    expect(report.devices.map((d) => [d.company, d.from, d.to])).toEqual(
      expect.arrayContaining([
        ['U', 'R01', 'R01B'],
        ['O', 'R01', 'R01B'],
      ]),
    );
    expect(report.devices.find((d) => d.company === 'U' && d.register === 'R01')!.lastKnownReceipt).toBe(before[1]!.receiptNumber);
    expect(readFileSync(path.join(target.settings.tlsDir, 'ca.key'), 'utf8')).toBe('store-ca-private-key\n');
    if (backend === 'pglite') {
      expect(readFileSync(target.settings.passwordFile, 'utf8')).toBe(readFileSync(settings.passwordFile, 'utf8'));
      expect(statSync(target.settings.passwordFile).mode & 0o077).toBe(0);
    }

    const restored = await target.open();
    const receipts = async () => (await restored.pool.query(`SELECT receipt_number FROM sales ORDER BY receipt_number`)).rows.map((r) => r.receipt_number);
    expect(await receipts()).toEqual(before.map((e) => e.receiptNumber));

    // The gap is on record: when the backup was taken, and where each series stood.
    const restore = await lastRestore(restored);
    expect(restore?.detail).toMatchObject({ backupTakenAt: backup.takenAt.toISOString(), sha256: backup.sha256 });
    expect((await restored.pool.query(`SELECT result FROM backups WHERE id = $1`, [backup.id])).rows[0].result).toBe('ok');

    // The register's shapes from before the restore must refetch, now and after new writes.
    const stale = await handleShapeRequest(restored, { method: 'GET', query: { table: 'sales', offset, handle } }, scope);
    expect(stale.status).toBe(409);

    // The register still holds the later sales and pushes them again: booked once, however often.
    const again = await authenticateDevice(restored, auth);
    expect(again.devices.map((d) => d.code)).toEqual(['R01B', 'R01B']);
    const first = await ingestEvents(restored, again, after, appliers);
    expect(first.map((r) => [r.status, r.duplicate ?? false])).toEqual([
      ['accepted', false],
      ['accepted', false],
    ]);
    const second = await ingestEvents(restored, again, [...before, ...after], appliers);
    expect(second.every((r) => r.status === 'accepted' && r.duplicate)).toBe(true);
    expect(await receipts()).toEqual([...before, ...after].map((e) => e.receiptNumber));

    // New sales number in the new epoch: nothing printed after the backup is ever reissued.
    const fresh = saleEvent(again, 'U', { seq: 1, cashierId, lines: [line(rows[0]!, uCompany)] });
    expect(fresh.receiptNumber).toBe('U-R01B-000001');
    expect((await ingestEvents(restored, again, [fresh], appliers))[0]!.status).toBe('accepted');
    const stillStale = await handleShapeRequest(restored, { method: 'GET', query: { table: 'sales', offset, handle } }, scope);
    expect(stillStale.status).toBe(409);
  });

  it('refuses to restore over a database that is not empty, or a file that fails its checksum', async () => {
    const backup = await takeBackup({ database: source.database, source: dbSource(), settings, kind: 'cli' });
    // Over the live database itself.
    await expect(restoreBackup({ file: backup.file, settings })).rejects.toThrow(/refusing to restore: .*not empty/);

    const target = await restoreTarget();
    const damaged = path.join(root, 'damaged.tar');
    copyFileSync(backup.file, damaged);
    copyFileSync(`${backup.file}.sha256`, `${damaged}.sha256`);
    const bytes = readFileSync(damaged);
    bytes[bytes.length - 2048] = bytes[bytes.length - 2048]! ^ 0xff;
    writeFileSync(damaged, bytes);
    await expect(restoreBackup({ file: damaged, settings: target.settings })).rejects.toThrow(/does not match its checksum/);
    rmSync(`${damaged}.sha256`);
    await expect(restoreBackup({ file: damaged, settings: target.settings })).rejects.toThrow(RestoreError);
    if (backend === 'pglite') expect(existsSync(target.settings.dataDir)).toBe(false);

    // Another store's CA in the target TLS folder is never overwritten.
    mkdirSync(target.settings.tlsDir, { recursive: true });
    writeFileSync(path.join(target.settings.tlsDir, 'ca.crt'), 'another store\n');
    await expect(restoreBackup({ file: backup.file, settings: target.settings })).rejects.toThrow(/different store CA/);
  });

  it('keeps BACKUP_KEEP files, and takes a requested backup in the process that owns the database', async () => {
    const { id } = await requestBackup(source.database, { kind: 'manual', by: 'admin@example.test' });
    expect((await requestBackup(source.database, { kind: 'manual', by: 'someone else' })).queued).toBe(false);
    const logged: string[] = [];
    const job = startBackupScheduler({ database: source.database, source: dbSource(), settings, log: (m) => logged.push(m), pollMs: 20 });
    try {
      for (let i = 0; i < 1000; i++) {
        const row = await getBackup(source.database, id);
        if (row?.result === 'ok' || row?.result === 'failed') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await job.stop();
    }
    expect(await getBackup(source.database, id)).toMatchObject({ result: 'ok', kind: 'manual', requestedBy: 'admin@example.test' });
    expect(logged).toContain('backup written');
    for (let i = 0; i < 3; i++) await takeBackup({ database: source.database, source: dbSource(), settings, kind: 'cli' });
    const files = (await import('./backup')).backupFiles(settings.dir);
    expect(files).toHaveLength(settings.keep);
    for (const f of files) expect(existsSync(`${f}.sha256`)).toBe(true);
  });
});
