// The back office's setup, catalog, sales, Adjustment Queue and shift pages in Chromium against the real edge.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/client';
import { signInDemoAdmin } from '../test/admin-sign-in';
import { launchBrowser, screenshotPath } from '../test/browser';
import { startEdge, type EdgeProcess } from '../test/edge-process';
import { insertSale } from '../test/fixtures/sales';
import { fieldError } from '../test/field-error';

const SOME_UUID = '00000000-0000-4000-8000-000000000000';
const PUBLIC = new Set(['/admin/login', '/admin/logout']);

/** Every page and resource route under /admin, read from the route files so new ones are covered too. */
function adminRoutes(): string[] {
  const files = readdirSync(path.join(__dirname, 'routes')).filter((f) => /^admin(\..+)?\.tsx$/.test(f));
  const paths = files.map((f) => {
    const segments = f
      .replace(/\.tsx$/, '')
      .split('.')
      .map((s) => s.replace(/_$/, ''))
      .filter((s) => s !== '_index')
      .map((s) => (s.startsWith('$') ? SOME_UUID : s));
    return `/${segments.join('/')}`;
  });
  return [...new Set(paths)].filter((p) => !PUBLIC.has(p)).sort();
}

describe('admin setup, catalog, sales and shifts', () => {
  let edge: EdgeProcess;
  let dataDir: string;
  let context: BrowserContext;
  let database: Database;
  let page: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'till-admin-setup-'));
    edge = await startEdge({ TILL_DATA_DIR: dataDir });
    database = openDatabase(edge.pgliteUrl!, { max: 2, applicationName: 'till-e2e' });
    ({ context } = await launchBrowser(undefined, { trustSpki: [edge.caSpki] }));
    // One signed-in page for the tests below; each test starts by navigating where it works.
    page = await context.newPage();
    await page.goto(`${edge.storeBase}/admin/settings`);
    await page.waitForURL(/\/admin\/login/);
    await signInDemoAdmin(page, edge.storeBase, /\/admin\/settings$/);
  });

  afterAll(async () => {
    await context?.close();
    await database?.close();
    await edge?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends every admin route to sign-in without a session', async () => {
    const routes = adminRoutes();
    for (const p of [
      '/admin',
      '/admin/registers',
      '/admin/outbox',
      '/admin/settings',
      '/admin/warehouses',
      '/admin/registers/new',
      '/admin/cashiers',
      '/admin/tax-rates',
      '/admin/audit',
      '/admin/items',
      `/admin/items/${SOME_UUID}`,
      '/admin/customers',
      '/admin/sales',
      `/admin/sales/${SOME_UUID}`,
      '/admin/adjustments',
      '/admin/shifts',
      `/admin/shifts/${SOME_UUID}`,
      `/admin/shifts/${SOME_UUID}/csv`,
      '/admin/import',
    ]) {
      expect(routes).toContain(p);
    }
    for (const route of routes) {
      const r = await fetch(`${edge.base}${route}`, { redirect: 'manual' });
      expect({ route, status: r.status }).toEqual({ route, status: 302 });
      expect(r.headers.get('location')).toMatch(/^\/admin\/login\?next=/);
      const post = await fetch(`${edge.base}${route}${route === '/admin' ? '?index' : ''}`, {
        method: 'POST',
        body: new URLSearchParams({ intent: 'create', name: 'x', code: 'R99', pin: '9999' }),
        redirect: 'manual',
      });
      expect({ route, post: [302, 401, 403, 405].includes(post.status) }).toEqual({ route, post: true });
    }
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM registers WHERE code = 'R99'`)).rows[0].n).toBe(0);
  });

  it('sets up the store: settings, warehouses, a register, a cashier, a tax rate', { timeout: 120_000 }, async () => {
    await page.goto(`${edge.storeBase}/admin/settings`);
    await page.fill('input[name=printerAddress]', 'not a printer');
    await page.click('text=Save store settings');
    await expect.poll(() => fieldError(page, 'printerAddress')).toContain('use host:port');
    await page.fill('input[name=printerAddress]', '192.168.1.50:9100');
    await page.fill('textarea[name=receiptFooter]', 'Thank you, see you soon!');
    await page.click('text=Save store settings');
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Store settings saved');
    await page.screenshot({ path: screenshotPath('admin-settings'), fullPage: true });

    await page.goto(`${edge.storeBase}/admin/warehouses`);
    await page.locator('form:has(input[name=intent][value=create]) select[name=companyId]').selectOption({ label: 'Unofficial' });
    await page.fill('input[name=code]', 'U-BACK');
    await page.fill('input[name=name]', 'Unofficial back room');
    await page.click('text=Create warehouse');
    await expect.poll(() => page.locator('td', { hasText: 'U-BACK' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('admin-warehouses'), fullPage: true });

    await page.goto(`${edge.storeBase}/admin/registers/new`);
    await page.fill('input[name=code]', 'r02');
    await page.fill('input[name=name]', 'Side counter');
    await page.click('text=Create register');
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('R02');
    await page.fill('input[name=code]', 'R02');
    await page.fill('input[name=name]', 'Again');
    await page.click('text=Create register');
    await expect.poll(() => fieldError(page, 'code')).toContain('already used');
    await page.screenshot({ path: screenshotPath('admin-register-new'), fullPage: true });
    const devices = (await database.pool.query(`SELECT d.code FROM devices d JOIN registers r ON r.id = d.register_id WHERE r.code = 'R02'`)).rows;
    expect(devices).toEqual([{ code: 'R02' }, { code: 'R02' }]);

    await page.goto(`${edge.storeBase}/admin/cashiers`);
    await page.fill('input[name=name]', 'Cleo Cashier');
    await page.fill('form:has(input[value=create]) input[name=pin]', '12');
    await page.click('text=Create cashier');
    await expect.poll(() => fieldError(page, 'pin')).toContain('4 to 8 digits');
    await page.fill('input[name=name]', 'Cleo Cashier');
    await page.fill('form:has(input[value=create]) input[name=pin]', '2468');
    await page.click('text=Create cashier');
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Cleo Cashier created');
    expect(await page.content()).not.toContain('2468');
    await page.screenshot({ path: screenshotPath('admin-cashiers'), fullPage: true });

    await page.goto(`${edge.storeBase}/admin/tax-rates`);
    await page.fill('input[name=code]', 'VAT55');
    await page.fill('input[name=name]', 'VAT 5.5%');
    await page.fill('input[name=rate]', '5.555');
    await page.click('text=Create tax rate');
    await expect.poll(() => fieldError(page, 'rate')).toContain('up to 2 decimals');
    await page.fill('input[name=rate]', '5.5');
    await page.click('text=Create tax rate');
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('5.5%');
    await page.screenshot({ path: screenshotPath('admin-tax-rates'), fullPage: true });
    const rate = (await database.pool.query(`SELECT rate_bp FROM tax_rates WHERE code = 'VAT55'`)).rows[0];
    expect(rate.rate_bp).toBe(550);
  });

  it('searches items, edits a price and a barcode, and edits a credit limit', { timeout: 90_000 }, async () => {
    await page.goto(`${edge.storeBase}/admin/items`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(50);
    await page.fill('input[name=q]', 'U-00007');
    await page.click('button:has-text("Search")');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('admin-items'), fullPage: true });
    await page.locator('tbody tr a').first().click();
    await page.waitForURL(/\/admin\/items\/[0-9a-f-]{36}$/);
    await page.fill('input[name=price]', '12,34');
    await page.click('text=Save item');
    await expect.poll(() => fieldError(page, 'price')).toContain('thousands separator');
    await page.fill('input[name=price]', '12.34');
    await page.click('text=Save item');
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Item saved');
    const price = (await database.pool.query(`SELECT p.amount FROM prices p JOIN items i ON i.id = p.item_id WHERE i.code = 'U-00007'`)).rows[0];
    expect(price.amount).toBe(1234);
    const taken = (await database.pool.query(`SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = 'U-00008'`)).rows[0].code;
    await page.fill('input[name=barcode]', taken);
    await page.click('text=Add barcode');
    await expect.poll(() => fieldError(page, 'barcode')).toContain('already belongs to U-00008');
    await page.screenshot({ path: screenshotPath('admin-item-edit'), fullPage: true });

    await page.goto(`${edge.storeBase}/admin/customers`);
    const limit = page.locator('input[name=creditLimit]').first();
    await limit.fill('750,50');
    await page.locator('tbody tr').first().locator('button:has-text("Save")').first().click();
    await expect.poll(() => fieldError(page.locator('tbody tr').first(), 'creditLimit')).toContain('thousands separator');
    await limit.fill('750.50');
    await page.locator('tbody tr').first().locator('button:has-text("Save")').first().click();
    await expect.poll(() => page.locator('[role=status]').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('admin-customers') });
  });

  it('runs a shift from open to Z: its sales, the Adjustment Queue, cash in, X, a Z that cannot be repeated', { timeout: 180_000 }, async () => {
    await page.goto(`${edge.storeBase}/admin/shifts`);
    await page.locator('select[name=deviceId]').selectOption({ label: 'R01 Front counter · Unofficial' });
    await page.fill('input[name=openingFloat]', '100,00');
    await page.click('text=Open shift');
    await expect.poll(() => fieldError(page, 'openingFloat')).toContain('thousands separator');
    await page.fill('input[name=openingFloat]', '100.00');
    await page.click('text=Open shift');
    await page.waitForURL(/\/admin\/shifts\/[0-9a-f-]{36}$/);
    const shiftUrl = page.url();
    const shiftId = shiftUrl.split('/').pop()!;
    await insertSale(database, { shiftId, cashGiven: 2000 });
    await insertSale(database, { shiftId, card: 1330 });
    await insertSale(database, { shiftId, crossCompany: false });

    await page.goto(`${edge.storeBase}/admin/shifts`);
    await expect.poll(() => page.locator('td', { hasText: 'R01 Front counter' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('admin-shifts'), fullPage: true });

    await page.goto(`${edge.storeBase}/admin/sales`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    await page.check('input[name=flagged]');
    await page.click('button:has-text("Filter")');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('admin-sales'), fullPage: true });
    await page.locator('tbody tr a').first().click();
    await page.waitForURL(/\/admin\/sales\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('text=cross-company').count()).toBe(1);
    expect(await page.locator('#receipt-preview').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('admin-sale-detail'), fullPage: true });

    await page.goto(`${edge.storeBase}/admin/adjustments`);
    await expect.poll(() => page.locator('section').count()).toBe(2);
    const first = page.locator('section').first();
    await first.locator('button:has-text("Resolve")').click();
    await expect.poll(() => fieldError(page.locator('section').first(), 'note')).toContain('write a note');
    await page.locator('section').first().locator('select[name=resolutionAction]').selectOption('inter_company_transfer');
    await page.locator('section').first().locator('input[name=note]').fill('Transferred stock from Official');
    await page.locator('section').first().locator('button:has-text("Resolve")').click();
    await expect.poll(() => page.locator('section').count()).toBe(1);
    await expect.poll(() => page.locator('td', { hasText: 'Transferred stock from Official' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('admin-adjustments'), fullPage: true });

    // Cash in, X, then the Z.
    await page.goto(shiftUrl);
    await page.locator('select[name=kind]').selectOption('in');
    await page.fill('input[name=amount]', '20');
    await page.click('button:has-text("Record")');
    await expect.poll(() => fieldError(page, 'reason')).toContain('give a reason');
    await page.fill('input[name=reason]', 'coins from the bank');
    await page.click('button:has-text("Record")');
    await expect.poll(() => page.locator('td', { hasText: 'coins from the bank' }).count()).toBe(1);
    await page.click('button:has-text("Run X report")');
    await page.waitForURL(/view=x/);
    // 100.00 float + 20.00 + 13.30 (given 20.00 − 6.70 change) + 13.30 cash; card sale adds no cash.
    const expected = page.locator('tr', { hasText: 'Expected' }).locator('td.num');
    await expect.poll(() => expected.textContent()).toBe('146.60');
    await page.screenshot({ path: screenshotPath('admin-shift-x'), fullPage: true });

    await page.fill('input[name=countedCash]', '146,00');
    await page.click('button:has-text("Close shift (Z)")');
    await expect.poll(() => fieldError(page, 'countedCash')).toContain('thousands separator');
    await page.fill('input[name=countedCash]', '146.00');
    await page.click('button:has-text("Close shift (Z)")');
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Z report no. 1');
    await page.goto(shiftUrl);
    await expect.poll(() => page.locator('h2', { hasText: 'Z report no. 1' }).count()).toBe(1);
    await expect.poll(() => page.locator('tr', { hasText: 'Variance' }).locator('td.num').textContent()).toBe('-0.60');
    await page.screenshot({ path: screenshotPath('admin-shift-z'), fullPage: true });

    // Straight to the action from the page itself (its origin, its CSRF token): the Z close refuses a second run.
    const _csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const again = await page.evaluate(
      async ([url, token]) =>
        (await fetch(url!, { method: 'POST', body: new URLSearchParams({ intent: 'close', countedCash: '1', _csrf: token! }), redirect: 'manual' })).status,
      [shiftUrl, _csrf],
    );
    expect(again).toBe(409);
    const csv = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { type: r.headers.get('content-type') ?? '', text: await r.text() };
    }, `${shiftUrl}/csv`);
    expect(csv.type).toContain('text/csv');
    const text = csv.text;
    expect(text).toContain('shift,report,Z 1');
    expect(text).toContain('cash,variance,-0.60');

    await page.goto(`${shiftUrl}?view=print`);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: screenshotPath('admin-shift-print'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${edge.storeBase}/admin/audit`);
    await expect.poll(() => page.locator('td', { hasText: 'shift.z_report' }).count()).toBe(1);
    const html = await page.content();
    expect(html).not.toContain('scrypt$');
    expect(html).toContain('[redacted]');
    await page.screenshot({ path: screenshotPath('admin-audit') });
  });
});
