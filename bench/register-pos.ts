// The POS in Chromium with a big catalog: scan → cart line, Complete sale → "completed", and a warm
// reload → sell screen. N items with barcodes and prices are generated in the edge database with
// set-based SQL; the register syncs them through the shape service like any catalog.
// `npx tsx bench/register-pos.ts [items]` or `npm run bench -- pos`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { waitFor } from '../infra/wait-for';
import { launchBrowser } from '../test/browser';
import { startEdge } from '../test/edge-process';
import { pairAndLogin, registerQuery } from '../test/pos-page';
import { median } from './stats';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
};

/** Adds `n` items (with a barcode and a standard price each) to company U in one statement per table. */
async function generateCatalog(db: pg.Client, n: number) {
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
        setTimeout(() => (obs.disconnect(), reject(new Error(`scan ${c} did not reach the cart (${rows()} rows; ${document.querySelector('[role=alert],[role=status]')?.textContent ?? 'no message'})`))), 10_000);
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
        buttons().find((b) => b.textContent === 'Cash')!.click();
        const status = () => document.querySelector('[role=status]')?.textContent ?? '';
        const start = () => {
          const complete = buttons().find((b) => b.textContent?.trim() === 'Complete sale') as HTMLButtonElement | undefined;
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

export async function benchRegisterPos(opts: { items?: number; operations?: number; reloads?: number } = {}) {
  const items = opts.items ?? 20_000;
  const operations = opts.operations ?? 50;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'till-bench-pos-'));
  const edge = await startEdge({ TILL_DATA_DIR: path.join(dir, 'edge'), LOG_LEVEL: 'WARN' });
  const db = new pg.Client({ connectionString: edge.pgliteUrl });
  await db.connect();
  const { context } = await launchBrowser(path.join(dir, 'chromium'), { trustSpki: [edge.caSpki] });
  try {
    const tGen = Date.now();
    await generateCatalog(db, items);
    const generateMs = Date.now() - tGen;
    const expected = (await db.query(`SELECT count(*)::int AS n FROM prices`)).rows[0].n as number;
    const barcodes = (await db.query(`SELECT code FROM barcodes WHERE code LIKE '99%' ORDER BY random() LIMIT $1`, [operations])).rows.map((r) => r.code as string);

    const page = await context.newPage();
    // tsx compiles the timed functions below with esbuild's keepNames, which calls a `__name` helper in the page.
    await page.addInitScript('window.__name = (f) => f;');
    const code = /with code ([A-Z2-9]{5}-[A-Z2-9]{5})/.exec(edge.output())![1]!;
    const tSync = Date.now();
    await pairAndLogin(page, edge.storeBase, code, 600_000);
    await waitFor(async () => ((await registerQuery<{ n: number }>(page, `SELECT count(*)::int AS n FROM prices`))[0]!.n >= expected ? true : undefined), {
      timeoutMs: 900_000,
      intervalMs: 500,
      what: `${expected} prices in the register`,
    });
    const syncMs = Date.now() - tSync;
    const storage = await page.evaluate(() => (window as unknown as { till: { status(): { storage: string } } }).till.status().storage);
    const plan = (await registerQuery<{ 'QUERY PLAN': string }>(page, `EXPLAIN SELECT * FROM barcodes WHERE code = '9900000000001'`)).map((r) => r['QUERY PLAN']).join(' ');

    const scan: number[] = [];
    const complete: number[] = [];
    for (const code of barcodes) {
      scan.push(await timedScan(page, code));
      complete.push(await timedComplete(page));
    }
    const reload: number[] = [];
    for (let i = 0; i < (opts.reloads ?? 5); i++) {
      const t0 = Date.now();
      await page.reload();
      await page
        .getByTestId('cart')
        .waitFor({ timeout: 60_000 })
        .catch(async (e: Error) => {
          throw new Error(`${e.message}: the page says ${await page.locator('body').textContent()}`);
        });
      reload.push(Date.now() - t0);
    }
    return {
      items,
      storage,
      barcodeIndexUsed: /Index/.test(plan),
      generateMs,
      syncMs,
      scanMs: { p50: pct(scan, 50), p95: pct(scan, 95), n: scan.length },
      completeMs: { p50: pct(complete, 50), p95: pct(complete, 95), n: complete.length },
      reloadMs: { median: median(reload), runs: reload },
    };
  } finally {
    await context.close().catch(() => undefined);
    await db.end();
    await edge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchRegisterPos({ items: Number(process.argv[2] ?? 20_000) }).then(
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
