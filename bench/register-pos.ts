// The POS in Chromium with a big catalog: scan → cart line, Complete sale → "completed", and a warm
// reload → sell screen. N items with barcodes and prices are generated in the edge database with
// set-based SQL; the register syncs them through the shape service like any catalog.
// `npx tsx bench/register-pos.ts [items]` or `npm run bench -- pos`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '../infra/wait-for';
import { launchBrowser } from '../test/browser';
import { startEdge } from '../test/edge-process';
import type { Pool } from 'pg';
import { openDatabase } from '../db/client';
import { issuePairingCode } from '../services/device-auth';
import { loginWithPin, registerQuery } from '../test/pos-page';
import { catalogCsv } from './catalog-100k';
import { snapshotTimeline, type SnapshotMeasure, type SnapshotTimeline } from './snapshot-timeline';
import { median, percentile } from './stats';

const pct = (xs: number[], p: number) => Math.round(percentile(xs, p) * 10) / 10;

/** Adds `n` items (with a barcode and a standard price each) to company U in one statement per table. */
export async function generateCatalog(db: { query: Pool['query'] }, n: number) {
  await db.query(
    `INSERT INTO items (company_id, code, name, tax_rate_id)
     SELECT c.id, 'B-' || lpad(g::text, 7, '0'), 'Bench item ' || g,
            (SELECT t.id FROM tax_rates t WHERE t.company_id = c.id ORDER BY t.is_default DESC LIMIT 1)
       FROM companies c, generate_series(1, $1::int) g WHERE c.code = 'U'`,
    [n],
  );
  await db.query(
    `INSERT INTO barcodes (company_id, item_id, code, barcode_type)
     SELECT i.company_id, i.id, '99' || lpad(substr(i.code, 3), 11, '0'), 'EAN' FROM items i WHERE i.code LIKE 'B-%'`,
  );
  await db.query(
    `INSERT INTO prices (company_id, item_id, price_list, amount, currency)
     SELECT i.company_id, i.id, 'Standard Selling', 100 + (hashtext(i.code) & 4095), c.currency
       FROM items i JOIN companies c ON c.id = i.company_id WHERE i.code LIKE 'B-%'`,
  );
}

/** One scan, timed inside the page: keydown burst → a new cart row in the DOM. */
function timedScan(page: Page, code: string): Promise<number> {
  return page.evaluate(
    (c) =>
      new Promise<number>((resolve, reject) => {
        const rows = () => document.querySelectorAll('[data-testid=cart] tbody tr').length;
        const before = rows();
        const t0 = performance.now();
        const obs = new MutationObserver(() => {
          if (rows() > before) {
            obs.disconnect();
            resolve(performance.now() - t0);
          }
        });
        obs.observe(document.body, { childList: true, subtree: true });
        setTimeout(
          () => (
            obs.disconnect(),
            reject(
              new Error(
                `scan ${c} did not reach the cart (${rows()} rows; ${document.querySelector('[role=alert],[role=status]')?.textContent ?? 'no message'})`,
              ),
            )
          ),
          10_000,
        );
        (document.activeElement as HTMLElement | null)?.blur();
        for (const key of [...c.split(''), 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      }),
    code,
  );
}

/** Cash, then Complete sale timed inside the page until the status says "completed". */
function timedComplete(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const buttons = () => [...document.querySelectorAll('button')];
        buttons()
          .find((b) => b.textContent === 'Cash')!
          .click();
        const status = () => document.querySelector('[role=status]')?.textContent ?? '';
        const start = () => {
          const complete = buttons().find((b) => b.textContent?.trim() === 'Complete sale');
          if (!complete || complete.disabled) return void requestAnimationFrame(start);
          const t0 = performance.now();
          const obs = new MutationObserver(() => {
            if (/completed/.test(status())) {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          });
          obs.observe(document.body, { childList: true, subtree: true, characterData: true });
          setTimeout(() => (obs.disconnect(), reject(new Error('sale did not complete'))), 10_000);
          complete.click();
        };
        start();
      }),
  );
}

