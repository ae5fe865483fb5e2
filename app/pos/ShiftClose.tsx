// Closing the shift at the register with a blind count: the cashier types what is in the drawer
// without seeing what is expected; only then are the X figures shown (expected, counted, variance).
// A variance above the store threshold needs a manager's PIN before the close is recorded. Works
// offline: the close is a shift.closed event in the outbox; the edge numbers the Z when it arrives.
import { useState } from 'react';
import { parseCashAmount } from '../../core/shift-close';
import type { ZFigures } from '../../core/shift-figures';
import { figuresAfterCount, varianceThreshold } from '../../sync/register/register-shift';
import { approveWithManagerPin, managerApprovalMessage } from './manager-approval';
import { money } from './money-text';
import type { Cashier } from './pin-login';
import type { Register } from './register.client';
import type { CompanyShift } from './use-shift';

interface Props {
  register: Register;
  cashier: Cashier;
  /** Companies with an open shift on this register. */
  companies: CompanyShift[];
  onCancel: () => void;
  onClosed: () => void;
}

interface Counted {
  company: CompanyShift;
  countedCash: number;
  figures: ZFigures;
  needsApproval: boolean;
}

type Step = { kind: 'count' } | { kind: 'figures'; counted: Counted[]; threshold: number } | { kind: 'closed'; counted: Counted[] };

