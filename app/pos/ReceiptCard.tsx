/** The last receipt on screen, with browser printing of just the receipt. */
export function ReceiptCard({ svg }: { svg: string }) {
  return (
    <div className="card" data-testid="receipt">
      <button type="button" onClick={() => printSvg(svg)}>
        Print
      </button>
      <div style={{ maxHeight: 420, overflow: 'auto' }} dangerouslySetInnerHTML={{ __html: svg }} />
    </div>
  );
}

function printSvg(svg: string) {
  const w = window.open('', 'receipt', 'width=420,height=700');
  if (!w) return;
  w.document.write(`<html><body style="margin:0">${svg}</body></html>`);
  w.document.close();
  w.focus();
  w.print();
}
