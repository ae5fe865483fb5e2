import type { computeCart } from '../../core/cart';
import { formatRate } from '../../core/rates';
import { money } from './money-text';

/** Subtotal, discounts, VAT per rate and the total of the cart (from core's computation). */
export function SaleTotals({
  computed,
  exponent,
  currency,
}: {
  computed: ReturnType<typeof computeCart> | null;
  exponent: number;
  currency: string | undefined;
}) {
  const c = computed?.ok ? computed.cart : undefined;
  return (
    <div className="card">
      <table>
        <tbody>
          <tr>
            <td>Subtotal</td>
            <td className="num">{c ? money(c.totals.subtotal, exponent) : '—'}</td>
          </tr>
          <tr>
            <td>Discounts</td>
            <td className="num">{c ? money(c.totals.discountTotal, exponent) : '—'}</td>
          </tr>
          {c?.taxSummary.map((t) => (
            <tr key={t.taxRateId}>
              <td className="muted">
                VAT {formatRate(t.rateBp)} on {money(t.net, exponent)}
              </td>
              <td className="num">{money(t.tax, exponent)}</td>
            </tr>
          ))}
          <tr>
            <td>
              <strong>Total</strong>
            </td>
            <td className="num" data-testid="total">
              <strong>
                {money(c?.totals.total ?? 0, exponent)} {currency}
              </strong>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
