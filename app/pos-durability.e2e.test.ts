// A sale shown as completed is on disk: Chromium is SIGKILLed 50 ms after "completed" appears, relaunched
// on the same profile, and the sale (with its queued event and its receipt number) is still there.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../test/browser';
import { startEdge, type EdgeProcess } from '../test/edge-process';
import { killChromium, loginWithPin, pairAndLogin, registerQuery, scanInPage } from '../test/pos-page';

describe('POS sale durability', () => {
  let edge: EdgeProcess;
  let dir: string;
  let profile: string;
  let context: BrowserContext | undefined;
  let page: Page;
  let barcode: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-durable-'));
    edge = await startEdge({ TILL_DATA_DIR: path.join(dir, 'edge') });
    const c = new pg.Client({ connectionString: edge.pgliteUrl });
    await c.connect();
    barcode = (await c.query(`SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = 'U-00001'`)).rows[0].code;
    await c.end();
    profile = path.join(dir, 'chromium');
  });

  afterAll(async () => {
    if (logs.length) console.error(logs.join('\n'));
    await context?.close().catch(() => undefined);
    await edge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async () => {
    ({ context } = await launchBrowser(profile, { trustSpki: [edge.caSpki] }));
    page = await context.newPage();
    // What the page and its database worker said, printed if the test fails.
    page.on('console', (m) => m.type() === 'error' && logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(e.message));
    page.on('worker', (w) => w.on('console', (m) => logs.push(`worker: ${m.text()}`)));
  };
  const logs: string[] = [];

  it('keeps every sale that said "completed" through a SIGKILL of the browser 50 ms later', { timeout: 300_000 }, async () => {
    await open();
    const code = /with code ([A-Z2-9]{5}-[A-Z2-9]{5})/.exec(edge.output())![1]!;
    await pairAndLogin(page, edge.storeBase, code);
    const status = await page.evaluate(() => (window as unknown as { till: { status(): { storage: string } } }).till.status());
    expect(status.storage).toBe('opfs-ahp');

    const kept: string[] = [];
    for (let round = 0; round < 3; round++) {
      await scanInPage(page, barcode);
      await page.locator('[data-testid=cart] tbody tr').first().waitFor();
      await page.getByRole('button', { name: 'Cash', exact: true }).click();
      const shown = page.waitForFunction(() => /Sale (\S+) completed/.exec(document.querySelector('[role=status]')?.textContent ?? '')?.[1], undefined, {
        polling: 'raf',
      });
      await page.getByRole('button', { name: 'Complete sale' }).click();
      const receipt = (await (await shown).jsonValue()) as string;
      await new Promise((r) => setTimeout(r, 50));
      await killChromium(profile);
      await context!.close().catch(() => undefined);
      context = undefined;
      kept.push(receipt);

      await open();
      await page.goto(`${edge.storeBase}/pos`);
      await loginWithPin(page);
      const rows = await registerQuery<{ receipt_number: string; queued: boolean }>(
        page,
        `SELECT s.receipt_number, EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = s.event_id) AS queued FROM local_sales s ORDER BY s.receipt_number`,
      );
      expect(rows.map((r) => r.receipt_number)).toEqual(kept);
      expect(rows.every((r) => r.queued)).toBe(true);
    }
    // The receipt series goes on after the last kept sale, and the edge gets each sale once.
    expect(kept).toEqual(['U-R01-000001', 'U-R01-000002', 'U-R01-000003']);
    const c = new pg.Client({ connectionString: edge.pgliteUrl });
    await c.connect();
    try {
      await expect
        .poll(async () => (await c.query(`SELECT receipt_number FROM sales ORDER BY receipt_number`)).rows.map((r) => r.receipt_number), { timeout: 60_000 })
        .toEqual(kept);
    } finally {
      await c.end();
    }
  });
});
