// Restore: a checked backup file into an EMPTY data folder (or an empty PostgreSQL database), the
// store CA back into the TLS folder, then what a database that went back in time needs before any
// register talks to it: every device moves to a new receipt epoch (numbers printed after the
// backup are never reissued, ADR 102), the change log restarts past every client's offset (shapes
// answer 409 must-refetch), and the gap is written to the audit log.
import { createHash } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { spawn } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../../db/client';
import { many, one, type Cols } from '../../db/query';
import type { devices as deviceTable } from '../../db/schema';
import { startEmbeddedDatabase } from '../../db/embedded';
import { databasePasswordFile } from '../../db/password-file';
import { advanceDeviceEpoch } from '../../services/device-auth';
import { restartChangeLog } from '../../db/change-log';
import { libpqEnv, verifyBackupFile, type BackupManifest } from './backup';
import { OperatorError } from './errors';
import type { BackupSettings } from './settings';
import { listTar, readTarEntry, tarEntryStream } from './tar';

/** A refusal or failure whose message is the whole story for the operator. */
export class RestoreError extends OperatorError {}

export interface DeviceMove {
  register: string;
  company: string;
  from: string;
  to: string;
  /** The last receipt number of the old series the restored database knows (the gap starts after it). */
  lastKnownReceipt: string | null;
}

export interface RestoreReport {
  manifest: BackupManifest;
  target: string;
  devices: DeviceMove[];
  ms: number;
}

async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The checksum file written beside the backup (`sha256sum -c` reads it too) must match. */
export async function checkBackupChecksum(file: string): Promise<string> {
  if (!existsSync(file)) throw new RestoreError(`no backup file at ${file}`);
  const sumFile = `${file}.sha256`;
  if (!existsSync(sumFile)) throw new RestoreError(`refusing to restore: the checksum file ${sumFile} is missing (copy it with the backup)`);
  const expected = readFileSync(sumFile, 'utf8').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const actual = await fileSha256(file);
  if (expected !== actual) throw new RestoreError(`refusing to restore: ${path.basename(file)} does not match its checksum file (damaged or incomplete copy)`);
  return actual;
}

function pgRestore(dumpFile: string, url: string): Promise<void> {
  const { dbname, env } = libpqEnv(url);
  return new Promise((resolve, reject) => {
    const child = spawn('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--no-password', `--dbname=${dbname}`, dumpFile], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new RestoreError(`pg_restore could not run (${e.message}): apt-get install postgresql-client`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new RestoreError(`pg_restore failed: ${err.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

/** Restores `file` as described above. The caller must not be running an edge on the target. */
export async function restoreBackup(opts: { file: string; settings: BackupSettings }): Promise<RestoreReport> {
  const t0 = Date.now();
  const file = path.resolve(opts.file);
  const sha256 = await checkBackupChecksum(file);
  let manifest: BackupManifest;
  try {
    manifest = (await verifyBackupFile(file)).manifest;
  } catch (e) {
    throw new RestoreError(`refusing to restore: ${(e as Error).message}`);
  }
  const entries = listTar(file);
  const entry = (name: string) => entries.find((e) => e.name === name);
  const { settings } = opts;

  // The store CA goes back where registers expect it; another store's CA is never overwritten.
  const tlsWrites: [string, Buffer, number][] = [];
  for (const [name, mode] of [
    ['tls/ca.crt', 0o644],
    ['tls/ca.key', 0o600],
  ] as const) {
    const e = entry(name);
    if (!e) continue;
    const data = readTarEntry(file, e);
    const target = path.join(settings.tlsDir, path.basename(name));
    if (existsSync(target)) {
      if (!readFileSync(target).equals(data)) {
        throw new RestoreError(
          `refusing to restore: ${settings.tlsDir} holds a different store CA; move that folder away so the restored edge keeps its registers' trust`,
        );
      }
    } else tlsWrites.push([target, data, mode]);
  }

  let database: Database;
  let close: () => Promise<void>;
  let target: string;
  if (settings.externalUrl) {
    if (manifest.backend !== 'postgres') {
      throw new RestoreError('this backup is of the embedded database: unset DATABASE_URL and restore it into an empty TILL_DATA_DIR');
    }
    target = settings.externalUrl.replace(/:[^:@/]*@/, ':***@');
    const probe = new pg.Client({ connectionString: settings.externalUrl });
    try {
      await probe.connect();
      const { n } = await one<{ n: number }>(probe, `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`);
      if (n > 0)
        throw new RestoreError(`refusing to restore: the database ${target} is not empty (${n} tables); create an empty database and point DATABASE_URL at it`);
    } catch (e) {
      if (e instanceof RestoreError) throw e;
      throw new RestoreError(`cannot reach the database ${target}: ${(e as Error).message}`);
    } finally {
      await probe.end().catch(() => undefined);
    }
    const work = path.join(os.tmpdir(), `till-restore-${process.pid}-${Date.now()}`);
    mkdirSync(work, { mode: 0o700 });
    try {
      const dump = path.join(work, 'database.pgdump');
      await pipeline(tarEntryStream(file, entry(manifest.database.entry)!), createWriteStream(dump, { mode: 0o600 }));
      await pgRestore(dump, settings.externalUrl);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    database = openDatabase(settings.externalUrl, { max: 2, applicationName: 'till-restore' });
    close = () => database.close();
  } else {
    if (manifest.backend !== 'pglite') {
      throw new RestoreError('this backup is of a PostgreSQL database: set DATABASE_URL to an empty PostgreSQL database to restore it');
    }
    const dataDir = settings.dataDir;
    target = dataDir;
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      throw new RestoreError(
        `refusing to restore: ${dataDir} is not empty (a live database?); stop the edge, move the folder away or set TILL_DATA_DIR to a new folder, and run the restore again`,
      );
    }
    mkdirSync(dataDir, { recursive: true });
    const tarball = readTarEntry(file, entry(manifest.database.entry)!);
    try {
      const loaded = await PGlite.create({ dataDir, loadDataDir: new Blob([new Uint8Array(tarball)]) });
      await loaded.close();
    } catch (e) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new RestoreError(`the database in ${path.basename(file)} could not be opened: ${(e as Error).message}`);
    }
    // The password travels inside the data folder's copy and beside it; either way it stays private.
    const pwFile = databasePasswordFile(dataDir);
    const pw = entry('secrets/db-password');
    if (!existsSync(pwFile) && pw) {
      mkdirSync(path.dirname(pwFile), { recursive: true, mode: 0o700 });
      writeFileSync(pwFile, readTarEntry(file, pw), { mode: 0o600 });
    }
    if (existsSync(pwFile)) {
      chmodSync(path.dirname(pwFile), 0o700);
      chmodSync(pwFile, 0o600);
    }
    const embedded = await startEmbeddedDatabase({ dataDir, port: 0 });
    database = openDatabase(embedded.url, { max: 2, applicationName: 'till-restore' });
    close = async () => {
      await database.close();
      await embedded.stop();
    };
  }

  try {
    const devices = await afterRestore(database, { manifest, file, sha256 });
    for (const [target, data, mode] of tlsWrites) {
      mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, data, { mode });
    }
    return { manifest, target, devices, ms: Date.now() - t0 };
  } finally {
    await close();
  }
}

