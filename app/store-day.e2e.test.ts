// A store's day in Chromium against the real edge, admin and register together: pair the POS from
// Admin → Registers, open a shift, sell (one invoice cross-company), a register event the edge
// rejects, then Sales, the Adjustment Queue, System → Outbox, X and Z checked against the sales.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../core/money';
import { signInDemoAdmin } from '../test/admin-sign-in';
import { fieldError } from '../test/field-error';
import { screenshotPath } from '../test/browser';
import type { EdgeProcess } from '../test/edge-process';
import { queryEdge, startEdgeWithTwoBrowsers, type EdgeWithTwoBrowsers } from '../test/edge-with-two-browsers';
import { openShiftIfAsked } from '../test/pos-page';

describe('a day at the store', () => {
  let edge: EdgeProcess;
  let admin: Page;
  let pos: Page;

  const edgeQuery = (sql: string, params?: unknown[]) => queryEdge(edge, sql, params);
  const scan = (code: string) =>
    pos.evaluate((c) => {
      (document.activeElement as HTMLElement | null)?.blur();
      for (const key of [...c.split(''), 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    }, code);
  const tillQuery = (sql: string) =>
    pos.evaluate(
      (q) => (window as unknown as { till: { pg: { query(s: string): Promise<{ rows: Record<string, unknown>[] }> } } }).till.pg.query(q).then((r) => r.rows),
      sql,
    );

  let day: EdgeWithTwoBrowsers;
  beforeAll(async () => {
    day = await startEdgeWithTwoBrowsers('till-day-');
    ({ edge, admin, pos } = day);
  });

  afterAll(async () => {
    await day?.close();
  });

  it('runs from pairing to the Z report', { timeout: 240_000 }, async () => {
    // Admin: sign in, pairing code for R01, open a shift with a 100.00 float for R01 · Unofficial.
    await signInDemoAdmin(admin, edge.storeBase);
    await admin.goto(`${edge.storeBase}/admin/registers`);
    await admin.click('button[value=pair]');
    const code = (await admin.locator('[role=status] strong').textContent({ timeout: 15_000 }))!;
    await admin.goto(`${edge.storeBase}/admin/shifts`);
    await admin.locator('select[name=deviceId]').selectOption({ label: 'R01 Front counter · Unofficial' });
    await admin.fill('input[name=openingFloat]', '100.00');
    await admin.click('text=Open shift');
    await admin.waitForURL(/\/admin\/shifts\/[0-9a-f-]{36}$/);
    const shiftUrl = admin.url();
    const shiftId = shiftUrl.split('/').pop()!;

    // Register: pair with the admin's code, PIN, wait for the store data and the open shift.
    await pos.goto(`${edge.storeBase}/pos`);
    await pos.getByLabel('pairing code').fill(code);
    await pos.getByRole('button', { name: 'Pair' }).click();
    await expect.poll(() => pos.getByTestId('status').getAttribute('data-synced'), { timeout: 60_000 }).toBe('true');
    await pos.getByLabel('PIN').fill('5678');
    await pos.getByRole('button', { name: 'Log in' }).click();
    // The register knows the Unofficial shift the back office opened; it asks for the others' floats.
    await openShiftIfAsked(pos, '0');
    await pos.getByRole('button', { name: 'Sync both' }).click();
    await expect.poll(async () => (await tillQuery(`SELECT id FROM shifts WHERE status = 'open'`)).map((r) => r.id), { timeout: 60_000 }).toContain(shiftId);

    const [shared, onlyOfficial] = (await Promise.all(
      ['U-00010', 'O-01998'].map(
        async (c) => (await edgeQuery(`SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id WHERE i.code = $1`, [c]))[0].code as string,
      ),
    )) as [string, string];
    // Sale 1: cash with change. Sale 2: an Official item on an Unofficial invoice (flagged).
    for (const [barcode, given] of [
      [shared, '100'],
      [onlyOfficial, ''],
    ] as const) {
      await scan(barcode);
      await expect.poll(() => pos.locator('[data-testid=cart] tbody tr').count()).toBe(1);
      if (given) await pos.getByLabel('amount').fill(given);
      await pos.getByRole('button', { name: 'Cash', exact: true }).click();
      await pos.getByRole('button', { name: 'Complete sale' }).click();
      await expect.poll(() => pos.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/completed/);
    }
    // A register bug: an event whose totals do not add up. The edge must reject it, visibly.
    await pos.evaluate(async () => {
      const till = (
        window as unknown as { till: { pg: { query(s: string, p?: unknown[]): Promise<{ rows: { payload: Record<string, unknown> }[] }> }; kick(): void } }
      ).till;
      const last = (await till.pg.query(`SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1`)).rows[0]!.payload as {
        eventId: string;
        receiptNumber: string;
        sale: { saleId: string; totals: { total: number } };
      };
      const bad = structuredClone(last);
      bad.eventId = crypto.randomUUID();
      bad.sale.saleId = crypto.randomUUID();
      bad.receiptNumber = bad.receiptNumber.replace(/\d{6}$/, '000099');
      bad.sale.totals.total += 1;
      await till.pg.query(`INSERT INTO outbox (event_id, type, payload) VALUES ($1, 'sale.completed', $2)`, [bad.eventId, JSON.stringify(bad)]);
      till.kick();
    });
    await expect.poll(() => pos.getByTestId('rejections').textContent(), { timeout: 30_000 }).toContain('rejected: 1');
    await expect.poll(() => pos.getByTestId('queue').textContent(), { timeout: 30_000 }).toContain('queued: 0');
    await pos.screenshot({ path: screenshotPath('day-pos') });

    const sales = await edgeQuery(`SELECT receipt_number, total, change_due, flagged_for_adjustment FROM sales WHERE shift_id = $1 ORDER BY receipt_number`, [
      shiftId,
    ]);
    expect(sales.map((s) => [s.receipt_number, s.flagged_for_adjustment])).toEqual([
      ['U-R01-000001', false],
      ['U-R01-000002', true],
    ]);

    // Sales list and the Adjustment Queue.
    await admin.goto(`${edge.storeBase}/admin/sales`);
    await expect.poll(() => admin.locator('tbody tr').count()).toBe(2);
    await admin.goto(`${edge.storeBase}/admin/adjustments`);
    await expect.poll(() => admin.locator('section').count()).toBe(1);
    await admin.locator('section').first().locator('select[name=resolutionAction]').selectOption('inter_company_transfer');
    await admin.locator('section').first().locator('input[name=note]').fill('Official item sold on an Unofficial invoice');
    await admin.locator('section').first().locator('button:has-text("Resolve")').click();
    await expect.poll(() => admin.locator('section').count()).toBe(0);

    // System → Outbox: the rejected event with its reason; dismiss it with a note.
    await admin.goto(`${edge.storeBase}/admin/outbox`);
    const row = admin.locator('tr', { hasText: 'sale.completed' }).first();
    await expect.poll(() => row.textContent()).toContain('totals do not match');
    await admin.screenshot({ path: screenshotPath('day-outbox') });
    await row.locator('button[value=dismiss]').click();
    await expect.poll(() => fieldError(row, 'note')).toContain('say why');
    await row.locator('input[name=note]').fill('register bug, sale never happened');
    await row.locator('button[value=dismiss]').click();
    await expect.poll(() => admin.locator('tr', { hasText: 'sale.completed' }).count()).toBe(0);

    // X, then Z: expected cash = float + what the sales took in cash.
    const cash = 10_000 + sales.reduce((s, x) => s + (x.total as number), 0);
    const cashText = formatMoney(cash, { exponent: 2 });
    await admin.goto(shiftUrl);
    await admin.click('button:has-text("Run X report")');
    await admin.waitForURL(/view=x/);
    await expect.poll(() => admin.locator('tr', { hasText: 'Expected' }).locator('td.num').textContent()).toBe(cashText);
    await admin.screenshot({ path: screenshotPath('day-x'), fullPage: true });
    await admin.fill('input[name=countedCash]', cashText);
    await admin.click('button:has-text("Close shift (Z)")');
    await expect.poll(() => admin.locator('[role=status]').textContent()).toContain('Z report no. 1');
    await admin.goto(shiftUrl);
    await expect.poll(() => admin.locator('tr', { hasText: 'Variance' }).locator('td.num').textContent()).toBe('0.00');
    await admin.screenshot({ path: screenshotPath('day-z'), fullPage: true });
  });
});
