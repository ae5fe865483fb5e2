import { useState } from 'react';
import { returnAnswerSchema, returnableSaleAnswerSchema, type ReturnableSaleAnswer } from '../../core/edge-api';
import { newId } from '../../core/ids';
import { parseQuantityMilli } from '../../core/pos-entry';
import { callEdge } from './edge-api.client';
import { money, quantityText } from './money-text';
import type { Register } from './register.client';

type ReturnableLine = ReturnableSaleAnswer['sale']['lines'][number];

/** Return by receipt number: needs the edge (it holds every register's sales); blocked with a message otherwise. */
export function ReturnPanel({
  register,
  online,
  cashierId,
  exponent,
  onClose,
}: {
  register: Register;
  online: boolean;
  cashierId: string;
  exponent: number;
  onClose: () => void;
}) {
  const [receipt, setReceipt] = useState('');
  const [lines, setLines] = useState<ReturnableLine[] | null>(null);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  return (
    <div className="card" data-testid="return-panel">
      <h3>Return by receipt number</h3>
      {!online ? (
        <p className="error" role="note">
          Returns need the edge, which cannot be reached now. Selling still works.
        </p>
      ) : null}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const { sale } = await callEdge(register, `/api/sales/by-receipt/${encodeURIComponent(receipt.trim())}`, returnableSaleAnswerSchema);
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
        <button type="button" onClick={onClose}>
          Close
        </button>
      </form>
      {lines ? (
        <table>
          <tbody>
            {lines.map((l) => {
              const left = l.quantityMilli - l.returnedMilli;
              return (
                <tr key={l.saleLineId}>
                  <td>{l.name}</td>
                  <td className="num">
                    sold {quantityText(l.quantityMilli, l.unitPrecision)}, returnable {quantityText(left, l.unitPrecision)}
                  </td>
                  <td className="num">{money(l.total, exponent)}</td>
                  <td>
                    <input
                      aria-label={`return quantity ${l.name}`}
                      style={{ width: '6ch' }}
                      disabled={left === 0}
                      onChange={(e) => {
                        const q = parseQuantityMilli(e.target.value, l.unitPrecision);
                        setMessage(q.ok ? null : { kind: 'error', text: `${l.name}: ${q.message}` });
                        setQty({ ...qty, [l.saleLineId]: q.ok ? q.value : 0 });
                      }}
                    />
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
          disabled={!online}
          onClick={async () => {
            try {
              const chosen = Object.entries(qty)
                .filter(([, q]) => q > 0)
                .map(([saleLineId, quantityMilli]) => ({ saleLineId, quantityMilli }));
              const body = { returnId: newId(), receiptNumber: receipt.trim(), lines: chosen, reason: 'customer return', tender: 'cash', cashierId };
              const r = await callEdge(register, '/api/returns', returnAnswerSchema, body);
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
      {message ? (
        <p className={message.kind === 'error' ? 'error' : ''} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
