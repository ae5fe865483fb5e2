// A store from zero in Chromium: no demo data, the first admin signs up with the one-time setup code,
// lands on the setup walkthrough and goes through store, companies, warehouses, a register and a
// cashier; then the item and customer forms; then the sample ERPNext export is imported into the
// companies it made; then the register is paired, opens its shift, sells in both companies (the
// receipt in the store's time zone), and closes the shift with a blind count, and the Z appears in
// admin. Screenshots go to screenshots/.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalTime, formatOffset, wallClock } from '../core/local-time';
import { openDatabase, type Database } from '../db/client';
import { fieldError } from '../test/field-error';
import { launchBrowser, screenshotPath } from '../test/browser';
import { startEdge, type EdgeProcess } from '../test/edge-process';
import { receiptText, scanInPage } from '../test/pos-page';

const SEEDS = path.join(__dirname, '..', 'seeds', 'erpnext');
const expected = JSON.parse(readFileSync(path.join(SEEDS, 'expected.json'), 'utf8')) as {
  items: { Official: number; Unofficial: number };
  customers: number;
  bad: unknown[];
};

describe('a store from zero', () => {
  let edge: EdgeProcess;
  let dataDir: string;
  let context: BrowserContext;
  let database: Database;
  let page: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'till-from-zero-'));
    edge = await startEdge({ TILL_DATA_DIR: dataDir, TILL_DEMO: '0' });
    database = openDatabase(edge.pgliteUrl!, { max: 2, applicationName: 'till-e2e' });
    ({ context } = await launchBrowser(undefined, { trustSpki: [edge.caSpki] }));
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await database?.close();
    await edge?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const q = async (sql: string) => (await database.pool.query(sql)).rows;
  const shot = (name: string) => page.screenshot({ path: screenshotPath(`from-zero-${name}`), fullPage: true });
  const status = () => page.locator('[role=status], [role=alert]').first().textContent();

  it('walks the first admin through store, companies, warehouses, a register and a cashier', { timeout: 180_000 }, async () => {
    const code = /setup code (\S+)/.exec(edge.output())?.[1];
    expect(code, 'the edge prints a one-time setup code when no admin exists').toBeTruthy();
    expect(await q(`SELECT count(*)::int AS n FROM companies`)).toEqual([{ n: 0 }]);

    await page.goto(`${edge.storeBase}/admin`);
    await page.waitForURL(/\/admin\/login/);
    await page.fill('input[name=setupCode]', code!);
    await page.fill('input[name=email]', 'owner@corner.test');
    await page.fill('input[name=password]', 'corner shop owner pw');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin\/setup$/);

    // 1. Store: a bad time zone is refused by name, then saved.
    await expect.poll(() => page.locator('[aria-current=step]').textContent()).toContain('Store');
    await page.fill('input[name=name]', 'Corner Shop');
    await page.fill('textarea[name=address]', '2 High Street\n75001 Paris');
    await page.fill('input[name=timeZone]', 'Europe/Atlantis');
    await page.click('text=Save and continue');
    await expect.poll(() => fieldError(page, 'timeZone')).toMatch(/^not a time zone name/);
    await page.fill('input[name=timeZone]', 'Europe/Paris');
    await shot('1-store');
    await page.click('text=Save and continue');
    await page.waitForURL(/step=companies/);
    await shot('2-companies-step');

    // 2. Companies.
    await page.click('text=Open companies');
    await page.waitForURL(/\/admin\/companies$/);
    const addCompany = async (name: string, codeLetter: string, legal: string, vat: string) => {
      const form = page.locator('form[aria-label="new company"]');
      await form.locator('input[name=name]').fill(name);
      await form.locator('input[name=code]').fill(codeLetter);
      await form.locator('input[name=legalName]').fill(legal);
      await form.locator('input[name=vatId]').fill(vat);
      await form.locator('textarea[name=receiptFooter]').fill('Prices include VAT');
      await form.locator('button[type=submit]').click();
      await expect.poll(() => page.locator(`form[aria-label="company ${codeLetter}"]`).count()).toBe(1);
    };
    await addCompany('Official', 'O', 'Corner Official SARL', 'FR12345678901');
    await addCompany('Unofficial', 'U', 'Corner Trading SAS', 'FR98765432109');
    await shot('2-companies');

    // 3. A warehouse per company.
    await page.goto(`${edge.storeBase}/admin/setup?step=warehouses`);
    await shot('3-warehouses-step');
    await page.click('text=Open a warehouse per company');
    for (const [company, whCode] of [
      ['Official', 'O-MAIN'],
      ['Unofficial', 'U-MAIN'],
    ]) {
      await page.selectOption('select[name=companyId]', { label: company! });
      await page.fill('input[name=code]', whCode!);
      await page.fill('input[name=name]', 'Shop floor');
      await page.click('text=Create warehouse');
      await expect.poll(status).toMatch(/Warehouse created/);
    }
    await shot('3-warehouses');

    // 4. A register (a device per company, each in its company's warehouse).
    await page.goto(`${edge.storeBase}/admin/setup?step=register`);
    await shot('4-register-step');
    await page.click('text=Open a register');
    await page.fill('input[name=code]', 'R01');
    await page.fill('input[name=name]', 'Front counter');
    await page.click('text=Create register');
    await expect.poll(async () => (await q(`SELECT count(*)::int AS n FROM devices`))[0].n).toBe(2);
    await shot('4-register');

    // 5. A cashier; the step can also be skipped and revisited, and every step shows done at the end.
    await page.goto(`${edge.storeBase}/admin/setup?step=cashier`);
    await shot('5-cashier-step');
    await page.click('text=Open a cashier');
    await page.fill('input[name=name]', 'Ana');
    await page.fill('input[name=pin]', '4821');
    await page.click('text=Create cashier');
    await expect.poll(async () => (await q(`SELECT count(*)::int AS n FROM cashiers`))[0].n, { timeout: 30_000 }).toBe(1); // a PIN hash takes seconds on a loaded machine
    await shot('5-cashier');
    await page.goto(`${edge.storeBase}/admin/setup?step=store`);
    await expect.poll(() => page.locator('.stepper .badge.ok').count()).toBe(5);
    await expect.poll(status).toMatch(/Every step is done/);
    await shot('6-done');
  });

  it('creates a VAT rate, an item group, an item and a customer with their forms', { timeout: 120_000 }, async () => {
    await page.goto(`${edge.storeBase}/admin/tax-rates`);
    await page.selectOption('select[name=companyId]', { label: 'Official' });
    await page.fill('input[name=code]', 'VAT20');
    await page.fill('input[name=name]', 'VAT 20%');
    await page.fill('input[name=rate]', '20');
    await page.check('input[name=isDefault]');
    await page.click('text=Create tax rate');
    await expect.poll(status).toMatch(/created at 20/);

    await page.goto(`${edge.storeBase}/admin/item-groups`);
    await page.fill('form[aria-label="new item group"] input[name=name]', 'Drinks');
    await page.click('text=Add group');
    await expect.poll(status).toMatch(/Item group added/);

    await page.goto(`${edge.storeBase}/admin/items/new`);
    await page.selectOption('select[name=companyId]', { label: 'Official (EUR)' });
    await page.fill('input[name=code]', 'COLA-1L');
    await page.fill('input[name=name]', 'Cola 1 l');
    await page.selectOption('select[name=itemGroup]', 'Drinks');
    await page.fill('input[name=price]', '1,5');
    await page.fill('textarea[name=barcodes]', '4000000000017');
    await page.fill('input[name=maxDiscount]', '10');
    await page.click('text=Create item');
    await expect.poll(() => fieldError(page, 'price')).toMatch(/thousands separator/);
    await page.fill('input[name=price]', '1.50');
    await shot('item-form');
    await page.click('text=Create item');
    await page.waitForURL(/\/admin\/items\/[0-9a-f-]{36}$/);
    // The form can re-render (and detach) while the page settles after the redirect: retry until it holds still.
    const itemForm = page.locator('#item-form');
    await expect
      .poll(
        () =>
          itemForm.screenshot({ path: screenshotPath('from-zero-item-edit'), timeout: 5_000 }).then(
            () => true,
            () => false,
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(await q(`SELECT i.code, p.amount, i.max_discount_bp, i.item_group FROM items i JOIN prices p ON p.item_id = i.id`)).toEqual([
      { code: 'COLA-1L', amount: 150, max_discount_bp: 1000, item_group: 'Drinks' },
    ]);

    await page.goto(`${edge.storeBase}/admin/customers/new`);
    await page.fill('input[name=name]', 'Karim Saleh');
    await page.fill('input[name=phone]', '+33 6 12 34 56 78');
    await page.fill('input[name=email]', 'karim at example');
    await page.click('text=Create customer');
    await expect.poll(() => fieldError(page, 'email')).toContain('enter an email address');
    await page.fill('input[name=email]', 'karim@example.com');
    await page.fill('textarea[name=address]', '3 Rue X');
    const [official] = await q(`SELECT id FROM companies WHERE code = 'O'`);
    await page.fill(`input[name="creditLimit.${official.id}"]`, '500.00');
    await shot('customer-form');
    await page.click('text=Create customer');
    await page.waitForURL(/\/admin\/customers\/[0-9a-f-]{36}$/);
    expect(
      await q(
        `SELECT cu.code, cc.credit_limit FROM customers cu JOIN customer_credit cc ON cc.customer_id = cu.id JOIN companies c ON c.id = cc.company_id WHERE c.code = 'O'`,
      ),
    ).toEqual([{ code: 'CUST-00001', credit_limit: 50000 }]);

    // The customer's page: a credit limit the company's currency cannot hold is refused on its field, a good one saved.
    const officialLimit = `creditLimit.${official.id}`;
    await page.fill(`input[name="${officialLimit}"]`, '1.234');
    await page.click('text=Save customer');
    await expect.poll(() => fieldError(page, officialLimit)).toMatch(/decimal/);
    await page.fill(`input[name="${officialLimit}"]`, '650');
    await page.click('text=Save customer');
    await expect.poll(status).toMatch(/Customer saved/);
    await shot('customer-edit');
    expect(
      await q(
        `SELECT cc.credit_limit FROM customer_credit cc JOIN customers cu ON cu.id = cc.customer_id JOIN companies c ON c.id = cc.company_id WHERE c.code = 'O'`,
      ),
    ).toEqual([{ credit_limit: 65000 }]);

    // Times in lists are the store's local time with its offset.
    await page.goto(`${edge.storeBase}/admin/audit`);
    await expect
      .poll(() =>
        page
          .locator('td')
          .filter({ hasText: /\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+0[12]:00/ })
          .count(),
      )
      .toBeGreaterThan(0);
  });

  it('imports the sample ERPNext export into the companies the walkthrough made', { timeout: 180_000 }, async () => {
    // The export's Item Tax Templates ("VAT 10% - AHO") match a company's tax rates by name: the
    // rates come first, or the items that name them are rejected.
    for (const [company, code, rate, isDefault] of [
      ['Official', 'VAT10', '10', false],
      ['Unofficial', 'VAT20', '20', true],
      ['Unofficial', 'VAT10', '10', false],
    ] as const) {
      await page.goto(`${edge.storeBase}/admin/tax-rates`);
      await page.selectOption('select[name=companyId]', { label: company });
      await page.fill('input[name=code]', code);
      await page.fill('input[name=name]', `VAT ${rate}%`);
      await page.fill('input[name=rate]', rate);
      if (isDefault) await page.check('input[name=isDefault]');
      await page.click('text=Create tax rate');
      await expect.poll(status).toMatch(new RegExp(`created at ${rate}`));
    }

    await page.goto(`${edge.storeBase}/admin/import`);
    await page.setInputFiles(
      'input[name=files]',
      ['Item.csv', 'Item-flat-unofficial.csv', 'Item-template-legacy.csv', 'Item Price.csv', 'Customer.csv'].map((f) => path.join(SEEDS, f)),
    );
    // The companies exist already: the export's names are mapped onto them, none is created.
    await page.fill('input[name=companyMap]', 'AH Trading Official=Official,AH Trading Unofficial=Unofficial');
    expect(await page.isChecked('input[name=createCompanies]')).toBe(false);
    await page.click('button:has-text("Import")');
    const summary = page.locator('#import-summary');
    await expect.poll(() => summary.count(), { timeout: 150_000 }).toBe(1);
    expect(await page.locator('#import-companies').count()).toBe(0);
    // The deliberate bad rows are rejected (the list below also shows notices, like 3-decimal rates).
    await shot('10-import');
    expect(await summary.locator('p.muted').first().textContent()).toContain(`· ${expected.bad.length} rejected ·`);

    // Everything but the deliberate bad rows, next to the Cola made by hand.
    expect(await q(`SELECT c.code, count(*)::int AS n FROM items i JOIN companies c ON c.id = i.company_id GROUP BY c.code ORDER BY c.code`)).toEqual([
      { code: 'O', n: expected.items.Official + 1 },
      { code: 'U', n: expected.items.Unofficial },
    ]);
    // The export's CUST-00001 is the code the customer made by hand got, so it lands on that row.
    expect(await q(`SELECT count(*)::int AS n FROM customers`)).toEqual([{ n: expected.customers }]);
    expect(await q(`SELECT count(*)::int AS n FROM companies`)).toEqual([{ n: 2 }]);
    // The Unofficial item the register sells next.
    expect(
      await q(`SELECT i.name, p.amount FROM items i JOIN companies c ON c.id = i.company_id JOIN prices p ON p.item_id = i.id
               JOIN barcodes b ON b.item_id = i.id WHERE c.code = 'U' AND b.code = '50123451002128'`),
    ).toEqual([{ name: 'Spicy Peas 1002', amount: 2140 }]);
  });

  it('pairs the register, opens the shift with a float, sells, closes it at the register and shows the Z in admin', { timeout: 240_000 }, async () => {
    await page.goto(`${edge.storeBase}/admin/registers`);
    await page.click('button[value=pair]');
    const pairing = (await page.locator('[role=status] strong').textContent({ timeout: 15_000 }))!;
    const { context: posCtx } = await launchBrowser(undefined, { trustSpki: [edge.caSpki] });
    try {
      const pos = await posCtx.newPage();
      await pos.goto(`${edge.storeBase}/pos`);
      await pos.getByLabel('pairing code').fill(pairing);
      await pos.getByRole('button', { name: 'Pair' }).click();
      await expect.poll(() => pos.getByTestId('status').getAttribute('data-synced'), { timeout: 90_000 }).toBe('true');
      await pos.getByLabel('PIN').fill('4821');
      await pos.getByRole('button', { name: 'Log in' }).click();
      await pos.getByTestId('shift-open').waitFor({ timeout: 60_000 });
      await pos.getByLabel('opening float O').fill('80.00');
      await pos.getByLabel('opening float U').fill('0');
      await pos.screenshot({ path: screenshotPath('from-zero-7-shift-open') });
      await pos.getByRole('button', { name: 'Open shift' }).click();
      await pos.getByTestId('cart').waitFor({ timeout: 30_000 });

      // The Cola (Official), paid in exact cash.
      const soldBefore = new Date();
      await pos.getByTestId('company-O').click();
      await scanInPage(pos, '4000000000017');
      await expect.poll(() => pos.locator('[data-testid=cart] tbody tr').count(), { timeout: 30_000 }).toBe(1);
      await pos.getByRole('button', { name: 'Cash', exact: true }).click();
      await pos.getByRole('button', { name: 'Complete sale' }).click();
      await expect.poll(() => pos.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/Sale O-R01-000001 completed/);

      // The receipt on screen dates the sale in the store's zone (Europe/Paris), with its offset.
      await expect.poll(() => receiptText(pos), { timeout: 15_000 }).toContain('O-R01-000001');
      const soldAfter = new Date();
      const [, local, offset] = /(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) ([+-]\d{2}:\d{2})/.exec(await receiptText(pos)) ?? [];
      expect(offset).toBe(formatOffset(wallClock(soldAfter, 'Europe/Paris').offsetMinutes));
      expect(local! >= formatLocalTime(soldBefore, 'Europe/Paris', { offset: false })).toBe(true);
      expect(local! <= formatLocalTime(soldAfter, 'Europe/Paris', { offset: false })).toBe(true);
      await pos.getByTestId('receipt').screenshot({ path: screenshotPath('from-zero-8-receipt') });

      // An imported Unofficial item, paid in exact cash.
      await pos.getByTestId('company-U').click();
      await scanInPage(pos, '50123451002128');
      await expect.poll(() => pos.locator('[data-testid=cart] tbody tr').count(), { timeout: 30_000 }).toBe(1);
      await pos.getByRole('button', { name: 'Cash', exact: true }).click();
      await pos.getByRole('button', { name: 'Complete sale' }).click();
      await expect.poll(() => pos.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/Sale U-R01-000001 completed/);
      await expect.poll(() => receiptText(pos), { timeout: 15_000 }).toContain('Spicy Peas 1002');

      // Close at the register: a blind count that matches in each company (O 80.00 + 1.50, U 0 + 21.40),
      // so no manager is needed.
      await pos.getByRole('button', { name: 'Close shift' }).click();
      await pos.getByLabel('counted cash O').fill('81.50');
      await pos.getByLabel('counted cash U').fill('21.40');
      await pos.getByRole('button', { name: 'Submit count' }).click();
      await expect.poll(() => pos.getByTestId('variance-O').textContent()).toBe('0.00');
      await expect.poll(() => pos.getByTestId('variance-U').textContent()).toBe('0.00');
      await pos.screenshot({ path: screenshotPath('from-zero-8-shift-count') });
      await pos.getByRole('button', { name: 'Close shift' }).click();
      await pos.getByTestId('shift-closed').waitFor();
      await expect.poll(() => pos.getByTestId('queue').textContent(), { timeout: 60_000 }).toContain('queued: 0');
    } finally {
      await posCtx.close();
    }

    // The edge numbered the Z of each company; Admin → Shifts shows it.
    expect(
      await q(
        `SELECT c.code, z.number, sh.variance FROM z_reports z JOIN companies c ON c.id = z.company_id JOIN shifts sh ON sh.id = z.shift_id ORDER BY c.code`,
      ),
    ).toEqual([
      { code: 'O', number: 1, variance: 0 },
      { code: 'U', number: 1, variance: 0 },
    ]);
    await page.goto(`${edge.storeBase}/admin/shifts`);
    const row = page
      .locator('tr')
      .filter({ has: page.locator('td', { hasText: /^Official$/ }) })
      .first();
    await expect.poll(() => row.textContent()).toContain('Z 1');
    await row.getByRole('link').click();
    await page.locator('h2', { hasText: 'Z report no. 1' }).waitFor();
    expect(await page.getByTestId('register-close').textContent()).toBe('Closed at the register with a blind count by Ana.');
    expect(await page.locator('tr', { hasText: 'Counted' }).locator('td.num').textContent()).toBe('81.50');
    await shot('9-z-in-admin');
    expect(await q(`SELECT c.code, count(*)::int AS n FROM sales s JOIN companies c ON c.id = s.company_id GROUP BY c.code ORDER BY c.code`)).toEqual([
      { code: 'O', n: 1 },
      { code: 'U', n: 1 },
    ]);
  });
});
