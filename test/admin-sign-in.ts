import type { Page } from 'playwright-core';

/** What the browser tests change the demo admin's password to at its first sign-in. */
export const DEMO_ADMIN_TEST_PASSWORD = 'till-demo-admin-changed';
const changedOn = new Set<string>();

/**
 * Signs the demo admin in through the login form; `landing` is where the edge sends them after.
 * The first sign-in on an edge must choose a new password (the demo admin is flagged so); this does it.
 */
export async function signInDemoAdmin(page: Page, base: string, landing: string | RegExp = /\/admin$/) {
  if (!/\/admin\/login/.test(page.url())) await page.goto(`${base}/admin/login`);
  await page.fill('input[name=email]', 'admin@demo.till');
  await page.fill('input[name=password]', changedOn.has(base) ? DEMO_ADMIN_TEST_PASSWORD : 'till-demo-admin');
  await page.click('button[type=submit]');
  if (!changedOn.has(base)) await changeDemoPassword(page, base);
  await page.waitForURL(landing);
}

/** On the forced password-change page: sets DEMO_ADMIN_TEST_PASSWORD, then goes on to where sign-in was headed. */
export async function changeDemoPassword(page: Page, base: string) {
  await page.waitForURL(/\/admin\/password/);
  await page.fill('input[name=currentPassword]', 'till-demo-admin');
  await page.fill('input[name=newPassword]', DEMO_ADMIN_TEST_PASSWORD);
  await page.fill('input[name=confirmPassword]', DEMO_ADMIN_TEST_PASSWORD);
  await page.click('button:has-text("Change password")');
  await page.waitForURL((u) => !u.pathname.startsWith('/admin/password'));
  changedOn.add(base);
}
