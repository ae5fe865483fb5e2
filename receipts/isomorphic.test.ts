// The receipt modules run unchanged in the register's browser: bundle them as the POS does
// (receiptline's own browser build loaded as a script, /vendor/receiptline.js) and compare
// Chromium's output with Node's.
import path from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../test/browser';
import { receiptDocument } from './receipt-document';
import { renderSvg } from './render-node';
import { sampleReceipt } from './sample-receipt';

const root = path.resolve(__dirname, '..');

describe('receipt rendering in the browser', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    ({ context } = await launchBrowser());
  });
  afterAll(async () => {
    await context?.close();
  });

  // ESC/POS is rendered on the edge only (raw printers are reached through it): receiptline's browser
  // build has no code-page encoder.
  it('builds the same document and SVG as on the edge', async () => {
    const bundle = await build({
      stdin: {
        contents: `
          import { receiptDocument } from './receipts/receipt-document';
          import { createRenderer } from './receipts/render';
          const { renderSvg } = createRenderer(window.receiptline.transform);
          window.renderReceipt = (data) => {
            const doc = receiptDocument(data);
            return { doc, svg: renderSvg(doc) };
          };`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'silent',
    });
    const page = await context.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: path.join(root, 'node_modules/receiptline/lib/receiptline.js') });
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const data = sampleReceipt();
    const inBrowser = await page.evaluate((d) => (window as unknown as { renderReceipt: (x: unknown) => { doc: string; svg: string } }).renderReceipt(d), data);
    const doc = receiptDocument(data);
    expect(inBrowser.doc).toBe(doc);
    // SVG filter ids are random per render; everything else matches.
    const stable = (svg: string) => svg.replace(/receipt-[0-9a-f-]{36}/g, 'receipt-id');
    expect(stable(inBrowser.svg)).toBe(stable(renderSvg(doc)));
    await page.close();
  });
});
