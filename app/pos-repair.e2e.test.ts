// A register's browser replaced after it sold: the new browser is paired to the same register with a
// new code, and sells on at once, in a new receipt series (R01 → R01B), every sale booked once. Before
// the fix, pairing answered the old series' last number, numbering the next sale threw, and
// "Complete sale" did nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../test/browser';
import { issueEdgePairingCode, startEdge, type EdgeProcess } from '../test/edge-process';
import { queryEdge } from '../test/edge-with-two-browsers';
import { loginWithPin, scanInPage } from '../test/pos-page';

describe('a register paired again after its sales', () => {
  let edge: EdgeProcess;
  let dir: string;
  const contexts: BrowserContext[] = [];
  let barcode: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-repair-'));
    edge = await startEdge({ TILL_DATA_DIR: path.join(dir, 'edge') });
    barcode = (await queryEdge(edge, `SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = 'U-00001'`))[0].code as string;
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await edge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh browser profile paired to R01 with a new code, at the sell screen. */
  const pairedBrowser = async (name: string): Promise<Page> => {
    const code = await issueEdgePairingCode(edge.pgliteUrl!, 'R01');
    const { context } = await launchBrowser(path.join(dir, name), { trustSpki: [edge.caSpki] });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${edge.storeBase}/pos`);
    await page.getByLabel('pairing code').fill(code);
    await page.getByRole('button', { name: 'Pair' }).click();
    // The cashiers' PINs come with the first sync.
    await expect.poll(() => page.getByTestId('status').getAttribute('data-synced'), { timeout: 120_000 }).toBe('true');
    await loginWithPin(page, 120_000);
    return page;
  };

  /** Sells one item of company U in cash; the receipt number the POS says. */
  const sellOne = async (page: Page): Promise<string> => {
    await page.getByTestId('company-U').click();
    await scanInPage(page, barcode);
    await expect.poll(() => page.locator('[data-testid=cart] tbody tr').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/Sale \S+ completed/);
    return /Sale (\S+) completed/.exec((await page.getByRole('status').textContent())!)![1]!;
  };

  const booked = async (numbers: string[]) =>
    (await queryEdge(edge, `SELECT count(*)::int AS n FROM sales WHERE receipt_number = ANY($1)`, [numbers]))[0].n as number;

  it('sells at once in the new browser, in a new series, and the edge books every sale once', { timeout: 300_000 }, async () => {
    const first = await pairedBrowser('first');
    const before = [await sellOne(first), await sellOne(first)];
    expect(before[0]).toMatch(/^U-R01-\d{6}$/);
    await expect.poll(() => booked(before), { timeout: 30_000 }).toBe(2);
    await first.close();

    const second = await pairedBrowser('second');
    const after = [await sellOne(second), await sellOne(second)];
    await second.screenshot({ path: screenshotPath('pos-repaired') });
    // A new series for the new pairing, counting on from its start; nothing reused from the old one.
    const series = /^(U-R01[B-Z]+)-(\d{6})$/.exec(after[0]!);
    expect(series).not.toBeNull();
    expect(after[1]).toBe(`${series![1]}-${String(Number(series![2]) + 1).padStart(6, '0')}`);
    expect(after.filter((n) => before.includes(n))).toEqual([]);
    await expect.poll(() => booked([...before, ...after]), { timeout: 30_000 }).toBe(4);
    await expect.poll(() => second.getByTestId('queue').textContent(), { timeout: 30_000 }).toContain('queued: 0');
  });
});
