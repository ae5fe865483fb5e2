// The sell screen: layout and wiring only. The sale's state and rules are in use-sale.ts (over
// core), receipts in use-receipt.ts, the store's data in use-store-data.ts.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { customerSearchAnswerSchema } from '../../core/edge-api';
import { switchCompany } from './cart-state';
import { CartTable } from './CartTable';
import { callEdge } from './edge-api.client';
import type { Cashier } from './PinLogin';
import { ReceiptCard } from './ReceiptCard';
import type { Register } from './register.client';
import { LiveRejectedList } from './RejectedList';
import { ReturnPanel } from './ReturnPanel';
import { SaleTotals } from './SaleTotals';
import { ScanBox } from './ScanBox';
import { LiveStatusBar } from './StatusBar';
import { TenderPanel } from './TenderPanel';
import { useReceipt } from './use-receipt';
import { useEdgeOnline } from './use-register-status';
import { useSale, type ScreenMessage } from './use-sale';
import { useStoreData, type InitialStoreData } from './use-store-data';

interface Props {
  register: Register;
  cashier: Cashier;
  onLogout: () => void;
  /** The open shift and its Close shift button (PosApp owns shifts). */
  shiftBar?: ReactNode;
  /** The store data as read when the register opened (PosApp), shown at once. */
  initialStore?: InitialStoreData;
}

export function SellScreen({ register, cashier, onLogout, shiftBar, initialStore }: Props) {
  const { companies, store } = useStoreData(register, initialStore);
  const [message, say] = useState<ScreenMessage>(null);
  const [returning, setReturning] = useState(false);
  const online = useEdgeOnline(register);
  const deps = { register, cashier, companies, store, online, say };
  const receipt = useReceipt(deps);
  const sale = useSale({ ...deps, returning, onCompleted: (e, customer) => receipt.print(e, customer, false) });
  const searchCustomers = useCallback(
    async (q: string) => (await callEdge(register, `/api/customers?q=${encodeURIComponent(q)}&limit=10`, customerSearchAnswerSchema)).customers,
    [register],
  );

  const { cart } = sale;
  const shown = !!cart;
  // When the sell screen was first painted (bench/register-pos.ts times a warm reload to it): a
  // task queued from a frame callback runs once that frame is on screen.
  useEffect(() => {
    if (shown) requestAnimationFrame(() => setTimeout(() => performance.mark('till:sell-screen')));
  }, [shown]);
  if (!cart)
    return (
      <p className="muted" style={{ padding: '1rem' }}>
        Waiting for the store data to sync…
      </p>
    );
  return (
    <>
      <header className="bar" style={{ flexWrap: 'wrap' }}>
        <strong>Till POS · {register.identity?.registerCode}</strong>
        <span>{cashier.name}</span>
        <LiveStatusBar register={register} timeZone={store.timeZone} />
        {shiftBar}
        <span style={{ marginLeft: 'auto' }} />
        <button type="button" onClick={() => void register.reconnect()}>
          Sync both
        </button>
        <button type="button" onClick={receipt.printTest}>
          Print test receipt
        </button>
        <button type="button" disabled={!receipt.reprint} onClick={receipt.reprint}>
          Reprint last
        </button>
        <button type="button" onClick={() => setReturning(true)}>
          Return
        </button>
        <button type="button" onClick={onLogout}>
          Log out
        </button>
      </header>
      <main style={{ display: 'grid', gridTemplateColumns: '1fr 380px', gap: '1rem' }}>
        <section>
          <ScanBox
            register={register}
            companies={companies}
            invoiceCompanyId={cart.invoiceCompanyId}
            exponent={sale.exponent}
            onSwitchCompany={(id) => sale.setCart(switchCompany(cart, id))}
            onScan={(code) => void sale.scan(code)}
            onPick={sale.pick}
          />
          {message ? (
            <p className={message.kind === 'error' ? 'error' : ''} role={message.kind === 'error' ? 'alert' : 'status'}>
              {message.text}
            </p>
          ) : null}
          {returning ? (
            <ReturnPanel register={register} online={online} cashierId={cashier.id} exponent={sale.exponent} onClose={() => setReturning(false)} />
          ) : null}
          <CartTable cart={cart} computed={sale.computed} companies={companies} exponent={sale.exponent} onCart={sale.setCart} onDiscount={sale.discount} />
          <LiveRejectedList register={register} />
        </section>
        <aside>
          <SaleTotals computed={sale.computed} exponent={sale.exponent} currency={sale.invoiceCompany?.currency} />
          {sale.computed?.ok && sale.total > 0 ? (
            <div className="card">
              <TenderPanel
                total={sale.total}
                exponent={sale.exponent}
                online={online}
                tenders={sale.tenders}
                onTenders={sale.setTenders}
                onCustomer={sale.setCustomer}
                searchCustomers={searchCustomers}
              />
              <button type="button" className="primary" style={{ width: '100%', marginTop: 8 }} disabled={!sale.covered} onClick={() => void sale.complete()}>
                Complete sale
              </button>
            </div>
          ) : null}
          {receipt.svg ? <ReceiptCard svg={receipt.svg} /> : null}
        </aside>
      </main>
    </>
  );
}
