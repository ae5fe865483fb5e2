// The POS in the browser: open the local database, pair, PIN login, sell. Runs only client-side.
import { useEffect, useState } from 'react';
import { PairingForm } from './PairingForm';
import { cashierSchema } from './pin-login';
import { PinLogin, type Cashier } from './PinLogin';
import { takeRegisterDatabase, type OpenedDatabase } from './register-open.client';
import { Register } from './register.client';
import { SellScreen } from './SellScreen';
import { prepareShell, registerShellWorker } from './service-worker.client';
import { ShellUpdater } from './shell-update';
import { ShiftBadge } from './ShiftBadge';
import { ShiftClose } from './ShiftClose';
import { ShiftOpen } from './ShiftOpen';
import { LiveStatusBar } from './StatusBar';
import { useShifts, type InitialShifts } from './use-shift';
import type { InitialStoreData } from './use-store-data';

type Phase =
  | { kind: 'opening' }
  | { kind: 'elsewhere' }
  | { kind: 'error'; message: string }
  | { kind: 'unpaired' }
  | { kind: 'login' }
  | { kind: 'selling'; cashier: Cashier };

const CASHIER_KEY = 'till.cashier';

/** The cashier logged in on this tab before a reload; anything unreadable means logging in again. */
function savedCashier(): Cashier | undefined {
  const text = sessionStorage.getItem(CASHIER_KEY);
  if (!text) return undefined;
  try {
    const parsed = cashierSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `appVersion`: the version this shell was built as (the page's loader, from the build). */
export function PosApp({ appVersion }: { appVersion: string }) {
  const [register, setRegister] = useState<Register>();
  const [phase, setPhase] = useState<Phase>({ kind: 'opening' });
  // What the first screen shows, read in one go as the register opened.
  const [first, setFirst] = useState<{ store: InitialStoreData; shifts?: InitialShifts }>();
  const shifts = useShifts(register, phase.kind === 'selling' ? phase.cashier : undefined, first?.shifts);
  const [closingShift, setClosingShift] = useState(false);

  useEffect(() => {
    registerShellWorker(appVersion);
    let r: Register | undefined;
    let opened: OpenedDatabase | undefined;
    takeRegisterDatabase(() => setPhase({ kind: 'elsewhere' }))
      .then(async (o) => {
        opened = o;
        const shell = new ShellUpdater({ shellVersion: appVersion, prepare: prepareShell, reload: () => location.reload(), session: sessionStorage });
        r = new Register(o, location.origin, shell);
        // For an on-call engineer at the register: `await till.status()` in the browser console.
        (window as unknown as { till: Register }).till = r;
        // Identity, store data and the saved cashier's shifts in one round trip, before sync competes for the database.
        const saved = savedCashier();
        const read = await r.loadFirstScreen(saved?.companyIds);
        performance.mark('till:first-screen');
        setRegister(r);
        if (!read.identity) return setPhase({ kind: 'unpaired' });
        const { masterVersion } = read;
        setFirst({
          store: { ...read.store, masterVersion },
          shifts: saved && read.shifts ? { cashier: saved, companies: read.shifts, masterVersion } : undefined,
        });
        // Selling needs only what is local: sync starts alongside, the screen does not wait for it.
        void r.start().catch(() => undefined);
        setPhase(saved ? { kind: 'selling', cashier: saved } : { kind: 'login' });
      })
      .catch((e: Error) => setPhase({ kind: 'error', message: e.message }));
    return () => {
      r?.stop();
      opened?.terminate();
    };
  }, [appVersion]);

  if (phase.kind === 'opening')
    return (
      <p style={{ padding: '1rem' }} className="muted">
        Opening the register database…
      </p>
    );
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
        <button type="button" onClick={() => location.reload()}>
          Try again
        </button>
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
          <LiveStatusBar register={register} />
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
  const logout = () => {
    sessionStorage.removeItem(CASHIER_KEY);
    setClosingShift(false);
    setPhase({ kind: 'login' });
  };
  const bar = (
    <header className="bar">
      <strong>Till POS · {register.identity?.registerCode}</strong>
      <span>{phase.cashier.name}</span>
      <LiveStatusBar register={register} />
    </header>
  );
  if (!shifts.read)
    return (
      <p style={{ padding: '1rem' }} className="muted">
        Reading the shift…
      </p>
    );
  // Selling needs an open shift in every company the cashier sells in (ADR 701); opened here, offline.
  const missing = shifts.companies.filter((c) => !c.shift);
  if (shifts.loaded && closingShift) {
    return (
      <>
        {bar}
        <ShiftClose
          register={register}
          cashier={phase.cashier}
          companies={shifts.companies.filter((c) => c.shift)}
          onCancel={() => setClosingShift(false)}
          onClosed={() => {
            void shifts.refresh();
            logout();
          }}
        />
      </>
    );
  }
  if (shifts.loaded && missing.length) {
    return (
      <>
        {bar}
        <ShiftOpen register={register} cashier={phase.cashier} companies={missing} onOpened={() => void shifts.refresh()} onLogout={logout} />
      </>
    );
  }
  return (
    <SellScreen
      register={register}
      cashier={phase.cashier}
      onLogout={logout}
      shiftBar={<ShiftBadge companies={shifts.companies} onClose={() => setClosingShift(true)} />}
      initialStore={first?.store}
    />
  );
}
