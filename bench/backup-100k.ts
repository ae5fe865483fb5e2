// Backup and restore of a 100k-item store (infra/backup: what `npm run backup` and `npm run restore`
// do), on the embedded PGlite and on PostgreSQL: the demo store plus 100,000 generated items (a
// barcode and a price each) and some pushed sales. Each run takes a backup (dump, tar, checksum,
// verify of what is on disk) and restores it into an empty folder / empty database (checks, load,
// receipt epochs, change-log restart, audit). Floors measured in the same run on the same data:
// - PGlite: `tar -czf` of the data folder, and `tar -xzf` of it into an empty folder;
// - PostgreSQL: `pg_dump -Fc`, and `pg_restore` of it into an empty database.
// `npm run bench -- backup100k`; BACKUP_ITEMS (default 100000), BACKUP_SALES (default 1000), BACKUP_RUNS (default 3).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../db/client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { databasePasswordFile } from '../db/password-file';
import { takeBackup, libpqEnv, type BackupSource } from '../infra/backup/backup';
import { restoreBackup } from '../infra/backup/restore';
import type { BackupSettings } from '../infra/backup/settings';
import { DEMO_SIZES } from '../seeds/demo';
import { appliers } from '../services/posting/appliers';
import { ingestEvents } from '../services/posting/ingest';
import { createTestDatabase, type Backend, type TestDatabase } from '../test/create-database';
import { catalogRows, line, pairedDemoRegister, saleEvent } from '../test/fixtures/register-sale';
import { generateCatalog } from './catalog-rows';
import { median } from './stats';

export interface Figures {
  runs: number[];
  median: number;
  /** max − min of the runs */
  spread: number;
}
const figures = (runs: number[]): Figures => ({ runs, median: Math.round(median(runs)), spread: Math.max(...runs) - Math.min(...runs) });

