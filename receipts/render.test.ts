import { describe, expect, it } from 'vitest';
import { receiptDocument, testReceiptDocument } from './receipt-document';
import { binaryStringToBytes } from './render';
import { renderEscPos, renderSvg } from './render-node';
import { sampleReceipt } from './sample-receipt';

const doc = receiptDocument(sampleReceipt());
const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');
/** The text an SVG shows: tags dropped, character references decoded, no-break spaces as spaces. */
const svgText = (svg: string) =>
  svg
    .replace(/<[^>]+>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\u00a0/g, ' ');

describe('renderSvg', () => {
  it('draws the receipt 42 characters (504 px) wide with the receipt number in it', () => {
    const svg = renderSvg(doc);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/<svg width="504px"/);
    expect(svgText(svg)).toContain('U-R01-000123');
    expect(svgText(svg)).toContain('Espresso beans 1kg');
    expect(svgText(svg)).toContain('Cable 2m | USB-C {fast}');
  });

  it('imports no web font unless asked to (the POS prints offline)', () => {
    expect(renderSvg(doc)).not.toContain('fonts.googleapis.com');
    expect(renderSvg(doc, { webFonts: true })).toContain('@import url(');
  });

  it('follows the characters per line', () => {
    expect(renderSvg(doc, { cpl: 32 })).toMatch(/<svg width="384px"/);
  });
});

describe('renderEscPos', () => {
  const bytes = renderEscPos(doc);
  const s = latin1(bytes);

  it('starts with ESC @ (initialise printer)', () => {
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes.slice(0, 2))).toEqual([0x1b, 0x40]);
  });

  it('contains the text, the escaped characters as typed, a CODE128 barcode and a cut', () => {
    expect(s).toContain('Till Demo Store');
    expect(s).toContain('U-R01-000123');
    expect(s).toContain('Espresso beans 1kg');
    expect(s).toContain('29.00');
    expect(s).toContain('Cable 2m | USB-C {fast}');
    expect(s).toContain('\x1dkI'); // GS k m=73: CODE128
    expect(s).toContain('\x1dVB\x00'); // GS V B: feed and cut
  });

  it('can leave the paper uncut and renders the test receipt', () => {
    expect(latin1(renderEscPos(doc, { cutting: false }))).not.toContain('\x1dVB');
    const test = latin1(renderEscPos(testReceiptDocument({ name: 'Till Demo Store' }, { code: 'R01' }, { printedAt: '2025-01-01T00:00:00Z' })));
    expect(test).toContain('TEST-R01');
    expect(test).toContain('\x1dVB\x00');
  });

  it('converts receiptline binary strings byte for byte', () => {
    expect(Array.from(binaryStringToBytes('\x1b@\xff\x00A'))).toEqual([0x1b, 0x40, 0xff, 0x00, 0x41]);
    expect(() => binaryStringToBytes('€')).toThrow(RangeError);
  });
});
