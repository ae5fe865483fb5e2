import { useState } from 'react';
import type { Register } from './register.client';

export function PairingForm({ register, onPaired }: { register: Register; onPaired: () => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="card" style={{ maxWidth: 460, margin: '3rem auto' }}>
      <h2>Set up this register</h2>
      <p className="muted">Enter the pairing code shown in Admin → Registers. It binds this browser to the register in both companies.</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            await register.pair(code.trim());
            onPaired();
          } catch (err) {
            setError(register.link.state.online ? (err as Error).message : 'The edge cannot be reached. Pairing needs the edge.');
          } finally {
            setBusy(false);
          }
        }}
      >
        <input name="pairingCode" aria-label="pairing code" placeholder="ABCDE-FGHJK" value={code} onChange={(e) => setCode(e.target.value)} autoFocus />{' '}
        <button className="primary" type="submit" disabled={busy}>
          Pair
        </button>
      </form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
