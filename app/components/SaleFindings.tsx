import { formatMoney } from '../../core/money';
import { formatRate } from '../../core/rates';
import type { SaleFinding } from '../../core/sale-findings';

const KIND_LABEL: Record<SaleFinding['kind'], string> = {
  price: 'price',
  tax_rate: 'VAT rate',
  discount_limit: 'discount limit',
  discount: 'discount',
  settings: 'cart setting',
  cashier: 'cashier',
  receipt_gap: 'receipt gap',
};

function show(f: SaleFinding, v: SaleFinding['expected'], exponent: number): string {
  if (v === null) return 'none';
  if (typeof v !== 'number') return String(v);
  if (f.kind === 'price') return formatMoney(v, { exponent });
  if (f.field.endsWith('.rateBp') || f.kind === 'discount_limit' || f.kind === 'discount') return formatRate(v);
  return String(v);
}

/** What the edge found when it booked a sale: expected (the edge's records) against claimed (the register's). */
export function SaleFindings({ findings, exponent }: { findings: SaleFinding[]; exponent: number }) {
  if (findings.length === 0) return null;
  return (
    <table data-testid="sale-findings" style={{ margin: '.5rem 0' }}>
      <thead>
        <tr>
          <th>Review</th>
          <th>Line</th>
          <th>Field</th>
          <th className="num">Expected</th>
          <th className="num">Claimed</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f, i) => (
          <tr key={i}>
            <td>
              <span className="badge warn">{KIND_LABEL[f.kind]}</span>
            </td>
            <td>{f.lineNo ?? ''}</td>
            <td>
              <code>{f.field}</code>
            </td>
            <td className="num">{show(f, f.expected, exponent)}</td>
            <td className="num">{show(f, f.claimed, exponent)}</td>
            <td>
              {f.reason}
              {f.note ? <div className="muted">{f.note}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
