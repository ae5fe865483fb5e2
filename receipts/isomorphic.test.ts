// The receipt modules run unchanged in the register's browser: bundle them for the browser and
// compare Chromium's output with Node's. The bundler settings here are what the POS build needs
// for receiptline (see README: its CommonJS entry requires pngjs, stream and iconv-lite eagerly).
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../test/browser';
import { receiptDocument } from './receipt-document';
import { renderEscPos, renderSvg } from './render';
import { sampleReceipt } from './sample-receipt';

const root = path.resolve(__dirname, '..');

/** Images and streams are never used for receipts: stub them; give iconv-lite real buffer/string_decoder. */
const browserShims: Plugin = {
  name: 'receipt-browser-shims',
  setup(b) {
    b.onResolve({ filter: /^(pngjs|stream|zlib|util)$/ }, (a) => ({ path: a.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (a) => ({ contents: a.path === 'pngjs' ? 'module.exports = { PNG: undefined };' : 'module.exports = {};' }));
    b.onResolve({ filter: /^buffer$/ }, () => ({ path: path.join(root, 'node_modules/buffer/index.js') }));
    b.onResolve({ filter: /^string_decoder$/ }, () => ({ path: path.join(root, 'node_modules/string_decoder/lib/string_decoder.js') }));
  },
};

describe('receipt rendering in the browser', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    ({ context } = await launchBrowser());
  });
  afterAll(async () => {
    await context?.close();
  });

  it('builds the same document, SVG and ESC/POS bytes as on the edge', async () => {
    const bundle = await build({
      stdin: {
        contents: `
          import { receiptDocument } from './receipts/receipt-document';
          import { renderEscPos, renderSvg } from './receipts/render';
          window.renderReceipt = (data) => {
            const doc = receiptDocument(data);
            return { doc, svg: renderSvg(doc), escpos: Array.from(renderEscPos(doc)) };
          };`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'silent',
      plugins: [browserShims],
    });
    const page = await context.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const data = sampleReceipt();
    const inBrowser = await page.evaluate(
      (d) => (window as unknown as { renderReceipt: (x: unknown) => { doc: string; svg: string; escpos: number[] } }).renderReceipt(d),
      data,
    );
    const doc = receiptDocument(data);
    expect(inBrowser.doc).toBe(doc);
    // SVG filter ids are random per render; everything else matches.
    const stable = (svg: string) => svg.replace(/receipt-[0-9a-f-]{36}/g, 'receipt-id');
    expect(stable(inBrowser.svg)).toBe(stable(renderSvg(doc)));
    expect(inBrowser.escpos).toEqual(Array.from(renderEscPos(doc)));
    await page.close();
  });
});
