// The receipt as the register's browser shows and prints it: the SVG rendered by Chromium.
import { statSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../test/browser';
import { receiptDocument } from './receipt-document';
import { transform } from 'receiptline';
import { mergeCharacterSpans } from './render';
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
    // Each printed line is a <text> of tspans (one per run of characters); spaces are no-break spaces.
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

  it('draws the same pixels with one tspan per run of characters as receiptline does with one per character', async () => {
    const page = await context.newPage();
    const raw = transform(receiptDocument(sampleReceipt()), { cpl: 42, encoding: 'multilingual', command: 'svg' }).replace(/@import url\([^)]*\);?/g, '');
    const merged = mergeCharacterSpans(raw);
    expect(merged.match(/<tspan/g)!.length * 5).toBeLessThan(raw.match(/<tspan/g)!.length);
    const shot = async (svg: string) => {
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:#fff"><main id="receipt" style="display:inline-block">${svg}</main></body></html>`,
      );
      return page.locator('#receipt').screenshot();
    };
    expect((await shot(merged)).equals(await shot(raw))).toBe(true);
    await page.close();
  });
});
