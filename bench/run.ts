// `npm run bench`: every benchmark, medians of several runs, written to bench/RESULTS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCatalog100k } from './catalog-100k';
import { benchDbPath } from './db-path';
import { benchEdgeStart } from './edge-start';
import { benchFrontDoor } from './front-door';
import { benchImportErpnext } from './import-erpnext';
import { benchPushIngest } from './push-ingest';
import { benchRegisterPos } from './register-pos';
import { benchRegisterSync } from './register-sync';
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
        r.map((x) => `| ${x.backend} | ${x.qpsMedian} | ${x.runs.join(', ')} |`).join('\n') + '\n',
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
        `| initial sync until every price is local | ${r.initialMsMedian} | ${r.initial.join(', ')} |\n| one price change on the edge until it is local | ${r.liveMsMedian} | ${r.live.join(', ')} |\n`,
    );
  }
  if (want('pos')) {
    const r = await benchRegisterPos({ items: Number(process.env.BENCH_POS_ITEMS ?? 20_000) });
    console.log(JSON.stringify({ bench: 'register-pos', r }));
    sections.push(
      `## Register POS in Chromium (${r.items.toLocaleString('en')} generated items, database on ${r.storage}, ${r.scanMs.n} operations)\n\n| case | p50 ms | p95 ms |\n| --- | --- | --- |\n` +
        `| scan → cart line | ${r.scanMs.p50} | ${r.scanMs.p95} |\n| Complete sale → "completed" (durable) | ${r.completeMs.p50} | ${r.completeMs.p95} |\n` +
        `| warm reload → sell screen (median, runs: ${r.reloadMs.runs.join(', ')}) | ${r.reloadMs.median} | |\n\nInitial sync of the catalog: ${r.syncMs} ms; barcode lookup uses its index: ${r.barcodeIndexUsed}.\n`,
    );
  }
  if (want('import')) {
    const r = await benchImportErpnext({ items: 50_000, runs: 3 });
    console.log(JSON.stringify({ bench: 'import-erpnext', r }));
    sections.push(
      `## ERPNext import (${r.items.toLocaleString('en')} items, ${r.rows.toLocaleString('en')} CSV rows, ${r.fileMb} MB)\n\n| backend | median s | runs | rows/s | re-run median s | peak RSS MB |\n| --- | --- | --- | --- | --- | --- |\n` +
        r.results.map((x) => `| ${x.backend} | ${x.secondsMedian} | ${x.runs.join(', ')} | ${x.rowsPerSecond} | ${x.rerunSecondsMedian} | ${x.peakRssMb} |`).join('\n') + '\n',
    );
  }
  if (want('push')) {
    const r = await benchPushIngest({ sales: 500, runs: 3 });
    console.log(JSON.stringify({ bench: 'push-ingest', r }));
    sections.push(
      `## Push ingest (sale.completed, ${r[0]!.linesPerSale} lines, cash; one register, batches of 50; floor = the same rows inserted directly, one transaction per sale, same run)\n\n| backend | push sales/s (median) | floor sales/s (median) | push / floor | push runs | floor runs |\n| --- | --- | --- | --- | --- | --- |\n` +
        r.map((x) => `| ${x.backend} | ${x.pushPerSecond} | ${x.floorPerSecond} | ${x.ratio} | ${x.pushRuns.join(', ')} | ${x.floorRuns.join(', ')} |`).join('\n') + '\n',
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
      `## Large catalog (${r.items.toLocaleString('en')} generated items of one company plus the demo's; real edge → pglite-sync over https, ${rows}; floor = COPY of the same rows into a fresh PGlite, same run)\n\n` +
        `${r.sync.length} run${r.sync.length === 1 ? '' : 's'}; generating the rows in the edge database (set-based, through the change-capture triggers) took ${r.generateMs} ms; the sync reads ${r.chunks} snapshot chunks of about 1 MB. \`npm run bench -- catalog100k\` (CATALOG_ITEMS, CATALOG_RUNS).\n\n` +
        `| case | median | runs |\n| --- | --- | --- |\n` +
        `| initial sync until every item, barcode and price is local (ms) | ${r.syncMs} | ${r.sync.join(', ')} |\n` +
        `| floor: COPY of the same rows (ms) | ${r.floorMs} | ${r.floor.join(', ')} |\n` +
        `| sync / floor | ${r.ratio} | |\n` +
        `| catalog bytes on the wire, gzip (MB; ${r.rawMb} MB as CSV) | ${r.wireMbMedian} | ${r.wireMb.join(', ')} |\n` +
        `| snapshot chunk as the register waits for it (ms, median per run) | ${r.chunkMsMedian} | ${r.chunkMs.join(', ')} |\n` +
        `| edge read + encode of one ${r.edgeChunkKb} KB items chunk, no HTTP (ms) | ${r.edgeChunkMs} | |\n`,
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
