// One backup: a consistent copy of the database, the store CA and the database password, in one tar
// file with a SHA-256 checksum file beside it, verified after writing, recorded in `backups`.
// The file is as secret as the data folder: it holds the CA's private key and every signing key.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import type { Database } from '../../db/client';
import type { EmbeddedDatabase } from '../../db/embedded';
import { appliedMigrationCount, expectedMigration } from '../../db/migrate';
import { failBackupRecord, finishBackupRecord, startBackupRecord, type BackupKind } from '../../services/backups';
import { resolveAppVersion } from '../app-version';
import type { BackupSettings } from './settings';
import { listTar, readTarEntry, tarEntryStream, writeTar, type TarSource } from './tar';

export const BACKUP_FORMAT = 'till-backup/1';
const FILE_PATTERN = /^till-backup-\d{8}T\d{6}(\d{3})?Z-[a-z]+\.tar$/;

export type BackupSource =
  /** The embedded database: its owner's consistent dump of the data folder (EmbeddedDatabase.dumpDataDir). */
  | { backend: 'pglite'; dump: () => Promise<Blob> }
  /** A PostgreSQL server: pg_dump's custom format. */
  | { backend: 'postgres'; url: string };

/** How an edge's database is backed up: the owner's PGlite dump, or pg_dump for DATABASE_URL. */
export function backupSource(edge: { embedded?: EmbeddedDatabase; url: string }): BackupSource {
  const embedded = edge.embedded;
  return embedded ? { backend: 'pglite', dump: () => embedded.dumpDataDir() } : { backend: 'postgres', url: edge.url };
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  backupId: string;
  kind: BackupKind;
  takenAt: string;
  backend: 'pglite' | 'postgres';
  appVersion: string;
  appliedMigrations: number;
  latestMigration: string;
  database: { entry: string; bytes: number; sha256: string };
  /** Other entries: the store CA (tls/ca.crt, tls/ca.key) and the embedded database's password. */
  files: string[];
}

export interface BackupResult {
  id: string;
  file: string;
  bytes: number;
  sha256: string;
  ms: number;
  takenAt: Date;
}

// The version of the app that wrote the backup, as the edge itself reports it (TILL_APP_VERSION for a
// build that must look like another release, else package.json); 'unknown' rather than no backup.
const appVersion = (): string => {
  try {
    return resolveAppVersion(path.resolve(__dirname, '../..'));
  } catch {
    return 'unknown';
  }
};

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d{3})Z$/, '$1Z');