export interface BackupBenchResult {
  backend: Backend;
  databaseMb: number;
  backupMs: Figures;
  restoreMs: Figures;
  backupMb: number;
  floorBackupMs: Figures;
  floorRestoreMs: Figures;
  floorMb: number;
  floorBackupWhat: string;
  floorRestoreWhat: string;
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const timed = async (fn: () => unknown) => {
  const t0 = performance.now();
  await fn();
  return Math.round(performance.now() - t0);
};

async function addSales(database: Database, sales: number) {
  const { identity, cashierId } = await pairedDemoRegister(database, DEMO_SIZES);
  const companyId = identity.devices.find((d) => d.companyCode === 'U')!.companyId;
  const rows = await catalogRows(database, companyId, 50);
  for (let seq = 1; seq <= sales; seq += 50) {
    const batch = Array.from({ length: Math.min(50, sales - seq + 1) }, (_, i) =>
      saleEvent(identity, 'U', { seq: seq + i, cashierId, lines: [0, 1, 2].map((k) => line(rows[(seq + i + k * 7) % rows.length]!, companyId, 1 + (k % 2))) }),
    );
    const bad = (await ingestEvents(database, identity, batch, appliers)).find((r) => r.status !== 'accepted');
    if (bad) throw new Error(`a bench sale was rejected: ${JSON.stringify(bad)}`);
  }
}

async function benchOne(backend: Backend, opts: { items: number; sales: number; runs: number }): Promise<BackupBenchResult> {
  const root = mkdtempSync(path.join(os.tmpdir(), `till-bench-backup-${backend}-`));
  const dataDir = path.join(root, 'edge', 'pglite');
  const tlsDir = path.join(root, 'edge', 'tls');
  mkdirSync(tlsDir, { recursive: true });
  writeFileSync(path.join(tlsDir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nbench\n-----END CERTIFICATE-----\n');
  writeFileSync(path.join(tlsDir, 'ca.key'), 'bench-ca-key\n', { mode: 0o600 });
  let embedded: EmbeddedDatabase | undefined;
  let pg: TestDatabase | undefined;
  let url: string;
  if (backend === 'pglite') {
    embedded = await startEmbeddedDatabase({ dataDir });
    url = embedded.url;
  } else {
    pg = await createTestDatabase('postgres');
    url = pg.url;
  }
  const database = openDatabase(url, { max: 4, applicationName: 'till-bench' });
  const targets: TestDatabase[] = [];
  try {
    await migrateDatabase(database);
    await addSales(database, opts.sales); // seeds the demo store first
    await generateCatalog(database, opts.items);
    await database.pool.query('CHECKPOINT');
    const size = await database.pool.query<{ n: string }>(`SELECT pg_database_size(current_database())::text AS n`);
    const databaseMb = mb(Number(size.rows[0]!.n));
    const settings: BackupSettings = {
      dir: path.join(root, 'backups'),
      keep: 100,
      intervalMs: 0,
      tlsDir,
      dataDir,
      passwordFile: databasePasswordFile(dataDir),
      externalUrl: backend === 'postgres' ? url : undefined,
    };
    const source: BackupSource = embedded ? { backend: 'pglite', dump: () => embedded.dumpDataDir() } : { backend: 'postgres', url };
    console.log(JSON.stringify({ bench: 'backup100k', backend, items: opts.items, sales: opts.sales, databaseMb }));

    const backupMs: number[] = [];
    const restoreMs: number[] = [];
    const floorBackupMs: number[] = [];
    const floorRestoreMs: number[] = [];
    let backupBytes = 0;
    let floorBytes = 0;
    for (let run = 1; run <= opts.runs; run++) {
      // The product: backup, then restore into an empty target.
      let file = '';
      backupMs.push(await timed(async () => (file = (await takeBackup({ database, source, settings, kind: 'cli', by: 'bench' })).file)));
      backupBytes = statSync(file).size;
      const target = path.join(root, `restore-${run}`);
      let targetUrl: string | undefined;
      if (backend === 'postgres') {
        const t = await createTestDatabase('postgres');
        targets.push(t);
        targetUrl = t.url;
      }
      const restoreSettings = {
        ...settings,
        dataDir: path.join(target, 'pglite'),
        tlsDir: path.join(target, 'tls'),
        passwordFile: databasePasswordFile(path.join(target, 'pglite')),
        externalUrl: targetUrl,
      };
      restoreMs.push(await timed(() => restoreBackup({ file, settings: restoreSettings })));
      rmSync(target, { recursive: true, force: true });
      rmSync(file, { force: true });
      rmSync(`${file}.sha256`, { force: true });

      // The floor, on the same data in the same run.
      const floorFile = path.join(root, backend === 'pglite' ? 'floor.tar.gz' : 'floor.pgdump');
      const floorTarget = path.join(root, 'floor-restore');
      if (backend === 'pglite') {
        floorBackupMs.push(await timed(() => execFileSync('tar', ['-czf', floorFile, '-C', dataDir, '.'], { stdio: 'ignore' })));
        mkdirSync(floorTarget);
        floorRestoreMs.push(await timed(() => execFileSync('tar', ['-xzf', floorFile, '-C', floorTarget], { stdio: 'ignore' })));
      } else {
        const { dbname, env } = libpqEnv(url);
        floorBackupMs.push(
          await timed(() =>
            execFileSync('pg_dump', ['--format=custom', '--no-password', `--file=${floorFile}`, `--dbname=${dbname}`], { env, stdio: 'ignore' }),
          ),
        );
        const empty = await createTestDatabase('postgres');
        targets.push(empty);
        const into = libpqEnv(empty.url);
        floorRestoreMs.push(
          await timed(() =>
            execFileSync('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--no-password', `--dbname=${into.dbname}`, floorFile], {
              env: into.env,
              stdio: 'ignore',
            }),
          ),
        );
      }
      floorBytes = statSync(floorFile).size;
      rmSync(floorFile, { force: true });
      rmSync(floorTarget, { recursive: true, force: true });
      while (targets.length) await targets.pop()!.dispose();
      console.log(
        JSON.stringify({
          bench: 'backup100k',
          backend,
          run,
          backupMs: backupMs.at(-1),
          restoreMs: restoreMs.at(-1),
          floorBackupMs: floorBackupMs.at(-1),
          floorRestoreMs: floorRestoreMs.at(-1),
          backupBytes,
          floorBytes,
        }),
      );
    }
    return {
      backend,
      databaseMb,
      backupMs: figures(backupMs),
      restoreMs: figures(restoreMs),
      backupMb: mb(backupBytes),
      floorBackupMs: figures(floorBackupMs),
      floorRestoreMs: figures(floorRestoreMs),
      floorMb: mb(floorBytes),
      floorBackupWhat: backend === 'pglite' ? '`tar -czf` of the data folder' : '`pg_dump -Fc`',
      floorRestoreWhat: backend === 'pglite' ? '`tar -xzf` into an empty folder' : '`pg_restore` into an empty database',
    };
  } finally {
    for (const t of targets) await t.dispose().catch(() => undefined);
    await database.close();
    await embedded?.stop();
    await pg?.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

export async function benchBackup100k(opts: { items?: number; sales?: number; runs?: number; backends?: Backend[] } = {}) {
  const o = {
    items: opts.items ?? Number(process.env.BACKUP_ITEMS ?? 100_000),
    sales: opts.sales ?? Number(process.env.BACKUP_SALES ?? 1000),
    runs: opts.runs ?? Number(process.env.BACKUP_RUNS ?? 3),
  };
  const results: BackupBenchResult[] = [];
  for (const backend of opts.backends ?? (['pglite', 'postgres'] as Backend[])) results.push(await benchOne(backend, o));
  return { ...o, results };
}