/**
 * The warm open, from the page's own clock: navigation, bundle, lock, PGlite files, worker open, sell
 * screen. `total` is the page's mark once the sell screen was painted; `seen` is when this harness
 * saw it (its polling and a round trip to the page come on top, 90–235 ms in the runs measured).
 */
export async function timedReload(page: Page): Promise<Record<string, number>> {
  await page.reload();
  await page
    .getByTestId('cart')
    .waitFor({ timeout: 60_000 })
    .catch(async (e: Error) => {
      throw new Error(`${e.message}: the page says ${await page.locator('body').textContent()}`);
    });
  const seen = await page.evaluate(() => Math.round(performance.now()));
  const worker = await page.evaluate(() =>
    (window as unknown as { till: { db: { call(n: string): Promise<{ marks: Record<string, number>; details: Record<string, unknown> }> } } }).till.db.call(
      'openMarks',
    ),
  );
  if (process.env.BENCH_POS_DETAILS) console.log(JSON.stringify(worker.details));
  return page.evaluate(
    ({ seen, marks }) => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const mark = (n: string) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
      const round = (x: number) => Math.round(x);
      return {
        total: round(mark('till:sell-screen')),
        seen,
        html: round(nav.responseEnd),
        scripts: round(nav.domContentLoadedEventEnd),
        boot: round(mark('till:boot')),
        mounted: round(mark('till:open')),
        lock: round(mark('till:lock')),
        pgliteFiles: round(mark('till:assets')),
        ...Object.fromEntries(Object.entries(marks).map(([k, t]) => [k.replace('worker:', 'w.'), round(t - performance.timeOrigin)])),
        dbOpen: round(mark('till:db-open')),
        firstScreen: round(mark('till:first-screen')),
      };
    },
    { seen, marks: worker.marks },
  );
}

/**
 * The floor for the warm open: the register's worker opening the same database with nothing else
 * running (the POS page left for another page of the store, so no React, no lock, no screen), timed
 * from its own marks. Opens it `times` times, one fresh worker each (each left as a reload leaves it).
 */
export async function bareOpen(page: Page, storeBase: string, times: number): Promise<{ openMs: number; createMs: number }[]> {
  await page.goto(`${storeBase}/admin/login`);
  const out: { openMs: number; createMs: number }[] = [];
  for (let i = 0; i < times; i++) {
    out.push(
      await page.evaluate(async () => {
        const version = (window as unknown as { __remixManifest: { version: string } }).__remixManifest.version;
        const [pgliteWasmModule, initdbWasmModule, fsBundle] = await Promise.all([
          WebAssembly.compileStreaming(fetch('/pglite/pglite.wasm')),
          WebAssembly.compileStreaming(fetch('/pglite/initdb.wasm')),
          fetch('/pglite/pglite.data').then((r) => r.blob()),
        ]);
        const worker = new Worker(`/build/register-db-worker-${version}.js`, { type: 'module' });
        const call = (id: number, name: string) =>
          new Promise<unknown>((resolve, reject) => {
            const on = (e: MessageEvent) => {
              const m = e.data as { id?: number; ok: boolean; result: unknown; error: string };
              if (m.id !== id) return;
              worker.removeEventListener('message', on);
              if (m.ok) resolve(m.result);
              else reject(new Error(m.error));
            };
            worker.addEventListener('message', on);
            worker.postMessage({ id, op: 'call', name, args: [] });
          });
        const t0 = performance.timeOrigin + performance.now();
        worker.postMessage({ init: { pgliteWasmModule, initdbWasmModule, fsBundle } });
        await call(1, 'storage');
        const openMs = performance.timeOrigin + performance.now() - t0;
        const { marks } = (await call(2, 'openMarks')) as { marks: Record<string, number> };
        worker.terminate();
        return { openMs: Math.round(openMs), createMs: Math.round(marks['worker:created']! - marks['worker:fs-start']!) };
      }),
    );
  }
  return out;
}

