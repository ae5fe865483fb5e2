import type { Page } from 'playwright-core';

/** Signs the demo admin in through the login form; `landing` is where the edge sends them after. */
export async function signInDemoAdmin(page: Page, base: string, landing: string | RegExp = /\/admin$/) {
  if (!/\/admin\/login/.test(page.url())) await page.goto(`${base}/admin/login`);
  await page.fill('input[name=email]', 'admin@demo.till');
  await page.fill('input[name=password]', 'till-demo-admin');
  await page.click('button[type=submit]');
  await page.waitForURL(landing);
}