async function sha256Of(stream: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of stream) h.update(chunk as Buffer);
  return h.digest('hex');
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, stdin?: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('error', (e) =>
      reject((e as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(`${cmd} is not installed: apt-get install postgresql-client`) : e),
    );
    if (stdin) stdin.pipe(child.stdin!).on('error', () => undefined);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} failed (${code}): ${err.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

/** libpq settings for a URL, the password in the environment rather than on the command line. */
export function libpqEnv(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/**
 * Takes, writes, verifies and records one backup. Throws (after recording the failure) when any
 * step fails; a half-written file never carries the final name.
 */
export async function takeBackup(opts: {
  database: Database;
  source: BackupSource;
  settings: Pick<BackupSettings, 'dir' | 'keep' | 'tlsDir' | 'passwordFile'>;
  kind: BackupKind;
  by?: string;
  /** A `requested` row to fulfil (admin "Back up now", CLI while an edge runs). */
  requestId?: string;
  /** false before the `backups` table exists (a backup before the first migrations that create it). */
  record?: boolean;
}): Promise<BackupResult> {
  const t0 = Date.now();
  const record = opts.record !== false;
  const id = record ? await startBackupRecord(opts.database, { kind: opts.kind, by: opts.by, requestId: opts.requestId }) : randomUUID();
  const { dir } = opts.settings;
  const work = path.join(os.tmpdir(), `till-backup-${process.pid}-${randomUUID()}`);
  let partial: string | undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    mkdirSync(work, { mode: 0o700 });
    const appliedMigrations = await appliedMigrationCount(opts.database);
    const takenAt = new Date();
    let dbEntry: TarSource;
    if (opts.source.backend === 'pglite') {
      const blob = await opts.source.dump();
      dbEntry = { name: 'database.tar.gz', data: Buffer.from(await blob.arrayBuffer()) };
    } else {
      const dumpFile = path.join(work, 'database.pgdump');
      const { dbname, env } = libpqEnv(opts.source.url);
      await run('pg_dump', ['--format=custom', '--no-password', `--file=${dumpFile}`, `--dbname=${dbname}`], env);
      dbEntry = { name: 'database.pgdump', path: dumpFile };
    }
    const dbSha = await sha256Of('data' in dbEntry ? Readable.from([dbEntry.data]) : createReadStream(dbEntry.path));
    const dbBytes = 'data' in dbEntry ? dbEntry.data.length : statSync(dbEntry.path).size;

    const extra: TarSource[] = [];
    for (const [name, file, mode] of [
      ['tls/ca.crt', path.join(opts.settings.tlsDir, 'ca.crt'), 0o644],
      ['tls/ca.key', path.join(opts.settings.tlsDir, 'ca.key'), 0o600],
      ...(opts.source.backend === 'pglite' ? [['secrets/db-password', opts.settings.passwordFile, 0o600] as const] : []),
    ] as const) {
      if (existsSync(file)) extra.push({ name, mode, data: readFileSync(file) });
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      backupId: id,
      kind: opts.kind,
      takenAt: takenAt.toISOString(),
      backend: opts.source.backend,
      appVersion: appVersion(),
      appliedMigrations,
      latestMigration: expectedMigration,
      database: { entry: dbEntry.name, bytes: dbBytes, sha256: dbSha },
      files: extra.map((e) => e.name),
    };

    const name = `till-backup-${stamp(takenAt)}-${opts.kind}.tar`;
    const final = path.join(dir, name);
    partial = path.join(dir, `.${name}.partial`);
    const out = createWriteStream(partial, { mode: 0o600 });
    await writeTar(out, [{ name: 'manifest.json', mode: 0o644, data: Buffer.from(JSON.stringify(manifest, null, 2)) }, dbEntry, ...extra], takenAt);
    out.end();
    await once(out, 'close');
    const fd = openSync(partial, 'r');
    fsyncSync(fd);
    closeSync(fd);

    // Verify what is on the disk, not what was meant to be written.
    const verified = await verifyBackupFile(partial);
    if (verified.manifest.database.sha256 !== dbSha) throw new Error('backup verification failed: the database copy on disk differs');
    renameSync(partial, final);
    partial = undefined;
    writeFileSync(`${final}.sha256`, `${verified.sha256}  ${name}\n`, { mode: 0o644 });
    const bytes = statSync(final).size;
    if (record) await finishBackupRecord(opts.database, id, { file: final, bytes, sha256: verified.sha256 });
    pruneBackups(dir, opts.settings.keep);
    return { id, file: final, bytes, sha256: verified.sha256, ms: Date.now() - t0, takenAt };
  } catch (e) {
    if (partial) rmSync(partial, { force: true });
    if (record) await failBackupRecord(opts.database, id, (e as Error).message).catch(() => undefined);
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Reads a backup file back: every tar header, the manifest, the database entry's SHA-256 against the
 * manifest and its own integrity (gzip stream for PGlite, pg_restore's table of contents for
 * PostgreSQL). Returns the whole file's SHA-256.
 */
export async function verifyBackupFile(file: string): Promise<{ sha256: string; manifest: BackupManifest }> {
  const entries = listTar(file);
  const m = entries.find((e) => e.name === 'manifest.json');
  if (!m) throw new Error(`${file} is not a Till backup (no manifest.json)`);
  const manifest = JSON.parse(readTarEntry(file, m).toString('utf8')) as BackupManifest;
  // Typed as what we write, but the file may come from anywhere: compare what it really holds.
  const format: unknown = manifest.format;
  if (format !== BACKUP_FORMAT) throw new Error(`${file} has backup format ${String(format)}; this version reads ${BACKUP_FORMAT}`);
  const db = entries.find((e) => e.name === manifest.database.entry);
  if (!db || db.size !== manifest.database.bytes) throw new Error(`${file}: the database entry is missing or truncated`);
  if ((await sha256Of(tarEntryStream(file, db))) !== manifest.database.sha256)
    throw new Error(`${file}: the database entry's checksum does not match its manifest`);
  if (manifest.backend === 'pglite') {
    await pipeline(tarEntryStream(file, db), createGunzip(), async function* (src) {
      for await (const _ of src) void _;
    });
  } else {
    await run('pg_restore', ['--list'], process.env, tarEntryStream(file, db));
  }
  return { sha256: await sha256Of(createReadStream(file)), manifest };
}

/** Keeps the newest `keep` backup files (and their checksum files); touches nothing else in the folder. */
export function pruneBackups(dir: string, keep: number): string[] {
  const ours = readdirSync(dir)
    .filter((f) => FILE_PATTERN.test(f))
    .sort()
    .reverse();
  const removed = ours.slice(keep);
  for (const f of removed) {
    rmSync(path.join(dir, f), { force: true });
    rmSync(path.join(dir, `${f}.sha256`), { force: true });
  }
  return removed;
}

/** Newest backup files first. */
export function backupFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => FILE_PATTERN.test(f))
    .sort()
    .reverse()
    .map((f) => path.join(dir, f));
}
