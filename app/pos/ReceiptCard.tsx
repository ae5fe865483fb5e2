import { useMemo } from 'react';

/**
 * The last receipt on screen, with browser printing of just the receipt. Shown as an image, not as
 * inline SVG: receiptline draws every character as its own element (about a thousand for a short
 * receipt), which the page would otherwise restyle and lay out on every scan after a sale.
 */
export function ReceiptCard({ svg }: { svg: string }) {
  const src = useMemo(() => svgDataUrl(svg), [svg]);
  return (
    <div className="card" data-testid="receipt">
      <button type="button" onClick={() => printSvg(svg)}>
        Print
      </button>
      <div style={{ maxHeight: 420, overflow: 'auto' }}>
        <img src={src} alt="The last receipt" style={{ display: 'block', width: '100%', height: 'auto' }} />
      </div>
    </div>
  );
}

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

function printSvg(svg: string) {
  const w = window.open('', 'receipt', 'width=420,height=700');
  if (!w) return;
  w.document.write(`<html><body style="margin:0">${svg}</body></html>`);
  w.document.close();
  w.focus();
  w.print();
}
