import { useEffect, useState } from 'react';
import { verifyPin } from '../../core/pin-hash';
import { afterFailure, afterSuccess, lockedFor, type LockoutState } from './pin-lockout';
import type { Register } from './register.client';

export interface Cashier {
  id: string;
  name: string;
  companyIds: string[];
}

const LOCK_KEY = 'till.pin-lockout';
const readLock = (): LockoutState => {
  try {
    return JSON.parse(localStorage.getItem(LOCK_KEY) ?? '') as LockoutState;
  } catch {
    return afterSuccess();
  }
};

/** One PIN logs the cashier into every company they belong to; checked offline against the synced hash. */
export function PinLogin({ register, onLogin }: { register: Register; onLogin: (c: Cashier) => void }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cashierCount, setCashierCount] = useState<number | null>(null);

  useEffect(() => {
    void register.pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM cashiers WHERE active`).then((r) => setCashierCount(r.rows[0]!.n));
    return register.onChange(() =>
      void register.pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM cashiers WHERE active`).then((r) => setCashierCount(r.rows[0]!.n)),
    );
  }, [register]);

  async function submit() {
    const lock = readLock();
    const wait = lockedFor(lock, Date.now());
    if (wait > 0) {
      setError(`Too many wrong PINs. Try again in ${Math.ceil(wait / 1000)} s.`);
      return;
    }
    setBusy(true);
    try {
      const rows = (
        await register.pg.query<{ id: string; name: string; pin_hash: string; company_ids: string[] }>(
          `SELECT c.id, c.name, c.pin_hash, array_agg(cc.company_id::text) AS company_ids
             FROM cashiers c JOIN cashier_companies cc ON cc.cashier_id = c.id WHERE c.active GROUP BY c.id`,
        )
      ).rows;
      for (const row of rows) {
        if (await verifyPin(pin, row.pin_hash)) {
          localStorage.setItem(LOCK_KEY, JSON.stringify(afterSuccess()));
          onLogin({ id: row.id, name: row.name, companyIds: row.company_ids });
          return;
        }
      }
      const next = afterFailure(lock, Date.now());
      localStorage.setItem(LOCK_KEY, JSON.stringify(next));
      setError(lockedFor(next, Date.now()) > 0 ? 'Too many wrong PINs. The PIN pad is locked for 60 s.' : 'Wrong PIN.');
      setPin('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card" style={{ maxWidth: 360, margin: '3rem auto', textAlign: 'center' }}>
      <h2>Cashier PIN</h2>
      {cashierCount === 0 ? <p className="muted">Waiting for cashiers to sync from the edge…</p> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <input
          name="pin"
          aria-label="PIN"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          style={{ fontSize: 28, width: '10ch', textAlign: 'center' }}
          autoFocus
        />
        <p>
          <button className="primary" type="submit" disabled={busy || pin.length < 4}>
            {busy ? 'Checking…' : 'Log in'}
          </button>
        </p>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </div>
  );
}
