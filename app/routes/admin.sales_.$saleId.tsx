import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { formatRate } from '../../core/rates';
import { SaleFindings } from '../components/SaleFindings';
import { getSale, loadStoredSaleReceipt, receiptDocument, receiptFromStoredSale, renderSvg } from '../lib/services.server';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { useLocalTime } from '../components/LocalTime';

export const meta: MetaFunction = () => [{ title: 'Sale · Till Admin' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const sale = await getSale(getDatabase(), params.saleId ?? '');
  if (!sale) throw new Response('No such sale', { status: 404 });
  // The receipt is rebuilt from the stored rows and rendered here, so the page shows it without the receipt code.
  let receiptSvg: string | null = null;
  let receiptError: string | null = null;
  try {
    const stored = await loadStoredSaleReceipt(getDatabase(), sale.id);
    if (stored) receiptSvg = renderSvg(receiptDocument(receiptFromStoredSale(stored)));
  } catch (e) {
    receiptError = e instanceof Error ? e.message : String(e);
  }
  return json({ sale, receiptSvg, receiptError });
}

// Scaled to fit; printing shows the receipt alone.
const RECEIPT_CSS = `
#receipt-preview .receipt-paper { max-width: 420px; background: #fff; border: 1px solid #ddd; padding: 8px; }
#receipt-preview .receipt-paper svg { width: 100%; height: auto; display: block; }
@media print {
  body * { visibility: hidden !important; }
  #receipt-preview .receipt-paper, #receipt-preview .receipt-paper * { visibility: visible !important; }
  #receipt-preview .receipt-paper { position: absolute; left: 0; top: 0; width: 80mm; max-width: none; border: 0; padding: 0; }
}
`;

const qty = (milli: number) => (milli % 1000 === 0 ? String(milli / 1000) : formatMoney(milli, { exponent: 3 }));

export default function SaleDetail() {
  const t = useLocalTime();
  const { sale, receiptSvg, receiptError } = useLoaderData<typeof loader>();
  const m = (v: number) => formatMoney(v, { exponent: sale.currencyExponent });
  return (
    <>
      <p>
        <Link to="/admin/sales">← Sales</Link>
      </p>
      <div className="card">
        <h2>
          Receipt {sale.receiptNumber} {sale.flagged ? <span className="badge warn">flagged for {sale.findings.length ? 'review' : 'adjustment'}</span> : null}{' '}
          {sale.status !== 'completed' ? <span className="badge off">{sale.status}</span> : null}
        </h2>
        <p className="muted">
          {sale.companyName} (invoice company) · register {sale.registerCode} (device {sale.deviceCode}) · cashier {sale.cashierName ?? '—'}
          {sale.customerName ? ` · customer ${sale.customerName}` : ''} · {t(sale.occurredAt)} (received {t(sale.receivedAt)})
          {sale.shiftId ? (
            <>
              {' '}
              · <Link to={`/admin/shifts/${sale.shiftId}`}>shift</Link>
            </>
          ) : null}
        </p>
        {sale.adjustment ? (
          <p>
            Adjustment: <span className={`badge ${sale.adjustment.status === 'open' ? 'warn' : 'ok'}`}>{sale.adjustment.status}</span>{' '}
            {sale.adjustment.status === 'open' ? (
              <Link to="/admin/adjustments">resolve in the Adjustment Queue</Link>
            ) : (
              <span className="muted">
                {sale.adjustment.resolutionAction} by {sale.adjustment.resolvedBy}: {sale.adjustment.resolutionNote}
              </span>
            )}
          </p>
        ) : null}
        {sale.findings.length ? (
          <>
            <p>Booked as sold, but it differs from what the edge knew (prices, VAT and limits are today&apos;s catalog: no history is kept):</p>
            <SaleFindings findings={sale.findings} exponent={sale.currencyExponent} />
          </>
        ) : null}
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>Item</th>
              <th className="num">Qty</th>
              <th className="num">Unit price</th>
              <th className="num">Discount</th>
              <th className="num">VAT</th>
              <th className="num">Net</th>
              <th className="num">Tax</th>
              <th className="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {sale.lines.map((l) => (
              <tr key={l.lineNo} style={l.crossCompany ? { background: '#fff8c5' } : undefined}>
                <td>{l.lineNo}</td>
                <td>
                  {l.itemCode} · {l.name}
                  {l.crossCompany ? (
                    <div>
                      <span className="badge warn">cross-company</span>{' '}
                      <span className="muted">
                        item of {l.itemCompanyName}
                        {l.crossCompanyReason ? `: ${l.crossCompanyReason}` : ''}
                      </span>
                    </div>
                  ) : null}
                </td>
                <td className="num">{qty(l.quantityMilli)}</td>
                <td className="num">{m(l.unitPrice)}</td>
                <td className="num">{l.lineDiscount ? m(l.lineDiscount) : ''}</td>
                <td className="num">{formatRate(l.rateBp)}</td>
                <td className="num">{m(l.net)}</td>
                <td className="num">{m(l.tax)}</td>
                <td className="num">{m(l.total)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={6}>
                Subtotal {m(sale.subtotal)} · discounts {m(sale.discountTotal)}
              </td>
              <td className="num">{m(sale.netTotal)}</td>
              <td className="num">{m(sale.taxTotal)}</td>
              <td className="num">
                <strong>
                  {m(sale.total)} {sale.currency}
                </strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '1rem' }}>
        <div className="card">
          <h3>Tenders</h3>
          <table>
            <tbody>
              {sale.payments.map((p, i) => (
                <tr key={i}>
                  <td>{p.kind}</td>
                  <td className="num">{m(p.amount)}</td>
                  <td className="muted">
                    {p.kind === 'cash' && p.given !== null ? `given ${m(p.given)}` : ''}
                    {p.reference ? `approval ${p.reference}` : ''}
                    {p.customerName ? `account ${p.customerName}` : ''}
                  </td>
                </tr>
              ))}
              <tr>
                <td>change</td>
                <td className="num">{m(sale.changeDue)}</td>
                <td></td>
              </tr>
            </tbody>
          </table>
        </div>
        <div className="card">
          <h3>Tax summary</h3>
          <table>
            <thead>
              <tr>
                <th>Rate</th>
                <th className="num">Net</th>
                <th className="num">Tax</th>
                <th className="num">Gross</th>
              </tr>
            </thead>
            <tbody>
              {sale.taxSummary.map((t, i) => (
                <tr key={i}>
                  <td>{formatRate(t.rateBp)}</td>
                  <td className="num">{m(t.net)}</td>
                  <td className="num">{m(t.tax)}</td>
                  <td className="num">{m(t.gross)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div className="card" id="receipt-preview">
        <style>{RECEIPT_CSS}</style>
        <h3>
          Receipt preview{' '}
          {receiptSvg ? (
            <button type="button" onClick={() => window.print()}>
              Print
            </button>
          ) : null}
        </h3>
        {receiptSvg ? (
          <div className="receipt-paper" dangerouslySetInnerHTML={{ __html: receiptSvg }} />
        ) : (
          <p className="error" role="alert">
            The receipt could not be rebuilt{receiptError ? `: ${receiptError}` : ''}.
          </p>
        )}
      </div>
    </>
  );
}
