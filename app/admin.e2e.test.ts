// The admin back office in Chromium against the real edge.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeDemoPassword } from '../test/admin-sign-in';
import { fieldError } from '../test/field-error';
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
    ({ context } = await launchBrowser(undefined, { trustSpki: [edge.caSpki] }));
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
    // Documents carry the security headers.
    const doc = await fetch(`${edge.base}/admin/login`);
    expect(doc.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(doc.headers.get('x-frame-options')).toBe('DENY');
    expect(doc.headers.get('x-content-type-options')).toBe('nosniff');
    expect(doc.headers.get('referrer-policy')).toBe('same-origin');
    const pos = await fetch(`${edge.base}/pos`);
    expect(pos.headers.get('content-security-policy')).toMatch(/'wasm-unsafe-eval'/);
  });

  it('signs in, shows the overview, issues a pairing code and lists the outbox', { timeout: 90_000 }, async () => {
    const page = await context.newPage();
    // A CSP that blocks something the pages need fails silently; the console is where it shows.
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${edge.storeBase}/admin/registers`);
    await page.waitForURL(/\/admin\/login/);
    await page.screenshot({ path: screenshotPath('admin-login') });
    await page.fill('input[name=email]', 'admin at demo');
    await page.click('button[type=submit]');
    await expect.poll(() => fieldError(page, 'email')).toBe('enter an email address');
    await page.fill('input[name=email]', 'admin@demo.till');
    await page.fill('input[name=password]', 'wrong password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('wrong');
    await page.fill('input[name=password]', 'till-demo-admin');
    await page.click('button[type=submit]');
    // The demo admin must choose its own password before any other page works.
    await page.waitForURL(/\/admin\/password/);
    await page.screenshot({ path: screenshotPath('admin-password') });
    await page.fill('input[name=currentPassword]', 'till-demo-admin');
    await page.fill('input[name=newPassword]', 'one new password');
    await page.fill('input[name=confirmPassword]', 'another new password');
    await page.click('button:has-text("Change password")');
    await expect.poll(() => fieldError(page, 'confirmPassword')).toBe('the two new passwords differ');
    await page.fill('input[name=currentPassword]', 'not the password');
    await page.fill('input[name=confirmPassword]', 'one new password');
    await page.click('button:has-text("Change password")');
    await expect.poll(() => fieldError(page, 'currentPassword')).toBe('the current password is wrong');
    await changeDemoPassword(page, edge.storeBase);
    await page.waitForURL(/\/admin\/registers$/);
    await page.click('button[value=pair]');
    const code = await page.locator('[role=status] strong').textContent({ timeout: 10_000 });
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    await page.screenshot({ path: screenshotPath('admin-registers') });

    await page.goto(`${edge.storeBase}/admin`);
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
    await page.goto(`${edge.storeBase}/admin/outbox`);
    await expect.poll(() => page.locator('td', { hasText: 'items-list' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('admin-outbox') });
    await page.locator('tr', { hasText: 'items-list' }).first().locator('input[name=note]').fill('bad client, ignored');
    await page.locator('tr', { hasText: 'items-list' }).first().locator('button[value=dismiss]').click();
    await expect.poll(() => page.locator('td', { hasText: 'items-list' }).count()).toBe(0);

    // A fetcher-style (?_data=) admin action with the signed-in cookie but another origin is refused.
    const cookie = (await context.cookies(edge.storeBase)).map((c) => `${c.name}=${c.value}`).join('; ');
    const _csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const foreign = await fetch(`${edge.base}/admin/outbox?_data=routes%2Fadmin.outbox`, {
      method: 'POST',
      headers: { cookie, origin: 'http://127.0.0.1:1' },
      body: new URLSearchParams({ _csrf, intent: 'retry', id: '1' }),
    });
    expect(foreign.status).toBe(403);

    // Sign-out ends the session on the edge: replaying the old cookie is refused.
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/admin\/login/);
    const replay = await fetch(`${edge.base}/admin/outbox`, { headers: { cookie }, redirect: 'manual' });
    expect(replay.status).toBe(302);
    expect(violations).toEqual([]);
  });
});
