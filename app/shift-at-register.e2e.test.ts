// A shift at the register in Chromium against the real edge: a manager is named in Admin → Cashiers
// and the variance threshold set in Settings; the cashier opens the shift with a float per company,
// sells, loses the edge, closes with a blind count short by more than the threshold, a manager's PIN
// approves it, and once the edge is back the Z appears in Admin → Shifts with the number it gave.
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../core/money';
import { signInDemoAdmin } from '../test/admin-sign-in';
import type { EdgeProcess } from '../test/edge-process';
import { queryEdge, startEdgeWithTwoBrowsers, type EdgeWithTwoBrowsers } from '../test/edge-with-two-browsers';
import { registerQuery, scanInPage } from '../test/pos-page';

describe('a shift at the register', () => {
  let edge: EdgeProcess;
  let posCtx: BrowserContext;
  let admin: Page;
  let pos: Page;

  const edgeQuery = (sql: string, params?: unknown[]) => queryEdge(edge, sql, params);
  /** Screenshots stay out of the repository. */
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(os.tmpdir(), `till-shift-${name}.png`), fullPage: true });

  let day: EdgeWithTwoBrowsers;
  beforeAll(async () => {
    day = await startEdgeWithTwoBrowsers('till-shift-');
    ({ edge, posCtx, admin, pos } = day);
  });

  afterAll(async () => {
    await day?.close();
  });

  it('opens with a float, closes offline with a blind count a manager approves, and the edge numbers the Z', { timeout: 300_000 }, async () => {
    // Back office: Ben is a manager; a variance above 5.00 needs one.
    await signInDemoAdmin(admin, edge.storeBase);
    await admin.goto(`${edge.storeBase}/admin/cashiers`);
    await admin.getByLabel('role of Ben Cashier').selectOption('manager');
    await admin.locator('tr', { hasText: 'Ben Cashier' }).getByRole('button', { name: 'Set', exact: true }).click();
    await expect.poll(() => admin.locator('[role=status]').first().textContent()).toContain('Now a manager');
    await shot(admin, '0-admin-cashiers');
    await admin.goto(`${edge.storeBase}/admin/settings`);
    await admin.fill('input[name=shiftVarianceThreshold]', '5.00');
    await admin.click('text=Save store settings');
    await expect.poll(() => admin.locator('[role=status]').first().textContent()).toContain('Store settings saved');
    await shot(admin, '0-admin-settings');
    expect(await edgeQuery(`SELECT shift_variance_threshold FROM store_settings`)).toEqual([{ shift_variance_threshold: 500 }]);

    // Register: pair, Ana's PIN, then the shift asks for a float per company.
    const code = /with code ([A-Z2-9]{5}-[A-Z2-9]{5})/.exec(edge.output())![1]!;
    await pos.goto(`${edge.storeBase}/pos`);
    await pos.getByLabel('pairing code').fill(code);
    await pos.getByRole('button', { name: 'Pair' }).click();
    await expect.poll(() => pos.getByTestId('status').getAttribute('data-synced'), { timeout: 90_000 }).toBe('true');
    await expect.poll(async () => (await registerQuery(pos, `SELECT shift_variance_threshold AS t FROM store_settings`))[0]?.t, { timeout: 60_000 }).toBe(500);
    await pos.getByLabel('PIN').fill('1234');
    await pos.getByRole('button', { name: 'Log in' }).click();
    await pos.getByTestId('shift-open').waitFor({ timeout: 60_000 });
    await pos.getByLabel('opening float U').fill('1,5');
    await pos.getByLabel('opening float O').fill('50');
    await pos.getByRole('button', { name: 'Open shift' }).click();
    await expect.poll(() => pos.getByRole('alert').textContent()).toMatch(/^Unofficial: /); // "1,5" is ambiguous: refused, not guessed
    await pos.getByLabel('opening float U').fill('100.00');
    await shot(pos, '1-open');
    await pos.getByRole('button', { name: 'Open shift' }).click();
    await pos.getByTestId('cart').waitFor({ timeout: 30_000 });
    await expect.poll(() => pos.getByTestId('shift').textContent()).toContain('shift open since');

    // One cash sale in Unofficial, 100.00 given.
    const barcode = (await edgeQuery(`SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = 'U-00010'`))[0].code as string;
    await scanInPage(pos, barcode);
    await expect.poll(() => pos.locator('[data-testid=cart] tbody tr').count()).toBe(1);
    await pos.getByLabel('amount').fill('100');
    await pos.getByRole('button', { name: 'Cash', exact: true }).click();
    await pos.getByRole('button', { name: 'Complete sale' }).click();
    await expect.poll(() => pos.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/completed/);
    await expect.poll(() => pos.getByTestId('queue').textContent(), { timeout: 30_000 }).toContain('queued: 0');
    const [shiftU] = await edgeQuery(`SELECT sh.id FROM shifts sh JOIN companies c ON c.id = sh.company_id WHERE c.code = 'U' AND sh.status = 'open'`);
    const [sale] = await edgeQuery(`SELECT total, shift_id FROM sales`);
    expect(sale.shift_id).toBe(shiftU.id);
    const expected = 10_000 + (sale.total as number);

    // The edge goes away; the close is counted and approved offline.
    await posCtx.setOffline(true);
    await expect.poll(() => pos.getByTestId('badge-U').textContent(), { timeout: 60_000 }).toContain('OFFLINE');
    await pos.getByRole('button', { name: 'Close shift' }).click();
    await pos.getByTestId('shift-count').waitFor();
    expect(await pos.getByTestId('shift-count').textContent()).not.toContain(formatMoney(expected, { exponent: 2 }));
    await shot(pos, '2-blind-count');
    const counted = expected - 2000; // 20.00 short
    await pos.getByLabel('counted cash U').fill(formatMoney(counted, { exponent: 2 }));
    await pos.getByLabel('counted cash O').fill('50.00');
    await pos.getByRole('button', { name: 'Submit count' }).click();
    await pos.getByTestId('shift-after-count').waitFor();
    expect(await pos.getByTestId('variance-U').textContent()).toBe('-20.00');
    expect(await pos.getByTestId('variance-O').textContent()).toBe('0.00');
    expect(await pos.locator('tr', { hasText: 'Expected cash' }).textContent()).toContain(formatMoney(expected, { exponent: 2, group: ',' }));
    await expect.poll(() => pos.getByRole('button', { name: 'Close shift' }).isDisabled()).toBe(true);
    await shot(pos, '3-figures-after-count');
    await pos.getByLabel('manager PIN').fill('1234'); // Ana is not a manager
    await pos.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => pos.getByRole('alert').textContent(), { timeout: 30_000 }).toContain("Not a manager's PIN");
    await shot(pos, '4-manager-approval');
    await pos.getByLabel('manager PIN').fill('5678');
    await pos.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => pos.getByTestId('approved').textContent(), { timeout: 30_000 }).toBe('Variance approved by Ben Cashier');
    await shot(pos, '5-approved');
    await pos.getByRole('button', { name: 'Close shift' }).click();
    await pos.getByTestId('shift-closed').waitFor();
    await expect.poll(() => pos.getByTestId('queue').textContent()).toContain('queued: 2');
    await shot(pos, '6-closed-offline');
    await pos.getByRole('button', { name: 'Done' }).click();
    await pos.getByLabel('PIN').waitFor();

    // The edge is back: the closes drain, the edge numbers the Z and checks the approver.
    await posCtx.setOffline(false);
    await pos.getByRole('button', { name: 'Reconnect' }).click();
    await expect.poll(async () => (await edgeQuery(`SELECT count(*)::int AS n FROM z_reports`))[0].n, { timeout: 90_000 }).toBe(2);
    const [z] = await edgeQuery(
      `SELECT z.number, sh.variance, sh.counted_cash, sh.close_findings, k.name AS approver FROM z_reports z JOIN shifts sh ON sh.id = z.shift_id
         JOIN cashiers k ON k.id = sh.approved_by_cashier_id WHERE sh.id = $1`,
      [shiftU.id],
    );
    expect(z).toEqual({ number: 1, variance: -2000, counted_cash: counted, close_findings: [], approver: 'Ben Cashier' });

    await admin.goto(`${edge.storeBase}/admin/shifts`);
    const row = admin.locator('tr', { hasText: 'Unofficial' }).first();
    await expect.poll(() => row.textContent()).toContain('Z 1');
    expect(await row.textContent()).toContain('at register');
    await shot(admin, '7-admin-shifts');
    await row.getByRole('link').click();
    await admin.locator('h2', { hasText: 'Z report no. 1' }).waitFor();
    expect(await admin.getByTestId('register-close').textContent()).toBe(
      'Closed at the register with a blind count by Ana Cashier; variance approved by manager Ben Cashier.',
    );
    await shot(admin, '8-admin-z');
  });
});