/**
 * What a restored database needs before registers reach it (one transaction). Exported for tests
 * that restore by other means.
 */
export async function afterRestore(database: Database, ctx: { manifest: BackupManifest; file: string; sha256: string }): Promise<DeviceMove[]> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    await restartChangeLog(client);
    const devices = await many<Cols<typeof deviceTable, 'id' | 'company_id' | 'code'> & { base: string; company_code: string; last_receipt: string | null }>(
      client,
      `SELECT d.id, d.company_id, d.code, g.code AS base, c.code AS company_code,
              (SELECT s.receipt_number FROM sales s WHERE s.device_id = d.id AND s.receipt_number LIKE c.code || '-' || d.code || '-%'
                ORDER BY s.receipt_number DESC LIMIT 1) AS last_receipt
         FROM devices d JOIN registers g ON g.id = d.register_id JOIN companies c ON c.id = d.company_id
        ORDER BY g.code, c.code`,
    );
    const moves: DeviceMove[] = [];
    for (const d of devices) {
      const to = await advanceDeviceEpoch(client, d);
      moves.push({ register: d.base, company: d.company_code, from: d.code, to, lastKnownReceipt: d.last_receipt });
    }
    if ((await one<{ ok: boolean }>(client, `SELECT to_regclass('backups') IS NOT NULL AS ok`)).ok) {
      await client.query(
        `UPDATE backups SET result = 'failed', finished_at = now(), error = 'interrupted: the edge was restored from a backup'
          WHERE result IN ('requested', 'running') AND id <> $1`,
        [ctx.manifest.backupId],
      );
      // The backup's own row was still `running` when its copy was taken.
      await client.query(`UPDATE backups SET result = 'ok', finished_at = $2, file = $3, sha256 = $4, error = NULL WHERE id = $1`, [
        ctx.manifest.backupId,
        ctx.manifest.takenAt,
        ctx.file,
        ctx.sha256,
      ]);
    }
    await client.query(
      `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('system', 'restore', 'edge.restored', 'edge', $1, $2)`,
      [
        ctx.manifest.backupId,
        JSON.stringify({
          file: ctx.file,
          sha256: ctx.sha256,
          backupTakenAt: ctx.manifest.takenAt,
          appVersion: ctx.manifest.appVersion,
          gap: `sales and changes after ${ctx.manifest.takenAt} are not in this database until registers push them again`,
          devices: moves,
        }),
      ],
    );
    await client.query('COMMIT');
    return moves;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
