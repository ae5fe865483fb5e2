// The POS in Chromium as a register on the store LAN runs it: the edge by its store name over https,
// the store CA trusted the way an enrolled register trusts it. Pair, PIN login, sell in both companies,
// keep selling with the edge killed (after a reload and a browser restart too), and drain the queue
// exactly once when the edge comes back.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAppVersion } from '../infra/app-version';
import { launchBrowser, screenshotPath } from '../test/browser';
import { startEdge, type EdgeProcess } from '../test/edge-process';
import { openShiftIfAsked } from '../test/pos-page';

describe('POS register', () => {
  let edge: EdgeProcess;
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];
  let env: Record<string, string>;
  let edgeDbUrl: string;
  let shared: string;
  let onlyOfficial: string;

  const edgeQuery = async (sql: string, params: unknown[] = []) => {
    const c = new pg.Client({ connectionString: edgeDbUrl });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows;
    } finally {
      await c.end();
    }
  };

  /**
   * A scanner: a burst of keydown events ending in Enter, aimed at the page rather than a field.
   * Dispatched in one go inside the page, so the burst stays a burst on a busy machine.
   */
  const scan = async (code: string) => {
    await page.evaluate((c) => {
      (document.activeElement as HTMLElement | null)?.blur();
      for (const key of [...c.split(''), 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    }, code);
  };

  const payCashAndComplete = async () => {
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/completed/);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-pos-'));
    env = { TILL_DATA_DIR: path.join(dir, 'edge') };
    edge = await startEdge(env);
    env.PORT = String(edge.port); // a register's origin includes the port: the edge comes back on the same one
    edgeDbUrl = edge.pgliteUrl!;
    shared = (await edgeQuery(`SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = 'O-00001'`))[0].code;
    onlyOfficial = (await edgeQuery(`SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = 'O-01999'`))[0].code;
    ({ context } = await launchBrowser(path.join(dir, 'chromium'), { trustSpki: [edge.caSpki] }));
    page = await context.newPage();
    // The document CSP must leave PGlite, the service worker and receipts working; violations only show here.
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await edge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pairs with the admin code, syncs both companies and logs a cashier in with a PIN', { timeout: 120_000 }, async () => {
    const code = /with code ([A-Z2-9]{5}-[A-Z2-9]{5})/.exec(edge.output())![1]!;
    await page.goto(`${edge.storeBase}/pos`);
    await page.getByLabel('pairing code').fill(code);
    await page.getByRole('button', { name: 'Pair' }).click();
    await page.getByLabel('PIN').waitFor({ timeout: 60_000 });
    // What a register on the LAN needs from the browser: a secure context and the offline shell.
    expect(new URL(page.url()).origin).toBe(edge.storeBase);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toBe(`${edge.storeBase}/sw.js?v=${encodeURIComponent(builtAppVersion(path.resolve(__dirname, '..'))!)}`);
    await expect.poll(() => page.getByTestId('badge-U').textContent(), { timeout: 60_000 }).toContain('OK');
    await page.screenshot({ path: screenshotPath('pos-login') });
    await page.getByLabel('PIN').fill('0000');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong PIN');
    await page.getByLabel('PIN').fill('1234');
    await page.getByRole('button', { name: 'Log in' }).click();
    await openShiftIfAsked(page, '100.00', 30_000);
    expect(cspViolations).toEqual([]);
  });

  it('queues a second POS tab with a clear message, and lets it take over when the first one closes', { timeout: 120_000 }, async () => {
    const second = await context.newPage();
    second.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    await second.goto(`${edge.storeBase}/pos`);
    await expect.poll(() => second.getByRole('status').textContent(), { timeout: 30_000 }).toContain('open in another tab or window');
    await second.screenshot({ path: screenshotPath('pos-second-tab') });
    await page.close();
    page = second;
    await page.getByLabel('PIN').waitFor({ timeout: 60_000 });
    await page.getByLabel('PIN').fill('1234');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('cart').waitFor({ timeout: 30_000 });
  });

  it('sells a shared barcode from the invoice company, then from the other after the toggle, and flags a cross-company line', { timeout: 120_000 }, async () => {
    await expect.poll(() => page.getByTestId('status').getAttribute('data-synced'), { timeout: 60_000 }).toBe('true');
    await scan(shared);
    await expect.poll(() => page.locator('[data-testid=cart] tbody tr').first().getAttribute('data-company')).toBe('U');
    await payCashAndComplete();
    const firstReceipt = /Sale (U-R01-\d{6})/.exec((await page.getByRole('status').textContent())!)![1];
    expect(firstReceipt).toBe('U-R01-000001');
    await page.getByTestId('receipt').waitFor();
    await page.screenshot({ path: screenshotPath('pos-receipt') });

    await page.getByTestId('company-O').click();
    await scan(shared);
    await expect.poll(() => page.locator('[data-testid=cart] tbody tr').first().getAttribute('data-company')).toBe('O');
    await payCashAndComplete();

    await page.getByTestId('company-U').click();
    await scan(onlyOfficial);
    await page.getByTestId('flagged').waitFor();
    await page.screenshot({ path: screenshotPath('pos-flagged') });
    await payCashAndComplete();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('flagged for adjustment');

    await expect.poll(async () => (await edgeQuery(`SELECT count(*)::int AS n FROM sales`))[0].n, { timeout: 30_000 }).toBe(3);
    const flagged = await edgeQuery(`SELECT s.receipt_number FROM adjustment_queue a JOIN sales s ON s.id = a.sale_id`);
    expect(flagged.map((r) => r.receipt_number)).toEqual(['U-R01-000002']);
    await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 20_000 }).toContain('queued: 0');

    // A return by receipt number goes to the edge, and cannot exceed what was sold.
    await page.getByRole('button', { name: 'Return', exact: true }).click();
    await page.getByLabel('receipt number').fill('U-R01-000001');
    await page.getByRole('button', { name: 'Find sale' }).click();
    // A piece cannot be returned by halves: the panel says why.
    await page.locator('[aria-label^="return quantity"]').first().fill('0.5');
    await expect.poll(() => page.getByTestId('return-panel').getByRole('alert').textContent()).toContain('whole units only');
    await page.locator('[aria-label^="return quantity"]').first().fill('1');
    await page.getByRole('button', { name: 'Refund' }).click();
    await expect.poll(() => page.getByTestId('return-panel').getByRole('status').textContent()).toMatch(/Return RET-U-000001: refund/);
    await page.screenshot({ path: screenshotPath('pos-return') });
    expect(cspViolations).toEqual([]);
    expect((await edgeQuery(`SELECT receipt_number FROM returns`)).map((r) => r.receipt_number)).toEqual(['RET-U-000001']);
    await page.getByRole('button', { name: 'Close', exact: true }).click();
  });

  it('keeps selling with the edge killed, through a reload and a browser restart, and drains the queue exactly once when the edge is back', { timeout: 300_000 }, async () => {
    await edge.kill(); // SIGKILL of the launcher: nothing is shut down cleanly
    await expect.poll(() => page.getByTestId('badge-U').textContent(), { timeout: 30_000 }).toContain('OFFLINE');
    await scan(shared);
    await payCashAndComplete();
    await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 20_000 }).toContain('queued: 1');
    await page.screenshot({ path: screenshotPath('pos-offline') });

    // An offline reload asks the edge once (the probe) before anything else: no burst of shape, push or renew requests.
    const sent: string[] = [];
    const onRequest = (r: Request) => {
      const u = new URL(r.url());
      if (!r.serviceWorker() && u.origin === edge.storeBase && /^\/(v1|sync|api|health)\b/.test(u.pathname)) sent.push(u.pathname);
    };
    context.on('request', onRequest);
    await page.reload();
    await page.getByTestId('cart').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('pos-offline-reloaded') });
    // Up to the second probe (3 s ± 25 % after the first), the probe is all that went out.
    await expect.poll(() => sent.filter((p) => p === '/health').length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    context.off('request', onRequest);
    expect(sent.filter((p) => p !== '/health')).toEqual([]);
    await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 30_000 }).toContain('queued: 1');
    await scan(shared);
    await payCashAndComplete();
    await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 20_000 }).toContain('queued: 2');
    // Credit needs the edge: blocked with a message, the rest keeps working.
    await scan(shared);
    await expect.poll(() => page.getByRole('note').textContent()).toContain('Credit sales need the edge');
    await page.getByRole('button', { name: 'Return', exact: true }).click();
    await expect.poll(() => page.getByTestId('return-panel').getByRole('note').textContent()).toContain('Returns need the edge');
    await page.getByRole('button', { name: 'Close', exact: true }).click();

    // The browser itself restarts with the edge still down: the shell, the data and the queue are all local.
    await context.close();
    ({ context } = await launchBrowser(path.join(dir, 'chromium'), { trustSpki: [edge.caSpki] }));
    page = await context.newPage();
    await page.goto(`${edge.storeBase}/pos`);
    await page.getByLabel('PIN').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await page.getByLabel('PIN').fill('1234');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByTestId('cart')
      .waitFor({ timeout: 60_000 })
      .catch(async (e: Error) => {
        await page.screenshot({ path: screenshotPath('pos-offline-browser-restarted-login') });
        throw e;
      });
    await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 30_000 }).toContain('queued: 2');
    await scan(shared);
    await payCashAndComplete();
    await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 20_000 }).toContain('queued: 3');
    await page.screenshot({ path: screenshotPath('pos-offline-browser-restarted') });

    edge = await startEdge(env);
    edgeDbUrl = edge.pgliteUrl!;
    await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 90_000 }).toContain('queued: 0');
    const rows = await edgeQuery(`SELECT receipt_number FROM sales ORDER BY receipt_number`);
    expect(rows.map((r) => r.receipt_number)).toEqual([
      'O-R01-000001',
      'U-R01-000001',
      'U-R01-000002',
      'U-R01-000003',
      'U-R01-000004',
      'U-R01-000005',
    ]);
    await expect.poll(() => page.getByTestId('badge-U').textContent(), { timeout: 30_000 }).toContain('OK');
  });

  it('sends a register that opens the POS over plain http by the store name to https, and explains an insecure context', { timeout: 120_000 }, async () => {
    const other = await context.newPage();
    try {
      // Typed without https: the edge redirects on the same port; the register trusts the store CA, so the POS opens.
      await other.goto(`http://till-edge.test:${edge.port}/pos`);
      expect(other.url()).toBe(`${edge.storeBase}/pos`);
      expect(await other.evaluate(() => window.isSecureContext)).toBe(true);

      // The enrolment page is reachable before trust, over plain http, and shows the CA fingerprint.
      await other.goto(`http://till-edge.test:${edge.port}/setup`);
      expect(other.url()).toBe(`http://till-edge.test:${edge.port}/setup`);
      const fingerprint = await other.getByTestId('ca-fingerprint').textContent();
      expect(fingerprint).toBe(new X509Certificate(edge.caPem).fingerprint256);
      await other.screenshot({ path: screenshotPath('setup-enrol'), fullPage: true });
      const ca = await other.evaluate(async (url) => {
        const r = await fetch(url);
        return { status: r.status, text: await r.text() };
      }, `http://till-edge.test:${edge.port}/setup/ca.crt`);
      expect(ca).toEqual({ status: 200, text: edge.caPem });

      // Served as plain http anyway (here: the function server's private port, as a misconfigured proxy
      // would), the POS says what to open instead of failing at the first sale.
      const privatePort = /"message":"function server ready"[^\n]*"port":(\d+)/.exec(edge.output())![1];
      await other.goto(`http://till-edge.test:${privatePort}/pos`);
      expect(await other.evaluate(() => window.isSecureContext)).toBe(false);
      const alert = other.getByTestId('insecure-context');
      await alert.waitFor();
      expect(await alert.getByRole('link').first().getAttribute('href')).toBe(`${edge.storeBase}/pos`);
      await other.screenshot({ path: screenshotPath('pos-insecure-context') });
    } finally {
      await other.close();
    }
  });
});
