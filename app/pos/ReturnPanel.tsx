import { newId } from '../../core/ids';
import { parseQuantityMilli } from '../../core/quantity';
import { useState } from 'react';
import { money, quantityText } from './money-text';
import type { Register } from './register.client';

interface ReturnableLine {
  saleLineId: string;
  name: string;
  quantityMilli: number;
  returnedMilli: number;
  unitPrecision: number;
  total: number;
}

/** Return by receipt number: needs the edge (it holds every register's sales); blocked with a message otherwise. */
export function ReturnPanel({ register, online, cashierId, exponent, onClose }: { register: Register; online: boolean; cashierId: string; exponent: number; onClose: () => void }) {
  const [receipt, setReceipt] = useState('');
  const [lines, setLines] = useState<ReturnableLine[] | null>(null);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [qtyErrors, setQtyErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const call = async (path: string, init?: RequestInit) => {
    const res = await register.link.fetch(`${register.baseUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${register.identity!.token}` },
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.issues?.[0]?.message ?? body.error);
    return body;
  };
  return (
    <div className="card" data-testid="return-panel">
      <h3>Return by receipt number</h3>
      {!online ? <p className="error" role="note">Returns need the edge, which cannot be reached now. Selling still works.</p> : null}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const { sale } = await call(`/api/sales/by-receipt/${encodeURIComponent(receipt.trim())}`);
            setLines(sale.lines);
            setQty({});
            setMessage(null);
          } catch (err) {
            setMessage({ kind: 'error', text: (err as Error).message });
          }
        }}
      >
        <fieldset disabled={!online} style={{ border: 0, padding: 0 }}>
          <input aria-label="receipt number" placeholder="U-R01-000123" value={receipt} onChange={(e) => setReceipt(e.target.value.toUpperCase())} />{' '}
          <button type="submit">Find sale</button>
        </fieldset>{' '}
        <button type="button" onClick={onClose}>Close</button>
      </form>
      {lines ? (
        <table>
          <tbody>
            {lines.map((l) => {
              const left = l.quantityMilli - l.returnedMilli;
              return (
                <tr key={l.saleLineId}>
                  <td>{l.name}</td>
                  <td className="num">sold {quantityText(l.quantityMilli, l.unitPrecision)}, returnable {quantityText(left, l.unitPrecision)}</td>
                  <td className="num">{money(l.total, exponent)}</td>
                  <td>
                    <input
                      aria-label={`return quantity ${l.name}`}
                      style={{ width: '6ch' }}
                      disabled={left === 0}
                      aria-invalid={qtyErrors[l.saleLineId] ? true : undefined}
                      onChange={(e) => {
                        const { [l.saleLineId]: _, ...others } = qtyErrors;
                        try {
                          setQty({ ...qty, [l.saleLineId]: parseQuantityMilli(e.target.value, l.unitPrecision) });
                          setQtyErrors(others);
                        } catch (err) {
                          setQty({ ...qty, [l.saleLineId]: 0 });
                          setQtyErrors({ ...others, [l.saleLineId]: (err as Error).message });
                        }
                      }}
                    />
                    {qtyErrors[l.saleLineId] ? <div className="error" role="alert">{qtyErrors[l.saleLineId]}</div> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {lines ? (
        <button
          type="button"
          className="primary"
          disabled={!online || Object.keys(qtyErrors).length > 0}
          onClick={async () => {
            try {
              const chosen = Object.entries(qty).filter(([, q]) => q > 0).map(([saleLineId, quantityMilli]) => ({ saleLineId, quantityMilli }));
              const r = await call('/api/returns', {
                method: 'POST',
                body: JSON.stringify({ returnId: newId(), receiptNumber: receipt.trim(), lines: chosen, reason: 'customer return', tender: 'cash', cashierId }),
              });
              setMessage({ kind: 'info', text: `Return ${r.returnNumber}: refund ${money(r.total, exponent)} in cash.` });
              setLines(null);
            } catch (err) {
              setMessage({ kind: 'error', text: (err as Error).message });
            }
          }}
        >
          Refund
        </button>
      ) : null}
      {message ? <p className={message.kind === 'error' ? 'error' : ''} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p> : null}
    </div>
  );
}
