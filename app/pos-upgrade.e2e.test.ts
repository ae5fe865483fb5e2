// A register meets a newer edge, then a rolled-back one (ADR 003). The edge runs this checkout's build
// (version X), the register pairs and sells; the edge is restarted as a build of version Y while the
// register holds a queued sale and a cart: the new shell downloads, the register waits for the sale to
// complete, reloads into Y, its queue drains and the admin sees Y. Then the edge goes back to X: the
// register keeps selling on Y and says so, without reloading.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAppVersion } from '../infra/app-version';
import { buildAppCopy } from '../test/app-copy';
import { signInDemoAdmin } from '../test/admin-sign-in';
import { launchBrowser } from '../test/browser';
import { startEdge, type EdgeProcess } from '../test/edge-process';
import { pairAndLogin, registerQuery, scanInPage } from '../test/pos-page';

const root = path.resolve(__dirname, '..');
const X = builtAppVersion(root)!;
const Y = X.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_, a: string, b: string, c: string) => `${a}.${b}.${Number(c) + 1}`);

describe('register app update from its edge', () => {
  let dir: string;
  let env: Record<string, string>;
  let edge: EdgeProcess | undefined;
  let copy: string;
  let context: BrowserContext | undefined;
  let page: Page;
  let barcode: string;
  const logs: string[] = [];

  const edgeQuery = async <T>(sql: string): Promise<T[]> => {
    const c = new pg.Client({ connectionString: edge!.pgliteUrl });
    await c.connect();
    try {
      return (await c.query(sql)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const status = () =>
    page.evaluate(() => {
      const till = (window as unknown as { till?: { status(): { appVersion: string; queueDepth: number; shell: { kind: string } } } }).till;
      return till ? till.status() : null;
    });
  const sell = async () => {
    await scanInPage(page, barcode);
    await page.locator('[data-testid=cart] tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/completed/);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-upgrade-'));
    copy = buildAppCopy(Y, path.join(dir, 'app-y'));
    env = { TILL_DATA_DIR: path.join(dir, 'edge'), TILL_TLS_DIR: path.join(dir, 'tls') };
    edge = await startEdge(env);
    env.PORT = String(edge.port); // the register's origin (its service worker and database) includes the port
    barcode = (await edgeQuery<{ code: string }>(`SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = 'U-00001'`))[0]!.code;
    ({ context } = await launchBrowser(path.join(dir, 'chromium'), { trustSpki: [edge.caSpki] }));
    page = await context.newPage();
    page.on('pageerror', (e) => logs.push(e.message));
    page.on('console', (m) => m.type() === 'error' && logs.push(m.text()));
  }, 600_000);

  afterAll(async () => {
    if (logs.length) console.error(logs.join('\n'));
    await context?.close().catch(() => undefined);
    await edge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads into the newer edge only after the sale in progress, keeps the queue, and the admin sees the new version', { timeout: 600_000 }, async () => {
    expect(Y).not.toBe(X);
    const health = (await (await fetch(`${edge!.base}/health`)).json()) as { version: string };
    expect(health.version).toBe(X);
    await pairAndLogin(page, edge!.storeBase, /with code ([A-Z2-9]{5}-[A-Z2-9]{5})/.exec(edge!.output())![1]!);
    await sell();
    await expect.poll(async () => (await edgeQuery<{ n: number }>(`SELECT count(*)::int AS n FROM sales`))[0]!.n, { timeout: 30_000 }).toBe(1);
    expect((await status())!.appVersion).toBe(X);

    // The edge goes away; a sale is queued, the next customer's cart is open.
    await edge!.stop();
    await sell();
    expect((await status())!.queueDepth).toBe(1);
    await scanInPage(page, barcode);
    await page.locator('[data-testid=cart] tbody tr').first().waitFor();
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    edge = await startEdge(env, { root: copy });
    expect(((await (await fetch(`${edge.base}/health`)).json()) as { version: string }).version).toBe(Y);
    // The register finds the edge again, sees Y, downloads it, and waits for the cart.
    const note = page.locator('[data-testid=shell-update][data-state=ready]');
    await note.waitFor({ timeout: 120_000 });
    expect(await note.textContent()).toBe(`Updating to ${Y} after this sale`);
    await page.screenshot({ path: '/tmp/till-pos-updating.png' });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect((await status())!.appVersion).toBe(X);

    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    // The reload: a new document running Y, straight back to selling (the cashier's session survives it).
    await expect.poll(async () => (await status().catch(() => null))?.appVersion, { timeout: 60_000 }).toBe(Y);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBeUndefined();
    await page.getByTestId('cart').waitFor({ timeout: 60_000 });
    await sell();
    await expect.poll(async () => (await edgeQuery<{ n: number }>(`SELECT count(*)::int AS n FROM sales`))[0]!.n, { timeout: 60_000 }).toBe(4);
    await expect.poll(async () => (await status())!.queueDepth, { timeout: 30_000 }).toBe(0);
    const receipts = await registerQuery<{ receipt_number: string; status: string }>(
      page,
      `SELECT s.receipt_number, o.status FROM local_sales s JOIN outbox o ON o.event_id = s.event_id ORDER BY s.receipt_number`,
    );
    expect(receipts).toEqual(['000001', '000002', '000003', '000004'].map((n) => ({ receipt_number: `U-R01-${n}`, status: 'accepted' })));

    const admin = await context!.newPage();
    await signInDemoAdmin(admin, edge.storeBase);
    await expect.poll(async () => (await admin.reload(), await admin.getByTestId('app-version-R01').textContent()), { timeout: 30_000 }).toBe(Y);
    expect(await admin.getByTestId('edge-version').textContent()).toBe(Y);
    await admin.close();
  });

  it('keeps selling on the newer shell when the edge is rolled back, says so, and does not reload', { timeout: 600_000 }, async () => {
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await edge!.stop();
    edge = await startEdge(env);
    const note = page.locator('[data-testid=shell-update][data-state=edge-older]');
    await note.waitFor({ timeout: 120_000 });
    expect(await note.textContent()).toBe(`This register runs ${Y}, newer than the edge (${X}): selling continues.`);
    await page.screenshot({ path: '/tmp/till-pos-edge-older.png' });
    await sell();
    await expect.poll(async () => (await edgeQuery<{ n: number }>(`SELECT count(*)::int AS n FROM sales`))[0]!.n, { timeout: 60_000 }).toBe(5);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect((await status())!.appVersion).toBe(Y);
  });
});
