// Opening the shift at the register: the cashier counts the float of each company they sell in.
// Works offline: the shift and its shift.opened event are written to the register's own database.
import { useState } from 'react';
import { parseCashAmount } from '../../core/shift-close';
import type { Cashier } from './pin-login';
import type { Register } from './register.client';
import type { CompanyShift } from './use-shift';

interface Props {
  register: Register;
  cashier: Cashier;
  /** Companies without an open shift. */
  companies: CompanyShift[];
  onOpened: () => void;
  onLogout: () => void;
}

export function ShiftOpen({ register, cashier, companies, onOpened, onLogout }: Props) {
  const [floats, setFloats] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const parsed = [];
    for (const c of companies) {
      const r = parseCashAmount(floats[c.device.id] ?? '', c.exponent);
      if (!r.ok) return setError(`${c.companyName}: ${r.message}`);
      parsed.push({ device: c.device, float: r.amount });
    }
    setBusy(true);
    try {
      const r = await register.db.call('openShifts', { registerId: register.identity!.registerId, cashierId: cashier.id, floats: parsed });
      if (!r.ok) return setError(r.message);
      register.kick();
      onOpened();
    } catch (e) {
      setError(`The shift could not be opened: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card" style={{ maxWidth: 460, margin: '2rem auto' }} data-testid="shift-open">
      <h2>Open shift</h2>
      <p className="muted">
        {cashier.name}, count the cash in the drawer and enter the opening float{companies.length > 1 ? ' of each company' : ''}.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {companies.map((c, i) => (
          <p key={c.device.id}>
            <label>
              {c.companyName}: opening float ({c.currency})
              <br />
              <input
                aria-label={`opening float ${c.device.companyCode}`}
                inputMode="decimal"
                autoComplete="off"
                placeholder="100.00"
                value={floats[c.device.id] ?? ''}
                onChange={(e) => setFloats({ ...floats, [c.device.id]: e.target.value })}
                style={{ fontSize: 22, width: '10ch' }}
                autoFocus={i === 0}
              />
            </label>
          </p>
        ))}
        <p style={{ display: 'flex', gap: 8 }}>
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Opening…' : 'Open shift'}
          </button>
          <button type="button" onClick={onLogout}>
            Log out
          </button>
        </p>
      </form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
