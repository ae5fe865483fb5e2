// `npm run bench`: every benchmark, medians of several runs, written to bench/RESULTS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBackup100k } from './backup-100k';
import { benchCatalog100k } from './catalog-100k';
import { benchDbPath } from './db-path';
import { benchEdgeStart } from './edge-start';
import { benchFrontDoor } from './front-door';
import { benchImportErpnext } from './import-erpnext';
import { benchPushIngest } from './push-ingest';
import { benchRegisterPos } from './register-pos';
import { benchRegisterSync } from './register-sync';
import { median } from './stats';
import { benchSoak, soakSection } from './soak';
import { benchYearOfSales, yearSection } from './year-of-sales';

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.LOG_LEVEL ??= 'WARN';

async function main() {
  const only = process.argv.slice(2);
  const want = (name: string) => only.length === 0 || only.includes(name);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
  const sections: string[] = [`# Benchmarks\n\nMachine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}. Each figure is the median of 3 runs.\n`];

  if (want('db')) {
    const r = await benchDbPath();
    console.log(JSON.stringify({ bench: 'db-path', r }));
    sections.push(
      `## Database path (barcode lookup through \`pg\`, pool of 4, 3 s per run)\n\n| backend | queries/s (median) | runs |\n| --- | --- | --- |\n` +
        r.map((x) => `| ${x.backend} | ${x.qpsMedian} | ${x.runs.join(', ')} |`).join('\n') +
        '\n',
    );
  }
  if (want('start')) {
    const r = await benchEdgeStart(3);
    console.log(JSON.stringify({ bench: 'edge-start', r }));
    sections.push(
      `## Edge start (\`npm start\` to "edge ready", PGlite, including the app build)\n\n| case | median ms | runs |\n| --- | --- | --- |\n` +
        `| cold (initdb, migrate, demo data, functions) | ${r.coldMsMedian} | ${r.cold.join(', ')} |\n| warm (restart) | ${r.warmMsMedian} | ${r.warm.join(', ')} |\n`,
    );
  }
  if (want('sync')) {
    const r = await benchRegisterSync(3);
    console.log(JSON.stringify({ bench: 'register-sync', r }));
    sections.push(
      `## Register sync (real edge → pglite-sync in Node; 4,000 items, barcodes and prices of both companies)\n\n| case | median ms | runs |\n| --- | --- | --- |\n` +
        `| initial sync until every price is local | ${r.initialMsMedian} | ${r.initial.join(', ')} |\n` +
        `| price change committed on the edge → local on the register, p50 (${r.changesPerRun} changes per run) | ${r.liveP50Median} | ${r.liveP50.join(', ')} |\n` +
        `| price change committed on the edge → local on the register, p95 (goal < 300 ms) | ${r.liveP95Median} | ${r.liveP95.join(', ')} |\n`,
    );
  }
  for (const [name, items] of [
    ['pos', Number(process.env.BENCH_POS_ITEMS ?? 20_000)],
    ['register100k', 100_000],
  ] as const) {
    if (!want(name)) continue;
    const r = await benchRegisterPos({ items, runs: Number(process.env.BENCH_POS_RUNS ?? 3) });
    console.log(JSON.stringify({ bench: 'register-pos', r }));
    const spread = (xs: number[]) => xs.join(', ');
    const m = (xs: number[]) => Math.round(median(xs) * 10) / 10;
    const p = r.reloadPhases;
    sections.push(
      `## Register POS in Chromium${name === 'pos' ? '' : ', 100k catalog'} (${r.items.toLocaleString('en')} generated items; database on ${r.storage}; ${r.runs} runs, each a fresh browser profile with ${r.operations} scans and sales and 5 warm reloads)\n\n` +
        `\`npm run bench -- ${name}\` (BENCH_POS_RUNS${name === 'pos' ? ', BENCH_POS_ITEMS' : ''}). Floor for Pair → ready: COPY of the same ${r.rows.toLocaleString('en')}-row catalog into a fresh register database in the same Chromium (the register's own worker, ${r.storage}), same run. Scan = keydown burst → new cart row; complete = click → "completed" (durable); both timed inside the page.\n\n` +
        `| case | median | runs |\n| --- | --- | --- |\n` +
        `| Pair → ready (catalog complete, ms) | ${r.syncMs} | ${spread(r.sync)} |\n` +
        `| floor: COPY into the register database in Chromium (ms) | ${r.floorMs} | ${spread(r.floor)} |\n` +
        `| Pair → ready / floor | ${Math.round((r.syncMs / r.floorMs) * 10) / 10} | |\n` +
        `| scan → cart line p95 (ms; p50 ${spread(r.scanP50)}) | ${m(r.scanP95)} | ${spread(r.scanP95)} |\n` +
        `| Complete sale → "completed" p95, durable (ms; p50 ${spread(r.completeP50)}) | ${m(r.completeP95)} | ${spread(r.completeP95)} |\n` +
        `| warm reload → sell screen (ms, median of 5 per run) | ${m(r.reload)} | ${spread(r.reload)} |\n` +
        `| floor: the worker's open alone, same database, no page (ms, median of 5 per run) | ${m(r.bareOpen)} | ${spread(r.bareOpen)} |\n` +
        `| of which PGlite.create on opfs-ahp (ms) | ${m(r.bareCreate)} | ${spread(r.bareCreate)} |\n` +
        `| warm reload / floor | ${Math.round((m(r.reload) / m(r.bareOpen)) * 10) / 10} | |\n\n` +
        `Warm reload, ms from navigation start (median of all reloads): HTML ${p.html}, scripts loaded ${p.scripts}, boot script ${p.boot}, database open started ${p.mounted}, tab lock ${p.lock}, PGlite files compiled ${p.pgliteFiles}; ` +
        `in the worker: started ${p['w.origin']}, code loaded ${p['w.start']}, files received ${p['w.init']}, OPFS access handles open ${p['w.fs-handles']} (from ${p['w.fs-start']}), wasm instantiated ${p['w.wasm-ready']}, Postgres started ${p['w.created']}, schema version checked ${p['w.schema']}, templates checked ${p['w.templates']}, idb:// check ${p['w.idb-check']}; ` +
        `database open in the page ${p.dbOpen}, first screen read ${p.firstScreen}, sell screen rendered ${p.total} (the page's own mark; this harness saw it at ${p.seen}, after its polling and a round trip). Barcode lookup uses its index: ${r.barcodeIndexUsed}.\n`,
    );
  }
  if (want('import')) {
    const r = await benchImportErpnext({ items: 50_000, runs: 3 });
    console.log(JSON.stringify({ bench: 'import-erpnext', r }));
    sections.push(
      `## ERPNext import (${r.items.toLocaleString('en')} items, ${r.rows.toLocaleString('en')} CSV rows, ${r.fileMb} MB)\n\n| backend | median s | runs | rows/s | re-run median s | peak RSS MB |\n| --- | --- | --- | --- | --- | --- |\n` +
        r.results
          .map((x) => `| ${x.backend} | ${x.secondsMedian} | ${x.runs.join(', ')} | ${x.rowsPerSecond} | ${x.rerunSecondsMedian} | ${x.peakRssMb} |`)
          .join('\n') +
        '\n',
    );
  }
  if (want('push')) {
    const r = await benchPushIngest({ sales: 500, runs: 3 });
    console.log(JSON.stringify({ bench: 'push-ingest', r }));
    sections.push(
      `## Push ingest (sale.completed, ${r[0]!.linesPerSale} lines, cash; one register, batches of 50; floor = the same rows inserted directly, one transaction per sale, same run)\n\n| backend | push sales/s (median) | floor sales/s (median) | push / floor | push runs | floor runs |\n| --- | --- | --- | --- | --- | --- |\n` +
        r
          .map((x) => `| ${x.backend} | ${x.pushPerSecond} | ${x.floorPerSecond} | ${x.ratio} | ${x.pushRuns.join(', ')} | ${x.floorRuns.join(', ')} |`)
          .join('\n') +
        '\n',
    );
  }
  if (want('door')) {
    const r = await benchFrontDoor({ requests: 2000, runs: 3 });
    console.log(JSON.stringify({ bench: 'front-door', r }));
    sections.push(
      `## Front door (one keep-alive connection, ${r.requests} sequential GETs of a small JSON answer; floor = the same upstream over plain http, same run)\n\n| path | median of per-run p50 ms | runs |\n| --- | --- | --- |\n` +
        `| direct to the function server (floor) | ${r.directMs} | ${r.direct.join(', ')} |\n| through the https front door | ${r.doorMs} | ${r.door.join(', ')} |\n`,
    );
  }
  if (want('catalog100k')) {
    const r = await benchCatalog100k();
    console.log(JSON.stringify({ bench: 'catalog-100k', r }));
    const rows = `${r.rows.items.toLocaleString('en')} items, ${r.rows.barcodes.toLocaleString('en')} barcodes, ${r.rows.prices.toLocaleString('en')} prices`;
    sections.push(
      `## Large catalog (${r.items.toLocaleString('en')} generated items of one company plus the demo's; real edge → the register's first sync (bulk load, then pglite-sync live) over https, ${rows}; floor = COPY of the same rows into a fresh PGlite, same run)\n\n` +
        `${r.sync.length} run${r.sync.length === 1 ? '' : 's'}; generating the rows in the edge database (set-based, through the change-capture triggers) took ${r.generateMs} ms; the sync reads ${r.chunks} snapshot chunks (CSV, up to 20,000 rows each). \`npm run bench -- catalog100k\` (CATALOG_ITEMS, CATALOG_RUNS).\n\n` +
        `| case | median | runs |\n| --- | --- | --- |\n` +
        `| initial sync until every item, barcode and price is local (ms) | ${r.syncMs} | ${r.sync.join(', ')} |\n` +
        `| floor: COPY of the same rows (ms) | ${r.floorMs} | ${r.floor.join(', ')} |\n` +
        `| sync / floor (per run) | ${r.ratio} | ${r.sync.map((x, i) => Math.round((x / r.floor[i]!) * 100) / 100).join(', ')} |\n` +
        `| catalog bytes on the wire, gzip (MB; ${r.rawMb} MB as CSV) | ${r.wireMbMedian} | ${r.wireMb.join(', ')} |\n` +
        `| snapshot chunk as the register waits for it (ms, median per run) | ${r.chunkMsMedian} | ${r.chunkMs.join(', ')} |\n` +
        `| edge read + encode of one ${r.edgeChunkKb} KB items chunk, no HTTP (ms) | ${r.edgeChunkMs} | |\n`,
    );
  }
  if (want('backup100k')) {
    const r = await benchBackup100k();
    console.log(JSON.stringify({ bench: 'backup-100k', r }));
    const row = (what: string, f: { median: number; spread: number; runs: number[] }, size: string) =>
      `| ${what} | ${f.median} | ${f.spread} | ${f.runs.join(', ')} | ${size} |`;
    sections.push(
      `## Backup and restore of a large store (demo store + ${r.items.toLocaleString('en')} generated items with barcodes and prices, ${r.sales.toLocaleString('en')} pushed sales; floors measured in the same run)\n\n` +
        `\`npm run bench -- backup100k\` (BACKUP_ITEMS, BACKUP_SALES, BACKUP_RUNS). Backup = \`npm run backup\`'s work (dump, tar with the CA, checksum, read-back verification); restore = \`npm run restore\`'s into an empty folder or database (checksum, load, new receipt epochs, change-log restart, audit). Median of ${r.runs} runs, spread = max − min.\n\n` +
        r.results
          .map(
            (x) =>
              `### ${x.backend} (database ${x.databaseMb} MB)\n\n| case | median ms | spread ms | runs | file MB |\n| --- | --- | --- | --- | --- |\n` +
              [
                row('backup', x.backupMs, String(x.backupMb)),
                row(`floor: ${x.floorBackupWhat}`, x.floorBackupMs, String(x.floorMb)),
                row('restore into an empty target', x.restoreMs, ''),
                row(`floor: ${x.floorRestoreWhat}`, x.floorRestoreMs, ''),
              ].join('\n') +
              `\n\nbackup / floor ${Math.round((x.backupMs.median / x.floorBackupMs.median) * 10) / 10}, restore / floor ${Math.round((x.restoreMs.median / x.floorRestoreMs.median) * 10) / 10}.\n`,
          )
          .join('\n'),
    );
  }
  if (want('year')) {
    const backends = process.env.TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
    const r = await benchYearOfSales({ sales: Number(process.env.YEAR_SALES ?? 500_000), backends: [...backends] });
    console.log(JSON.stringify({ bench: 'year-of-sales', r }));
    sections.push(yearSection(r));
  }
  if (want('soak')) {
    const r = await benchSoak({
      backend: process.env.SOAK_BACKEND === 'postgres' ? 'postgres' : 'pglite',
      registers: Number(process.env.SOAK_REGISTERS ?? 10),
      durationMs: Number(process.env.SOAK_MS ?? 600_000),
      catalogItems: Number(process.env.SOAK_CATALOG_ITEMS ?? 200) || undefined,
    });
    console.log(JSON.stringify({ bench: 'soak', r }));
    sections.push(soakSection(r));
  }
  // A partial run (`npm run bench -- sync`) updates only its own sections.
  const file = path.join(__dirname, 'RESULTS.md');
  writeFileSync(file, only.length ? mergeSections(file, sections) : sections.join('\n'));
}

function mergeSections(file: string, fresh: string[]): string {
  let old = '';
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    return fresh.join('\n');
  }
  const parts = old.split(/\n(?=## )/);
  for (const section of fresh.slice(1)) {
    const title = section.split('\n')[0]!.replace(/\(.*$/, '');
    const at = parts.findIndex((p) => p.startsWith(title));
    if (at >= 0) parts[at] = section.trimEnd();
    else parts.push(section.trimEnd());
  }
  parts[0] = fresh[0]!.trimEnd();
  return parts.join('\n') + '\n';
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
