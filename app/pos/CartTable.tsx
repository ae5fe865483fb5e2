import type { computeCart } from '../../core/cart';
import { percentText } from '../../core/rates';
import { removeLine, setQuantity, type CartState } from './cart-state';
import { money, quantityText } from './money-text';
import type { Company } from './store-data';

interface Props {
  cart: CartState;
  computed: ReturnType<typeof computeCart> | null;
  companies: Company[];
  exponent: number;
  onCart: (cart: CartState) => void;
  /** The discount percentage as typed (read by core/pos-entry.ts). */
  onDiscount: (lineId: string, text: string) => void;
}

/** The cart's lines: quantity steps, line discount, remove; cross-company lines badged; line errors below. */
export function CartTable({ cart, computed, companies, exponent, onCart, onDiscount }: Props) {
  const companyOf = (id: string) => companies.find((c) => c.id === id);
  return (
    <div className="card">
      {cart.lines.some((l) => l.crossCompany) ? (
        <p className="badge warn" data-testid="flagged">
          flagged for adjustment
        </p>
      ) : null}
      <table data-testid="cart">
        <thead>
          <tr>
            <th>Item</th>
            <th className="num">Qty</th>
            <th className="num">Price</th>
            <th className="num">Disc %</th>
            <th className="num">Total</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {cart.lines.map((l) => {
            const f = computed?.ok ? computed.cart.lines.find((x) => x.lineId === l.lineId) : undefined;
            return (
              <tr key={l.lineId} data-company={companyOf(l.companyId)?.code}>
                <td>
                  {l.name}
                  {l.crossCompany ? (
                    <span className="badge warn" style={{ marginLeft: 6 }}>
                      {companyOf(l.companyId)?.name} item
                    </span>
                  ) : null}
                </td>
                <td className="num">
                  <button type="button" aria-label="less" onClick={() => l.quantityMilli > 1000 && onCart(setQuantity(cart, l.lineId, l.quantityMilli - 1000))}>
                    −
                  </button>{' '}
                  {quantityText(l.quantityMilli, l.unitPrecision)}{' '}
                  <button type="button" aria-label="more" onClick={() => onCart(setQuantity(cart, l.lineId, l.quantityMilli + 1000))}>
                    +
                  </button>
                </td>
                <td className="num">{money(l.unitPrice, exponent)}</td>
                <td className="num">
                  <input
                    aria-label="discount percent"
                    style={{ width: '5ch' }}
                    defaultValue={l.discount?.kind === 'percent' ? percentText(l.discount.bp) : ''}
                    onBlur={(e) => onDiscount(l.lineId, e.target.value)}
                  />
                </td>
                <td className="num">{f ? money(f.total, exponent) : '—'}</td>
                <td>
                  <button type="button" aria-label="remove" onClick={() => onCart(removeLine(cart, l.lineId))}>
                    ✕
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {computed && !computed.ok
        ? computed.errors.map((e, i) => (
            <p key={i} className="error" role="alert">
              {e.message}
            </p>
          ))
        : null}
    </div>
  );
}