/** The bulk load's measures from the register's worker, on the clock of `t0` (Date.now() at Pair). */
async function workerTimeline(page: Page, t0: number): Promise<SnapshotTimeline | undefined> {
  for (const worker of page.workers()) {
    const got = await worker
      .evaluate(() => ({
        origin: performance.timeOrigin,
        measures: performance
          .getEntriesByType('measure')
          .filter((m) => m.name.startsWith('till:snapshot-'))
          .map((m) => ({ name: m.name, startTime: m.startTime, duration: m.duration, detail: (m as PerformanceMeasure).detail as SnapshotMeasure['detail'] })),
      }))
      .catch(() => undefined);
    if (got?.measures.length) return snapshotTimeline(got.measures, t0 - got.origin);
  }
  return undefined;
}

/** The floor for Pair → ready: COPY of the same rows into a fresh register database in this Chromium (same worker, same storage). */
async function chromiumFloor(userDataDir: string, edge: { storeBase: string; caSpki: string }, csv: Awaited<ReturnType<typeof catalogCsv>>) {
  const { context } = await launchBrowser(userDataDir, { trustSpki: [edge.caSpki] });
  try {
    const page = await context.newPage();
    await page.addInitScript('window.__name = (f) => f;');
    await page.goto(`${edge.storeBase}/pos`);
    await page.getByLabel('pairing code').waitFor({ timeout: 120_000 }); // the (empty) database is open
    for (const [t, c] of Object.entries(csv))
      await page.evaluate(([t, c]) => (((window as unknown as { __csv: Record<string, unknown> }).__csv ??= {})[t] = c), [t, c] as const);
    return await page.evaluate(async () => {
      const w = window as unknown as {
        __csv: Record<string, { columns: string[]; text: string }>;
        till: { db: { call(n: string, ...a: unknown[]): Promise<unknown> } };
      };
      const t0 = performance.now();
      for (const [t, c] of Object.entries(w.__csv)) await w.till.db.call('copyCsv', t, c.columns, c.text);
      return Math.round(performance.now() - t0);
    });
  } finally {
    await context.close().catch(() => undefined);
  }
}

