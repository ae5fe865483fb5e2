// The admin back office in Chromium against the real edge.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../test/browser';
import { startEdge, type EdgeProcess } from '../test/edge-process';

const ADMIN_ROUTES = ['/admin', '/admin/registers', '/admin/outbox'];

describe('admin back office', () => {
  let edge: EdgeProcess;
  let dataDir: string;
  let context: BrowserContext;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'till-admin-'));
    edge = await startEdge({ TILL_DATA_DIR: dataDir });
    ({ context } = await launchBrowser());
  });

  afterAll(async () => {
    await context?.close();
    await edge?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends every admin route to sign-in without a session, and refuses admin actions', async () => {
    for (const route of ADMIN_ROUTES) {
      const r = await fetch(`${edge.base}${route}`, { redirect: 'manual' });
      expect({ route, status: r.status }).toEqual({ route, status: 302 });
      expect(r.headers.get('location')).toMatch(/^\/admin\/login\?next=/);
      const post = await fetch(`${edge.base}${route}?index`, { method: 'POST', body: new URLSearchParams({ intent: 'pair' }), redirect: 'manual' });
      expect([302, 401, 403, 405]).toContain(post.status);
    }
    const forged = await fetch(`${edge.base}/admin/registers`, { headers: { cookie: 'till_admin=eyJhbGciOiJIUzI1NiJ9.e30.x' }, redirect: 'manual' });
    expect(forged.status).toBe(302);
  });

  it('signs in, shows the overview, issues a pairing code and lists the outbox', { timeout: 90_000 }, async () => {
    const page = await context.newPage();
    await page.goto(`${edge.base}/admin/registers`);
    await page.waitForURL(/\/admin\/login/);
    await page.screenshot({ path: screenshotPath('admin-login') });
    await page.fill('input[name=email]', 'admin@demo.till');
    await page.fill('input[name=password]', 'wrong password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('wrong');
    await page.fill('input[name=password]', 'till-demo-admin');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin\/registers$/);
    await page.click('button[value=pair]');
    const code = await page.locator('[role=status] strong').textContent({ timeout: 10_000 });
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    await page.screenshot({ path: screenshotPath('admin-registers') });

    await page.goto(`${edge.base}/admin`);
    await expect.poll(() => page.locator('td', { hasText: 'Unofficial' }).count()).toBeGreaterThan(0);
    expect(await page.locator('text=default invoice company').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('admin-overview') });

    // A paired register's bad input is kept for the outbox (an anonymous caller's is only counted).
    const paired = await fetch(`${edge.base}/sync/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode: code, appVersion: 'e2e' }),
    });
    const { token } = (await paired.json()) as { token: string };
    await fetch(`${edge.base}/api/companies/bad/items`, { headers: { authorization: `Bearer ${token}` } });
    await page.goto(`${edge.base}/admin/outbox`);
    await expect.poll(() => page.locator('td', { hasText: 'items-list' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('admin-outbox') });
    await page.locator('tr', { hasText: 'items-list' }).first().locator('input[name=note]').fill('bad client, ignored');
    await page.locator('tr', { hasText: 'items-list' }).first().locator('button[value=dismiss]').click();
    await expect.poll(() => page.locator('td', { hasText: 'items-list' }).count()).toBe(0);
  });
});