export function ShiftClose({ register, cashier, companies, onCancel, onClosed }: Props) {
  const [step, setStep] = useState<Step>({ kind: 'count' });
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [managerPin, setManagerPin] = useState('');
  const [manager, setManager] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const submitCount = () =>
    run(async () => {
      const threshold = await varianceThreshold(register.db);
      const counted: Counted[] = [];
      for (const c of companies) {
        const r = parseCashAmount(counts[c.device.id] ?? '', c.exponent);
        if (!r.ok) return setError(`${c.companyName}: ${r.message}`);
        counted.push({ company: c, countedCash: r.amount, ...(await figuresAfterCount(register.db, c.shift!, r.amount, threshold)) });
      }
      setStep({ kind: 'figures', counted, threshold });
    });

  const approve = (needing: Counted[]) =>
    run(async () => {
      const r = await approveWithManagerPin(
        register.db,
        managerPin,
        needing.map((c) => c.company.device.companyId),
      );
      setManagerPin('');
      if (r.kind === 'ok') return setManager(r.manager);
      setError(managerApprovalMessage(r));
    });

  const close = (counted: Counted[]) =>
    run(async () => {
      const r = await register.db.call('closeShifts', {
        registerId: register.identity!.registerId,
        cashierId: cashier.id,
        counts: counted.map((c) => ({ device: c.company.device, shiftId: c.company.shift!.id, countedCash: c.countedCash })),
        ...(manager ? { approvedBy: manager.id } : {}),
      });
      if (!r.ok) return setError(r.message);
      register.kick();
      setStep({ kind: 'closed', counted });
    });

  const feedback = error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;

  if (step.kind === 'count') {
    return (
      <div className="card" style={{ maxWidth: 520, margin: '2rem auto' }} data-testid="shift-count">
        <h2>Close shift: count the drawer</h2>
        <p className="muted">
          Count the cash in the drawer{companies.length > 1 ? ' for each company' : ''} and type what you counted. The expected amount is shown after the count.
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submitCount();
          }}
        >
          {companies.map((c, i) => (
            <p key={c.device.id}>
              <label>
                {c.companyName}: counted cash ({c.currency})
                <br />
                <input
                  aria-label={`counted cash ${c.device.companyCode}`}
                  inputMode="decimal"
                  autoComplete="off"
                  value={counts[c.device.id] ?? ''}
                  onChange={(e) => setCounts({ ...counts, [c.device.id]: e.target.value })}
                  style={{ fontSize: 22, width: '10ch' }}
                  autoFocus={i === 0}
                />
              </label>
            </p>
          ))}
          <p style={{ display: 'flex', gap: 8 }}>
            <button className="primary" type="submit" disabled={busy}>
              Submit count
            </button>
            <button type="button" onClick={onCancel}>
              Back to selling
            </button>
          </p>
        </form>
        {feedback}
      </div>
    );
  }

  const table = (counted: Counted[]) => (
    <table data-testid="shift-figures">
      <thead>
        <tr>
          <th></th>
          {counted.map((c) => (
            <th key={c.company.device.id} className="num">
              {c.company.companyName}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(
          [
            ['Sales', (c) => String(c.figures.salesCount)],
            ['Opening float', (c) => money(c.figures.openingFloat, c.company.exponent)],
            ['+ cash received', (c) => money(c.figures.cashReceived, c.company.exponent)],
            ['− change given', (c) => money(c.figures.changeGiven, c.company.exponent)],
            ['Card', (c) => money(c.figures.tenders.card ?? 0, c.company.exponent)],
            ['Credit', (c) => money(c.figures.tenders.credit ?? 0, c.company.exponent)],
            ['Expected cash', (c) => money(c.figures.cashExpected, c.company.exponent)],
            ['Counted cash', (c) => money(c.countedCash, c.company.exponent)],
          ] as [string, (c: Counted) => string][]
        ).map(([label, value]) => (
          <tr key={label}>
            <td>{label}</td>
            {counted.map((c) => (
              <td key={c.company.device.id} className="num">
                {value(c)}
              </td>
            ))}
          </tr>
        ))}
        <tr>
          <td>
            <strong>Variance</strong>
          </td>
          {counted.map((c) => (
            <td key={c.company.device.id} className={`num ${c.needsApproval ? 'error' : ''}`} data-testid={`variance-${c.company.device.companyCode}`}>
              <strong>
                {c.figures.variance > 0 ? '+' : ''}
                {money(c.figures.variance, c.company.exponent)}
              </strong>
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );

  if (step.kind === 'closed') {
    return (
      <div className="card" style={{ maxWidth: 620, margin: '2rem auto' }} data-testid="shift-closed">
        <h2>Shift closed</h2>
        {table(step.counted)}
        <p className="muted">
          The edge numbers the Z report when it receives this close
          {register.status().queueDepth ? ' (it is queued and goes as soon as the edge can be reached)' : ''}.
        </p>
        <button className="primary" type="button" onClick={onClosed}>
          Done
        </button>
      </div>
    );
  }

  const needing = step.counted.filter((c) => c.needsApproval);
  const limit = money(step.threshold, needing[0]?.company.exponent ?? 2);
  return (
    <div className="card" style={{ maxWidth: 620, margin: '2rem auto' }} data-testid="shift-after-count">
      <h2>Close shift: your count against the expected</h2>
      {table(step.counted)}
      {needing.length ? (
        manager ? (
          <p className="badge ok" data-testid="approved">
            Variance approved by {manager.name}
          </p>
        ) : (
          <form
            data-testid="manager-approval"
            style={{ marginTop: '1rem' }}
            onSubmit={(e) => {
              e.preventDefault();
              void approve(needing);
            }}
          >
            <p className="error">The variance is more than {limit}: a manager must approve before the shift is closed.</p>
            <label>
              Manager PIN
              <br />
              <input
                aria-label="manager PIN"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                value={managerPin}
                onChange={(e) => setManagerPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
                style={{ fontSize: 22, width: '10ch' }}
                autoFocus
              />
            </label>{' '}
            <button type="submit" disabled={busy || managerPin.length < 4}>
              {busy ? 'Checking…' : 'Approve'}
            </button>
          </form>
        )
      ) : null}
      <p style={{ marginTop: '1rem' }}>
        <button className="primary" type="button" disabled={busy || (needing.length > 0 && !manager)} onClick={() => void close(step.counted)}>
          Close shift
        </button>
      </p>
      {feedback}
    </div>
  );
}