export async function benchRegisterPos(opts: { items?: number; operations?: number; reloads?: number; runs?: number } = {}) {
  const items = opts.items ?? 20_000;
  const operations = opts.operations ?? 50;
  const runs = opts.runs ?? 3;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'till-bench-pos-'));
  const edge = await startEdge({ TILL_DATA_DIR: path.join(dir, 'edge'), LOG_LEVEL: 'WARN' });
  const database = openDatabase(edge.pgliteUrl!, { max: 2, applicationName: 'till-bench' });
  const perRun: {
    syncMs: number;
    floorMs: number;
    scan: number[];
    complete: number[];
    reloads: Record<string, number>[];
    bare: { openMs: number; createMs: number }[];
    storage: string;
    barcodeIndexUsed: boolean;
    timeline: SnapshotTimeline | undefined;
    load: number;
  }[] = [];
  try {
    const tGen = Date.now();
    await generateCatalog(database.pool, items);
    const generateMs = Date.now() - tGen;
    const expected = (await database.pool.query(`SELECT count(*)::int AS n FROM prices`)).rows[0].n as number;
    const csv = await catalogCsv(database.pool);
    const registerId = (await database.pool.query(`SELECT id FROM registers WHERE code = 'R01'`)).rows[0].id as string;

    for (let run = 0; run < runs; run++) {
      const floorMs = await chromiumFloor(path.join(dir, `floor-${run}`), edge, csv);
      const barcodes = (await database.pool.query(`SELECT code FROM barcodes WHERE code LIKE '99%' ORDER BY random() LIMIT $1`, [operations])).rows.map(
        (r) => r.code as string,
      );
      const { context } = await launchBrowser(path.join(dir, `chromium-${run}`), { trustSpki: [edge.caSpki] });
      try {
        const page = await context.newPage();
        // tsx compiles the timed functions below with esbuild's keepNames, which calls a `__name` helper in the page.
        await page.addInitScript('window.__name = (f) => f;');
        const { code } = await issuePairingCode(database, registerId);
        await page.goto(`${edge.storeBase}/pos`);
        await page.getByLabel('pairing code').fill(code);
        const tSync = Date.now();
        await page.getByRole('button', { name: 'Pair' }).click();
        await page.locator('[data-testid^=badge-]').first().waitFor({ timeout: 600_000 });
        await loginWithPin(page, 600_000);
        // Synced first (the page's own status, no query), then the count as the register sees it: a
        // count(*) every 250 ms during the load would queue in the worker behind each COPY.
        await page.locator('[data-testid=status][data-synced=true]').waitFor({ timeout: 900_000 });
        await waitFor(async () => ((await registerQuery<{ n: number }>(page, `SELECT count(*)::int AS n FROM prices`))[0]!.n >= expected ? true : undefined), {
          timeoutMs: 900_000,
          intervalMs: 250,
          what: `${expected} prices in the register`,
        });
        const syncMs = Date.now() - tSync;
        const timeline = await workerTimeline(page, tSync);
        const storage = await page.evaluate(() => (window as unknown as { till: { status(): { storage: string } } }).till.status().storage);
        const plan = (await registerQuery<{ 'QUERY PLAN': string }>(page, `EXPLAIN SELECT * FROM barcodes WHERE code = '9900000000001'`))
          .map((r) => r['QUERY PLAN'])
          .join(' ');
        const scan: number[] = [];
        const complete: number[] = [];
        for (const c of barcodes) {
          scan.push(await timedScan(page, c));
          complete.push(await timedComplete(page));
        }
        const reloads: Record<string, number>[] = [];
        for (let i = 0; i < (opts.reloads ?? 5); i++) reloads.push(await timedReload(page));
        const bare = await bareOpen(page, edge.storeBase, opts.reloads ?? 5);
        perRun.push({ syncMs, floorMs, scan, complete, reloads, bare, storage, barcodeIndexUsed: /Index/.test(plan), timeline, load: os.loadavg()[0]! });
        console.log(
          JSON.stringify({
            bench: 'register-pos',
            run: run + 1,
            syncMs,
            floorMs,
            timeline,
            load: os.loadavg().map((x) => Math.round(x * 10) / 10),
            scanP95: pct(scan, 95),
            completeP95: pct(complete, 95),
            reloadMedian: median(reloads.map((r) => r.total!)),
            bareOpen: bare,
          }),
        );
      } finally {
        await context.close().catch(() => undefined);
      }
    }
    const med = (xs: number[]) => Math.round(median(xs) * 10) / 10;
    const phases = Object.keys(perRun[0]!.reloads[0]!);
    return {
      items,
      rows: expected,
      runs,
      storage: perRun[0]!.storage,
      barcodeIndexUsed: perRun.every((r) => r.barcodeIndexUsed),
      generateMs,
      sync: perRun.map((r) => r.syncMs),
      timelines: perRun.map((r) => r.timeline),
      load: perRun.map((r) => Math.round(r.load * 10) / 10),
      floor: perRun.map((r) => r.floorMs),
      syncMs: med(perRun.map((r) => r.syncMs)),
      floorMs: med(perRun.map((r) => r.floorMs)),
      scanP50: perRun.map((r) => pct(r.scan, 50)),
      scanP95: perRun.map((r) => pct(r.scan, 95)),
      completeP50: perRun.map((r) => pct(r.complete, 50)),
      completeP95: perRun.map((r) => pct(r.complete, 95)),
      operations,
      reload: perRun.map((r) => median(r.reloads.map((x) => x.total!))),
      /** The worker's open alone (bareOpen), median of each run: the whole open, and PGlite.create in it. */
      bareOpen: perRun.map((r) => median(r.bare.map((x) => x.openMs))),
      bareCreate: perRun.map((r) => median(r.bare.map((x) => x.createMs))),
      /** Median over every reload of every run, per phase (ms since navigation start). */
      reloadPhases: Object.fromEntries(phases.map((k) => [k, med(perRun.flatMap((r) => r.reloads.map((x) => x[k]!)))])),
    };
  } finally {
    await database.close();
    await edge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchRegisterPos({ items: Number(process.argv[2] ?? 20_000), runs: Number(process.env.BENCH_POS_RUNS ?? 3) }).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
