// The POS in the browser: open the local database, pair, PIN login, sell. Runs only client-side.
import { useEffect, useState } from 'react';
import { PairingForm } from './PairingForm';
import { PinLogin, type Cashier } from './PinLogin';
import { openRegisterDatabase, Register, workerUrl, type OpenedDatabase } from './register.client';
import { SellScreen } from './SellScreen';
import { StatusBar } from './StatusBar';
import { useRegisterStatus } from './use-register-status';

type Phase = { kind: 'opening' } | { kind: 'elsewhere' } | { kind: 'error'; message: string } | { kind: 'unpaired' } | { kind: 'login' } | { kind: 'selling'; cashier: Cashier };

const CASHIER_KEY = 'till.cashier';

/** Caches the app shell for offline reloads, including what loaded before the worker took over. */
function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  void navigator.serviceWorker.register('/sw.js').then(async () => {
    const reg = await navigator.serviceWorker.ready;
    // The database worker too: fetched by the browser for the worker, it may not show among the page's resources.
    const urls = [location.pathname, workerUrl(), ...performance.getEntriesByType('resource').map((e) => e.name)].filter((u) => {
      const p = new URL(u, location.href);
      return p.origin === location.origin && (p.pathname.startsWith('/build/') || p.pathname.startsWith('/pglite/') || p.pathname === '/pos');
    });
    reg.active?.postMessage({ type: 'cache-urls', urls });
  });
}

export function PosApp() {
  const [register, setRegister] = useState<Register>();
  const [phase, setPhase] = useState<Phase>({ kind: 'opening' });
  const status = useRegisterStatus(register);

  useEffect(() => {
    registerServiceWorker();
    let r: Register | undefined;
    let opened: OpenedDatabase | undefined;
    openRegisterDatabase(undefined, () => setPhase({ kind: 'elsewhere' }))
      .then(async (o) => {
        opened = o;
        r = new Register(o, location.origin);
        // For an on-call engineer at the register: `await till.status()` in the browser console.
        (window as unknown as { till: Register }).till = r;
        setRegister(r);
        const identity = await r.loadIdentity();
        if (!identity) return setPhase({ kind: 'unpaired' });
        // Selling needs only what is local: sync starts alongside, the screen does not wait for it.
        void r.start().catch(() => undefined);
        const saved = sessionStorage.getItem(CASHIER_KEY);
        setPhase(saved ? { kind: 'selling', cashier: JSON.parse(saved) } : { kind: 'login' });
      })
      .catch((e: Error) => setPhase({ kind: 'error', message: e.message }));
    return () => {
      r?.stop();
      opened?.terminate();
    };
  }, []);

  if (phase.kind === 'opening') return <p style={{ padding: '1rem' }} className="muted">Opening the register database…</p>;
  if (phase.kind === 'elsewhere')
    return (
      <div className="card" style={{ margin: '2rem' }} role="status">
        <h2>The POS is open in another tab or window</h2>
        <p>This register keeps its data in one place, so only one POS can be open at a time in this browser.</p>
        <p>Close the other tab or window: this one takes over by itself. Nothing else to do here.</p>
      </div>
    );
  if (phase.kind === 'error')
    return (
      <div className="card" style={{ margin: '2rem' }} role="alert">
        <h2>The register cannot start</h2>
        <p className="error">{phase.message}</p>
        <button type="button" onClick={() => location.reload()}>Try again</button>
      </div>
    );
  if (!register) return null;
  if (phase.kind === 'unpaired')
    return (
      <PairingForm
        register={register}
        onPaired={() => {
          void register.start();
          setPhase({ kind: 'login' });
        }}
      />
    );
  if (phase.kind === 'login')
    return (
      <>
        <header className="bar">
          <strong>Till POS · {register.identity?.registerCode}</strong>
          {status ? <StatusBar status={status} onReconnect={() => void register.reconnect()} /> : null}
        </header>
        <PinLogin
          register={register}
          onLogin={(cashier) => {
            sessionStorage.setItem(CASHIER_KEY, JSON.stringify(cashier));
            setPhase({ kind: 'selling', cashier });
          }}
        />
      </>
    );
  return (
    <SellScreen
      register={register}
      cashier={phase.cashier}
      status={status}
      onLogout={() => {
        sessionStorage.removeItem(CASHIER_KEY);
        setPhase({ kind: 'login' });
      }}
    />
  );
}
