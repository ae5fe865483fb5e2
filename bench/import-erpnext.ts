// ERPNext import throughput: a 50,000-item export in the current layout (continuation lines,
// two companies, barcodes shared by both) streamed to a temp file, imported into a fresh in-memory
// PGlite and a fresh PostgreSQL database, 3 runs each. `npx tsx bench/import-erpnext.ts`
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { importErpnext } from '../importer/import-erpnext';
import { createCompanies } from '../importer/test-helpers';
import { CURRENT_ITEM_HEADER, csvLine, currentItemLines, ean13, prng, rateText, sampleItem } from '../seeds/erpnext/rows';
import { createTestDatabase, type Backend } from '../test/create-database';
import { median } from './stats';

const COMPANY_MAP = 'AH Trading Official=Official,AH Trading Unofficial=Unofficial';

/** Streams an Item export of `items` items to `file` (never held in memory). Returns rows written. */
export async function writeItemExport(file: string, items: number, seed = 7): Promise<number> {
  const r = prng(seed);
  const out = createWriteStream(file);
  let rows = 1;
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(csvLine(CURRENT_ITEM_HEADER));
  for (let i = 1; i <= items; i++) {
    const s = sampleItem(i, r);
    const both = i % 10 === 0; // every 10th item is sold by both companies (same barcodes)
    const barcodes = [{ code: ean13(String(200_000_000_000 + i * 2)), type: 'EAN-13' }];
    if (i % 3 === 0) barcodes.push({ code: ean13(String(200_000_000_001 + i * 2)), type: '' });
    const chunk = currentItemLines(
      {
        code: `B-${String(i).padStart(6, '0')}`,
        name: s.name,
        group: s.group,
        uom: s.uom,
        rate: rateText(s.milli, s.decimals),
        barcodes,
        companies: both
          ? [
              { name: 'AH Trading Official', abbr: 'AHO' },
              { name: 'AH Trading Unofficial', abbr: 'AHU' },
            ]
          : [i % 2 ? { name: 'AH Trading Official', abbr: 'AHO' } : { name: 'AH Trading Unofficial', abbr: 'AHU' }],
        taxTemplate: s.group === 'Produce' ? 'VAT 10% - AHO' : undefined,
      },
      r,
    );
    rows += chunk.split('\n').length - 1;
    await write(chunk);
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return rows;
}

export interface ImportBenchBackend {
  backend: Backend;
  /** Median seconds of a first import into an empty database. */
  secondsMedian: number;
  runs: number[];
  rowsPerSecond: number;
  itemsPerSecond: number;
  /** Median seconds of re-importing the same file (everything unchanged). */
  rerunSecondsMedian: number;
  peakRssMb: number;
}

export interface ImportBenchResult {
  items: number;
  rows: number;
  fileMb: number;
  results: ImportBenchBackend[];
}

async function measure(backend: Backend, dir: string, runs: number, rows: number, items: number): Promise<ImportBenchBackend> {
  const seconds: number[] = [];
  const reruns: number[] = [];
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    for (let i = 0; i < runs; i++) {
      const tdb = await createTestDatabase(backend);
      const database = openDatabase(tdb.url, { max: 4 });
      try {
        await migrateDatabase(database);
        await createCompanies(database);
        let t0 = performance.now();
        const s = await importErpnext(database, { dataDir: dir, companyMap: COMPANY_MAP, startedBy: 'bench' });
        seconds.push((performance.now() - t0) / 1000);
        if (s.rejections > 0) throw new Error(`benchmark export had ${s.rejections} rejected rows`);
        t0 = performance.now();
        await importErpnext(database, { dataDir: dir, companyMap: COMPANY_MAP, startedBy: 'bench' });
        reruns.push((performance.now() - t0) / 1000);
      } finally {
        await database.close();
        await tdb.dispose();
      }
    }
  } finally {
    clearInterval(sample);
  }
  const m = median(seconds);
  const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    backend,
    secondsMedian: round(m),
    runs: seconds.map((x) => round(x)),
    rowsPerSecond: Math.round(rows / m),
    itemsPerSecond: Math.round(items / m),
    rerunSecondsMedian: round(median(reruns)),
    peakRssMb: Math.round(peak / 2 ** 20),
  };
}

/** Generates the export, imports it `runs` times into each backend (fresh database per run). */
export async function benchImportErpnext(opts: { items?: number; runs?: number; backends?: Backend[] } = {}): Promise<ImportBenchResult> {
  process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const items = opts.items ?? 50_000;
  const runs = opts.runs ?? 3;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'erpnext-bench-'));
  try {
    const file = path.join(dir, 'Item.csv');
    const rows = await writeItemExport(file, items);
    const results: ImportBenchBackend[] = [];
    for (const b of opts.backends ?? (['pglite', 'postgres'] as Backend[])) results.push(await measure(b, dir, runs, rows, items));
    return { items, rows, fileMb: Math.round((statSync(file).size / 2 ** 20) * 10) / 10, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /bench[\\/]import-erpnext\.ts$/.test(process.argv[1])) {
  const items = Number(process.env.BENCH_ITEMS ?? 50_000);
  benchImportErpnext({ items }).then(
    (r) => {
      console.log(`ERPNext import: ${r.items} items, ${r.rows} CSV rows, ${r.fileMb} MB`);
      for (const x of r.results)
        console.log(
          `  ${x.backend.padEnd(8)} median ${x.secondsMedian} s (runs ${x.runs.join(', ')}), ${x.rowsPerSecond} rows/s, ${x.itemsPerSecond} items/s, re-run ${x.rerunSecondsMedian} s, peak RSS ${x.peakRssMb} MB`,
        );
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
