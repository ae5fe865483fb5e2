// State of the PIN screen: the typed PIN, the active cashier count (to say when none have synced yet)
// and the login attempt; the rules live in pin-login.ts and pin-lockout.ts.
import { useEffect, useState } from 'react';
import { loginWithPin, pinLoginMessage, type Cashier } from './pin-login';
import type { Register } from './register.client';

const countActive = (register: Register) => register.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cashiers WHERE active`).then((r) => r.rows[0]!.n);

export function usePinLogin(register: Register, onLogin: (c: Cashier) => void) {
  const [pin, setPinText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cashierCount, setCashierCount] = useState<number | null>(null);

  useEffect(() => {
    void countActive(register).then(setCashierCount);
    return register.onMasterData(() => void countActive(register).then(setCashierCount));
  }, [register]);

  async function submit() {
    setBusy(true);
    try {
      const r = await loginWithPin(register.db, pin);
      if (r.kind === 'ok') return onLogin(r.cashier);
      setError(pinLoginMessage(r));
      setPinText('');
    } catch (e) {
      setError(`The PIN could not be checked: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return {
    pin,
    setPin: (text: string) => setPinText(text.replace(/\D/g, '').slice(0, 8)),
    error,
    busy,
    cashierCount,
    submit,
  };
}
