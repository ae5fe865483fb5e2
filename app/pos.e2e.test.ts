// The POS in Chromium as a register on the store LAN runs it: the edge by its store name over https,
// the store CA trusted the way an enrolled register trusts it. Paired once for the file; then PIN
// login, one POS tab at a time, selling in both companies, selling with the edge killed (after a
// reload and a browser restart too) and the queue drained exactly once, plain http sent to https.
// Each test starts from its own tab at the PIN pad and checks only the sales it made itself.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAppVersion } from '../infra/app-version';
import { launchBrowser, screenshotPath } from '../test/browser';
import { startEdge, type EdgeProcess } from '../test/edge-process';
import { queryEdge } from '../test/edge-with-two-browsers';
import { loginWithPin, openShiftIfAsked, scanInPage } from '../test/pos-page';

describe('POS register', () => {
  let edge: EdgeProcess;
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];
  let env: Record<string, string>;
  let shared: string;
  let onlyOfficial: string;

  const edgeQuery = (sql: string, params?: unknown[]) => queryEdge(edge, sql, params);
  const scan = (code: string) => scanInPage(page, code);

  /** The document CSP must leave PGlite, the service worker and receipts working; violations only show here. */
  const watchCsp = (p: Page) =>
    p.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });

  /** Pays the cart in exact cash and returns the receipt number the POS gave the sale. */
  const payCashAndComplete = async (): Promise<string> => {
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/completed/);
    return /Sale ([A-Z]+-R\d+-\d{6}) completed/.exec((await page.getByRole('status').textContent())!)![1]!;
  };

  /** A new POS tab at the PIN pad; the tab before is closed first (one POS tab holds the register). */
  const freshTab = async () => {
    if (page && !page.isClosed()) await page.close();
    page = await context.newPage();
    watchCsp(page);
    await page.goto(`${edge.storeBase}/pos`);
    await page.getByLabel('PIN').waitFor({ timeout: 60_000 });
  };

  /** A fresh tab logged in with the edge reachable and every queued sale sent: where a selling test starts. */
  const sellScreen = async () => {
    await freshTab();
    await loginWithPin(page);
    await expect.poll(() => page.getByTestId('status').getAttribute('data-synced'), { timeout: 60_000 }).toBe('true');
    await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 30_000 }).toContain('queued: 0');
  };

  // One edge, one browser profile and one pairing for the file.
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-pos-'));
    env = { TILL_DATA_DIR: path.join(dir, 'edge') };
    edge = await startEdge(env);
    env.PORT = String(edge.port); // a register's origin includes the port: the edge comes back on the same one
    shared = (await edgeQuery(`SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = 'O-00001'`))[0].code;
    onlyOfficial = (await edgeQuery(`SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = 'O-01999'`))[0].code;
    ({ context } = await launchBrowser(path.join(dir, 'chromium'), { trustSpki: [edge.caSpki] }));
    page = await context.newPage();
    watchCsp(page);
    const code = /with code ([A-Z2-9]{5}-[A-Z2-9]{5})/.exec(edge.output())![1]!;
    await page.goto(`${edge.storeBase}/pos`);
    await page.getByLabel('pairing code').fill(code);
    await page.getByRole('button', { name: 'Pair' }).click();
    await page.getByLabel('PIN').waitFor({ timeout: 120_000 });
  }, 360_000); // an edge start (up to 150 s on a loaded machine) and a first sync

  afterAll(async () => {
    await context?.close();
    await edge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs paired by the store name in a secure context with the offline shell, and logs a cashier in with a PIN', { timeout: 120_000 }, async () => {
    await freshTab();
    // What a register on the LAN needs from the browser: a secure context and the offline shell.
    expect(new URL(page.url()).origin).toBe(edge.storeBase);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toBe(
      `${edge.storeBase}/sw.js?v=${encodeURIComponent(builtAppVersion(path.resolve(__dirname, '..'))!)}`,
    );
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
    await sellScreen();
    const second = await context.newPage();
    watchCsp(second);
    await second.goto(`${edge.storeBase}/pos`);
    await expect.poll(() => second.getByRole('status').textContent(), { timeout: 30_000 }).toContain('open in another tab or window');
    await second.screenshot({ path: screenshotPath('pos-second-tab') });
    await page.close();
    page = second;
    await loginWithPin(page);
    expect(cspViolations).toEqual([]);
  });

  it(
    'sells a shared barcode from the invoice company, then from the other after the toggle, and flags a cross-company line',
    { timeout: 120_000 },
    async () => {
      await sellScreen();
      await page.getByTestId('company-U').click();
      await scan(shared);
      await expect.poll(() => page.locator('[data-testid=cart] tbody tr').first().getAttribute('data-company')).toBe('U');
      const fromU = await payCashAndComplete();
      expect(fromU).toMatch(/^U-R01-\d{6}$/);
      await page.getByTestId('receipt').waitFor();
      await page.screenshot({ path: screenshotPath('pos-receipt') });

      await page.getByTestId('company-O').click();
      await scan(shared);
      await expect.poll(() => page.locator('[data-testid=cart] tbody tr').first().getAttribute('data-company')).toBe('O');
      const fromO = await payCashAndComplete();
      expect(fromO).toMatch(/^O-R01-\d{6}$/);

      await page.getByTestId('company-U').click();
      await scan(onlyOfficial);
      await page.getByTestId('flagged').waitFor();
      await page.screenshot({ path: screenshotPath('pos-flagged') });
      const crossCompany = await payCashAndComplete();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('flagged for adjustment');

      const mine = [fromU, fromO, crossCompany];
      await expect
        .poll(async () => (await edgeQuery(`SELECT count(*)::int AS n FROM sales WHERE receipt_number = ANY($1)`, [mine]))[0].n, { timeout: 30_000 })
        .toBe(3);
      const flagged = await edgeQuery(`SELECT s.receipt_number FROM adjustment_queue a JOIN sales s ON s.id = a.sale_id WHERE s.receipt_number = ANY($1)`, [
        mine,
      ]);
      expect(flagged.map((r) => r.receipt_number)).toEqual([crossCompany]);
      await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 20_000 }).toContain('queued: 0');

      // A return by receipt number goes to the edge, and cannot exceed what was sold.
      await page.getByRole('button', { name: 'Return', exact: true }).click();
      await page.getByLabel('receipt number').fill(fromU);
      await page.getByRole('button', { name: 'Find sale' }).click();
      // A piece cannot be returned by halves: the panel says why.
      await page.locator('[aria-label^="return quantity"]').first().fill('0.5');
      await expect.poll(() => page.getByTestId('return-panel').getByRole('alert').textContent()).toContain('whole units only');
      await page.locator('[aria-label^="return quantity"]').first().fill('1');
      await page.getByRole('button', { name: 'Refund' }).click();
      await expect.poll(() => page.getByTestId('return-panel').getByRole('status').textContent()).toMatch(/Return RET-U-\d{6}: refund/);
      const returnNumber = /Return (RET-U-\d{6})/.exec((await page.getByTestId('return-panel').getByRole('status').textContent())!)![1];
      await page.screenshot({ path: screenshotPath('pos-return') });
      expect(cspViolations).toEqual([]);
      const returned = await edgeQuery(`SELECT r.receipt_number FROM returns r JOIN sales s ON s.id = r.original_sale_id WHERE s.receipt_number = $1`, [fromU]);
      expect(returned.map((r) => r.receipt_number)).toEqual([returnNumber]);
      await page.getByRole('button', { name: 'Close', exact: true }).click();
    },
  );

  it(
    'keeps selling with the edge killed, through a reload and a browser restart, and drains the queue exactly once when the edge is back',
    { timeout: 300_000 },
    async () => {
      await sellScreen();
      const salesBefore = (await edgeQuery(`SELECT count(*)::int AS n FROM sales`))[0].n as number;
      const offline: string[] = [];
      await edge.kill(); // SIGKILL of the launcher: nothing is shut down cleanly
      await expect.poll(() => page.getByTestId('badge-U').textContent(), { timeout: 30_000 }).toContain('OFFLINE');
      await scan(shared);
      offline.push(await payCashAndComplete());
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
      offline.push(await payCashAndComplete());
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
      watchCsp(page);
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
      offline.push(await payCashAndComplete());
      await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 20_000 }).toContain('queued: 3');
      await page.screenshot({ path: screenshotPath('pos-offline-browser-restarted') });

      edge = await startEdge(env);
      await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 90_000 }).toContain('queued: 0');
      // Each offline sale once, under the number the register gave it, and nothing else.
      expect(new Set(offline).size).toBe(3);
      const drained = await edgeQuery(`SELECT receipt_number FROM sales WHERE receipt_number = ANY($1) ORDER BY receipt_number`, [offline]);
      expect(drained.map((r) => r.receipt_number)).toEqual([...offline].sort());
      expect((await edgeQuery(`SELECT count(*)::int AS n FROM sales`))[0].n).toBe(salesBefore + 3);
      await expect.poll(() => page.getByTestId('badge-U').textContent(), { timeout: 30_000 }).toContain('OK');
    },
  );

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
