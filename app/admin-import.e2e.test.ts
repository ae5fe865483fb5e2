// The ERPNext import page, the sale receipt preview and the outbox retry in Chromium against the real edge.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/client';
import { signInDemoAdmin } from '../test/admin-sign-in';
import { launchBrowser, screenshotPath } from '../test/browser';
import { startEdge, type EdgeProcess } from '../test/edge-process';
import { insertSale } from '../test/fixtures/sales';

const SEEDS = path.join(__dirname, '..', 'seeds', 'erpnext');

describe('admin import, receipt preview and outbox retry', () => {
  let edge: EdgeProcess;
  let dataDir: string;
  let context: BrowserContext;
  let database: Database;
  let page: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'till-admin-import-'));
    edge = await startEdge({ TILL_DATA_DIR: dataDir });
    database = openDatabase(edge.pgliteUrl!, { max: 2, applicationName: 'till-e2e' });
    ({ context } = await launchBrowser(undefined, { trustSpki: [edge.caSpki] }));
    page = await context.newPage();
    await page.goto(`${edge.storeBase}/admin/import`);
    await page.waitForURL(/\/admin\/login/);
    await signInDemoAdmin(page, edge.storeBase, /\/admin\/import$/);
  });

  afterAll(async () => {
    await context?.close();
    await database?.close();
    await edge?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses the import page without a session, and an upload without one', async () => {
    const runs = async () => (await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM import_runs`)).rows[0]!.n;
    const before = await runs();
    const r = await fetch(`${edge.base}/admin/import`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    const body = new FormData();
    body.append('files', new Blob(['Item Code\nX\n']), 'Item.csv');
    const post = await fetch(`${edge.base}/admin/import`, { method: 'POST', body, redirect: 'manual' });
    expect([302, 403]).toContain(post.status);
    expect(await runs()).toBe(before);
  });

  it('uploads Item and Customer exports with a company map and shows the summary and rejected rows', { timeout: 120_000 }, async () => {
    await expect.poll(() => page.locator('nav a, header a', { hasText: 'Import' }).count()).toBeGreaterThan(0);
    await page.setInputFiles('input[name=files]', [path.join(SEEDS, 'Item.csv'), path.join(SEEDS, 'Customer.csv')]);
    await page.fill('input[name=companyMap]', 'AH Trading Official=Official,AH Trading Unofficial=Unofficial');
    await page.click('button:has-text("Import")');
    await expect.poll(() => page.locator('#import-summary').count(), { timeout: 60_000 }).toBe(1);
    const summary = page.locator('#import-summary');
    await expect.poll(() => summary.locator('td', { hasText: 'Item.csv' }).count()).toBeGreaterThan(0);
    await expect.poll(() => summary.locator('td', { hasText: 'Customer.csv' }).count()).toBeGreaterThan(0);
    expect(await summary.locator('tr', { hasText: 'customer' }).count()).toBeGreaterThan(0);
    const rejected = page.locator('#import-rejections tbody tr');
    expect(await rejected.count()).toBeGreaterThan(0);
    const lineNo = await rejected.first().locator('td.num').textContent();
    expect(Number(lineNo)).toBeGreaterThan(1);
    await page.screenshot({ path: screenshotPath('admin-import'), fullPage: true });

    const run = (await database.pool.query(`SELECT id, started_by, dry_run FROM import_runs ORDER BY created_at DESC LIMIT 1`)).rows[0];
    expect(run).toMatchObject({ started_by: 'admin@demo.till', dry_run: false });
    const stored = (await database.pool.query(`SELECT count(*)::int AS n FROM import_rejections WHERE run_id = $1`, [run.id])).rows[0].n;
    expect(stored).toBeGreaterThan(0);

    // The run is listed, and its rejections can be seen again.
    await page.goto(`${edge.storeBase}/admin/import`);
    await page.locator(`a[href="/admin/import?run=${run.id}"]`).click();
    await page.waitForURL(new RegExp(`run=${run.id}`));
    await expect.poll(() => page.locator('#import-rejections tbody tr').count()).toBe(Math.min(stored, 500));
  });

  it('shows the rebuilt receipt of a sale as an SVG with a Print button', { timeout: 60_000 }, async () => {
    const sale = await insertSale(database, { cashGiven: 5000 });
    await page.goto(`${edge.storeBase}/admin/sales/${sale.saleId}`);
    const svg = page.locator('#receipt-preview svg');
    await expect.poll(() => svg.count()).toBe(1);
    expect(await svg.textContent()).toContain(sale.receiptNumber);
    expect(await page.locator('#receipt-preview button', { hasText: 'Print' }).count()).toBe(1);
    const box = await svg.boundingBox();
    const card = await page.locator('#receipt-preview').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(card!.width);
    await page.locator('#receipt-preview').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('admin-sale-receipt'), fullPage: true });
  });

  it('retries an outbox event pushed by a register', { timeout: 60_000 }, async () => {
    const device = (await database.pool.query(`SELECT id, register_id, company_id FROM devices ORDER BY code LIMIT 1`)).rows[0];
    const eventId = randomUUID();
    await database.pool.query(
      `INSERT INTO rejected_events (event_id, source, device_id, register_id, company_id, type, payload, reason, field)
       VALUES ($1, 'push', $2, $3, $4, 'sale.completed', $5, 'item is not in the catalog', 'sale.lines[0].itemId')`,
      [eventId, device.id, device.register_id, device.company_id, JSON.stringify({ eventId, type: 'sale.completed', registerId: device.register_id })],
    );
    await page.goto(`${edge.storeBase}/admin/outbox`);
    const row = page.locator('tr', { hasText: 'sale.completed' }).first();
    await row.locator('button[value=retry]').click();
    // A payload that cannot be applied stays pending, with the new reason.
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('Retry failed');
    const after = (await database.pool.query(`SELECT status, reason FROM rejected_events WHERE event_id = $1`, [eventId])).rows[0];
    expect(after.status).toBe('pending');
    expect(after.reason).not.toBe('item is not in the catalog');
    expect(
      (await database.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'outbox.retried' AND after->>'eventId' = $1`, [eventId])).rows[0].n,
    ).toBe(1);
  });
});
