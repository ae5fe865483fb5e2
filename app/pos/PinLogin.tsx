import { usePinLogin } from './use-pin-login';
import type { Cashier } from './pin-login';
import type { Register } from './register.client';

export type { Cashier } from './pin-login';

/** One PIN logs the cashier into every company they belong to; checked offline against the synced hash. */
export function PinLogin({ register, onLogin }: { register: Register; onLogin: (c: Cashier) => void }) {
  const { pin, setPin, error, busy, cashierCount, submit } = usePinLogin(register, onLogin);
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
          onChange={(e) => setPin(e.target.value)}
          style={{ fontSize: 28, width: '10ch', textAlign: 'center' }}
          autoFocus
        />
        <p>
          <button className="primary" type="submit" disabled={busy || pin.length < 4}>
            {busy ? 'Checking…' : 'Log in'}
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
