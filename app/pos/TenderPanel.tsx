import { useState } from 'react';
import { parseDecimal } from '../../core/parse-decimal';
import { amountDue, cashTender, type Tender } from '../../core/tenders';
import { money } from './money-text';

interface Props {
  total: number;
  exponent: number;
  online: boolean;
  tenders: Tender[];
  onTenders: (t: Tender[]) => void;
  searchCustomers: (q: string) => Promise<{ id: string; name: string; code: string }[]>;
  onCustomer: (c: { id: string; name: string; code: string } | undefined) => void;
}

const parseAmount = (text: string, exponent: number): number | string => {
  try {
    return parseDecimal(text, { exponent });
  } catch (e) {
    return (e as Error).message;
  }
};

/** Cash (with change), card (approval code, never the card number), credit (online only), split. */
export function TenderPanel({ total, exponent, online, tenders, onTenders, searchCustomers, onCustomer }: Props) {
  const due = amountDue(total, tenders);
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [customerQuery, setCustomerQuery] = useState('');
  const [customers, setCustomers] = useState<{ id: string; name: string; code: string }[]>([]);

  const take = (kind: Tender['kind'], customerId?: string) => {
    const parsed = amount.trim() === '' ? due : parseAmount(amount, exponent);
    if (typeof parsed === 'string') return setError(parsed);
    if (parsed <= 0) return setError('Enter an amount above zero');
    let t: Tender;
    if (kind === 'cash') t = cashTender(due, parsed);
    else if (kind === 'card') {
      if (!reference.trim()) return setError('Enter the card approval code');
      t = { kind: 'card', amount: Math.min(parsed, due), reference: reference.trim() };
    } else t = { kind: 'credit', amount: Math.min(parsed, due), customerId: customerId! };
    setError(null);
    setAmount('');
    setReference('');
    onTenders([...tenders, t]);
  };

  return (
    <div>
      <p data-testid="due" style={{ fontSize: 20 }}>
        Due: <strong>{money(due, exponent)}</strong>
      </p>
      <ul data-testid="tenders">
        {tenders.map((t, i) => (
          <li key={i}>
            {t.kind} {money(t.amount, exponent)}
            {t.kind === 'cash' ? ` (given ${money(t.given, exponent)}, change ${money(t.given - t.amount, exponent)})` : ''}
            {t.kind === 'card' ? ` ref ${t.reference}` : ''}{' '}
            <button type="button" onClick={() => onTenders(tenders.filter((_, j) => j !== i))} aria-label={`remove tender ${i + 1}`}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      {due > 0 ? (
        <div style={{ display: 'grid', gap: 6 }}>
          <input aria-label="amount" placeholder={`amount (default ${money(due, exponent)})`} value={amount} onChange={(e) => setAmount(e.target.value)} />
          <button type="button" className="primary" onClick={() => take('cash')}>
            Cash
          </button>
          <input aria-label="card approval code" placeholder="card approval code" value={reference} onChange={(e) => setReference(e.target.value)} />
          <button type="button" onClick={() => take('card')}>
            Card
          </button>
          <fieldset disabled={!online} style={{ border: '1px solid #d0d7de', borderRadius: 6 }}>
            <legend>Credit (account customer)</legend>
            {!online ? (
              <p className="error" role="note">
                Credit sales need the edge, which cannot be reached now.
              </p>
            ) : null}
            <input
              aria-label="customer search"
              placeholder="customer name or code"
              value={customerQuery}
              onChange={async (e) => {
                setCustomerQuery(e.target.value);
                setCustomers(e.target.value.length >= 2 ? await searchCustomers(e.target.value).catch(() => []) : []);
              }}
            />
            {customers.map((c) => (
              <button
                key={c.id}
                type="button"
                onClick={() => {
                  onCustomer(c);
                  take('credit', c.id);
                }}
              >
                {c.name} ({c.code})
              </button>
            ))}
          </fieldset>
        </div>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
