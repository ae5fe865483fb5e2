// Debian's Chromium, headless, with the flags this machine needs and a fresh profile per launch.
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { STORE_HOSTNAME } from './edge-process';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A persistent context (IndexedDB survives a browser restart when the same dir is reused), set up like
 * a register on the store LAN: the store name resolves to the edge (loopback here) and the store CA
 * is trusted by its key hash (`trustSpki`), the way an enrolled register trusts it; nothing else is.
 */
export async function launchBrowser(
  userDataDir = mkdtempSync(path.join(os.tmpdir(), 'till-chromium-')),
  opts: { trustSpki?: string[] } = {},
): Promise<{ context: BrowserContext; userDataDir: string }> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      `--host-resolver-rules=MAP ${STORE_HOSTNAME} 127.0.0.1`,
      ...(opts.trustSpki?.length ? [`--ignore-certificate-errors-spki-list=${opts.trustSpki.join(',')}`] : []),
    ],
    viewport: { width: 1280, height: 800 },
  });
  // Receipt SVGs reference web fonts: never leave the machine.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost|till-edge\.test)/, (route) => route.abort());
  return { context, userDataDir };
}

export function screenshotPath(name: string): string {
  const dir = path.resolve(__dirname, '../screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
