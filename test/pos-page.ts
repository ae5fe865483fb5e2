// Driving the POS page in Chromium like a register: pair, PIN login, scan, pay cash, complete.
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { waitFor } from '../infra/wait-for';

/** A scanner: a burst of keydown events ending in Enter, dispatched in one go inside the page. */
export async function scanInPage(page: Page, code: string) {
  await page.evaluate((c) => {
    (document.activeElement as HTMLElement | null)?.blur();
    for (const key of [...c.split(''), 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  }, code);
}

/**
 * The text of the receipt on the sell screen ('' while there is none): the SVG behind its image,
 * parsed as the browser parsed it. SVG spaces are non-breaking; they come back as plain spaces.
 */
export async function receiptText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const src = document.querySelector<HTMLImageElement>('[data-testid=receipt] img')?.getAttribute('src');
    if (!src) return '';
    const svg = decodeURIComponent(src.slice(src.indexOf(',') + 1));
    return (new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement.textContent ?? '').replace(/\u00a0/g, ' ');
  });
}

/** Pairs a fresh browser with the code the edge printed, logs in with PIN 1234 and waits for the first sync. */
export async function pairAndLogin(page: Page, storeBase: string, pairingCode: string, timeoutMs = 120_000) {
  await page.goto(`${storeBase}/pos`);
  await page.getByLabel('pairing code').fill(pairingCode);
  await page.getByRole('button', { name: 'Pair' }).click();
  // Cashiers arrive with the companies (one catch-up pass): a company badge means the PIN can be checked.
  await page.locator('[data-testid^=badge-]').first().waitFor({ timeout: timeoutMs });
  await loginWithPin(page, timeoutMs);
  await page.locator('[data-testid=status][data-synced=true]').waitFor({ timeout: timeoutMs });
}

export async function loginWithPin(page: Page, timeoutMs = 60_000) {
  await page.getByLabel('PIN').waitFor({ timeout: timeoutMs });
  await page.getByLabel('PIN').fill('1234');
  await page.getByRole('button', { name: 'Log in' }).click();
  await openShiftIfAsked(page, '100.00', timeoutMs);
}

/** After the PIN: opens the shift with `float` in every company that asks for one, then waits for the sell screen. */
export async function openShiftIfAsked(page: Page, float = '100.00', timeoutMs = 60_000) {
  const open = page.getByTestId('shift-open');
  const cart = page.getByTestId('cart');
  await open.or(cart).first().waitFor({ timeout: timeoutMs });
  if (await open.isVisible()) {
    for (const input of await page.locator('input[aria-label^="opening float"]').all()) await input.fill(float);
    await page.getByRole('button', { name: 'Open shift' }).click();
  }
  await cart.waitFor({ timeout: timeoutMs });
}

/** Runs SQL on the register's own database (through the page's database worker). */
export async function registerQuery<T = Record<string, unknown>>(page: Page, sql: string, params: unknown[] = []): Promise<T[]> {
  return page.evaluate(
    ([q, p]) =>
      (window as unknown as { till: { pg: { query(s: string, p: unknown[]): Promise<{ rows: unknown[] }> } } }).till.pg.query(q, p).then((r) => r.rows),
    [sql, params] as const,
  ) as Promise<T[]>;
}

/**
 * The main Chromium process of a persistent context, found by its profile directory (the context
 * does not expose it): for a SIGKILL, as a power cut would do.
 */
export function chromiumPid(userDataDir: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const args = cmd.split('\0');
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith('--type='))) return Number(entry);
  }
  throw new Error(`no Chromium process for ${userDataDir}`);
}

/** SIGKILL of the browser; resolves once the process is gone. */
export async function killChromium(userDataDir: string) {
  const pid = chromiumPid(userDataDir);
  process.kill(pid, 'SIGKILL');
  await waitFor(
    async () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    },
    { timeoutMs: 10_000, intervalMs: 20, what: 'Chromium to exit' },
  );
}
