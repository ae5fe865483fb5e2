// The receipt as the register's browser shows and prints it: the SVG rendered by Chromium.
import { statSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../test/browser';
import { receiptDocument } from './receipt-document';
import { renderSvg } from './render-node';
import { sampleReceipt } from './sample-receipt';

describe('receipt SVG in Chromium', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    ({ context } = await launchBrowser());
  });
  afterAll(async () => {
    await context?.close();
  });

  it('renders a sample receipt that reads well, without reaching the internet', async () => {
    const page = await context.newPage();
    const outside: string[] = [];
    page.on('request', (req) => {
      if (!/^(data|about):/.test(req.url())) outside.push(req.url());
    });
    // Even with web fonts on, launchBrowser() blocks them; the default output asks for none.
    const svg = renderSvg(receiptDocument(sampleReceipt()));
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:#fff"><main id="receipt" style="display:inline-block;padding:16px">${svg}</main></body></html>`,
    );
    const box = await page.locator('#receipt svg').boundingBox();
    expect(box?.width).toBe(504);
    expect(box!.height).toBeGreaterThan(1000);
    // Each printed line is a <text> of one <tspan> per character; spaces are no-break spaces.
    const text = ((await page.locator('#receipt svg').textContent()) ?? '').replace(/\s+/g, ' ');
    for (const part of ['Till Demo Store', 'U-R01-000123', 'Espresso beans 1kg', 'VAT rate', 'FLAGGED FOR ADJUSTMENT', 'Thank you!']) {
      expect(text).toContain(part);
    }
    const file = screenshotPath('receipt-sample');
    await page.locator('#receipt').screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(outside).toEqual([]);
    await page.close();
  });
});
