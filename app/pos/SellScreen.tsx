import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { computeCart, type CartSettings } from '../../core/cart';
import type { SaleCompletedEvent } from '../../core/events';
import { newId } from '../../core/ids';
import type { Tender } from '../../core/tenders';
import { receiptDocument, testReceiptDocument } from '../../receipts/receipt-document';
import { receiptFromSale } from '../../receipts/receipt-from-sale';
import { isTimeZone } from '../../core/local-time';
import { companySettings } from '../../sync/register/complete-sale';
import { addScan, emptyCart, removeLine, setDiscount, setQuantity, switchCompany, toSaleLines, type CartState } from './cart-state';
import { itemsByBarcode, searchCatalog, type CatalogItem } from './catalog';
import { receiptRenderer } from './receipt-renderer.client';
import { ReturnPanel } from './ReturnPanel';
import { money, quantityText } from './money-text';
import type { Cashier } from './PinLogin';
import type { Register, RegisterStatus } from './register.client';
import { StatusBar } from './StatusBar';
import { TenderPanel } from './TenderPanel';
import { useWedgeScan } from './use-wedge-scan';

interface Company {
  id: string;
  code: string;
  name: string;
  currency: string;
  currency_exponent: number;
  legal_name: string | null;
  vat_id: string | null;
  receipt_footer: string | null;
}

interface Props {
  register: Register;
  cashier: Cashier;
  status: RegisterStatus | undefined;
  onLogout: () => void;
  /** The open shift and its Close shift button (PosApp owns shifts). */
  shiftBar?: ReactNode;
}

export function SellScreen({ register, cashier, status, onLogout, shiftBar }: Props) {
  const [companies, setCompanies] = useState<Company[]>([]);
  const [store, setStore] = useState<{ name: string; address: string; footer: string; printer: string; defaultCompanyId: string | null; timeZone: string | null }>({ name: 'Store', address: '', footer: '', printer: '', defaultCompanyId: null, timeZone: null });
  const [cart, setCart] = useState<CartState | null>(null);
  const [settings, setSettings] = useState<CartSettings | null>(null);
  const [tenders, setTenders] = useState<Tender[]>([]);
  const [customer, setCustomer] = useState<{ id: string; name: string; code: string }>();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CatalogItem[]>([]);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [receiptSvg, setReceiptSvg] = useState<string | null>(null);
  const [lastSale, setLastSale] = useState<SaleCompletedEvent | null>(null);
  const [returning, setReturning] = useState(false);
  const lastWedge = useRef({ code: '', at: 0 });
  const online = status?.companies.some((c) => c.state === 'OK') ?? false;

  const loadMaster = useCallback(async () => {
    const c = await register.db.query<Company>(
      `SELECT id, code, name, currency, currency_exponent, legal_name, vat_id, receipt_footer FROM companies ORDER BY name`,
    );
    const s = await register.db.query<{ default_company_id: string; receipt_footer: string; printer_address: string; time_zone: string | null; name: string | null; address: string | null }>(
      `SELECT ss.default_company_id, ss.receipt_footer, ss.printer_address, ss.time_zone, st.name, st.address FROM store_settings ss LEFT JOIN stores st ON st.id = ss.store_id LIMIT 1`,
    );
    setCompanies(c.rows);
    setStore({
      name: s.rows[0]?.name ?? 'Store',
      address: s.rows[0]?.address ?? '',
      footer: s.rows[0]?.receipt_footer ?? '',
      printer: s.rows[0]?.printer_address ?? '',
      defaultCompanyId: s.rows[0]?.default_company_id ?? null,
      timeZone: s.rows[0]?.time_zone ?? null,
    });
    return { companies: c.rows, defaultCompanyId: s.rows[0]?.default_company_id ?? c.rows[0]?.id };
  }, [register]);

  useEffect(() => {
    // The first cart opens as soon as the companies are local (at once on a synced register, else after the first sync).
    const load = () =>
      void loadMaster().then(({ companies: cs, defaultCompanyId }) => {
        if (defaultCompanyId) setCart((c) => c ?? emptyCart(defaultCompanyId, cs.map((x) => x.id)));
      });
    load();
    return register.onMasterData(load);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [register, loadMaster]);

  const invoiceCompany = companies.find((c) => c.id === cart?.invoiceCompanyId);
  const exponent = invoiceCompany?.currency_exponent ?? 2;

  useEffect(() => {
    if (cart) void companySettings(register.db, cart.invoiceCompanyId).then(setSettings).catch(() => setSettings(null));
  }, [register, cart?.invoiceCompanyId]);

  const computed = useMemo(() => {
    if (!cart || !settings || cart.lines.length === 0) return null;
    return computeCart({ lines: toSaleLines(cart), settings });
  }, [cart, settings]);
  const total = computed?.ok ? computed.cart.totals.total : 0;

  const scan = useCallback(
    async (code: string) => {
      if (!cart) return;
      const candidates = await itemsByBarcode(register.db, code);
      const r = addScan(cart, code, candidates, newId());
      setCart(r.state);
      setMessage(r.error ? { kind: 'error', text: r.error } : null);
    },
    [cart, register],
  );

  useWedgeScan((code) => {
    lastWedge.current = { code, at: Date.now() };
    setQuery('');
    void scan(code);
  });

  const pick = (item: CatalogItem) => {
    if (!cart) return;
    const code = item.barcode ?? item.code;
    setCart(addScan(cart, code, [item], newId()).state);
    setResults([]);
    setQuery('');
  };

  const device = (companyId: string) => register.identity!.devices.find((d) => d.companyId === companyId);

  const complete = async () => {
    if (!cart || !settings || !invoiceCompany) return;
    const dev = device(cart.invoiceCompanyId);
    if (!dev) return setMessage({ kind: 'error', text: `This register has no device in ${invoiceCompany.name}` });
    if (tenders.some((t) => t.kind === 'credit') && !online) {
      return setMessage({ kind: 'error', text: 'Credit sales need the edge, which cannot be reached now.' });
    }
    // One message to the database worker: one transaction, durable before it answers.
    const r = await register.db.call('completeSale', {
      registerId: register.identity!.registerId,
      device: dev,
      cashierId: cashier.id,
      lines: toSaleLines(cart),
      tenders,
      settings,
      ...(customer ? { customerId: customer.id } : {}),
    });
    if (!r.ok) return setMessage({ kind: 'error', text: r.messages.join('; ') });
    register.kick();
    setLastSale(r.event);
    printReceipt(r.event, false);
    setCart(emptyCart(store.defaultCompanyId ?? cart.invoiceCompanyId, cart.companyIds));
    setTenders([]);
    setCustomer(undefined);
    setMessage({
      kind: 'info',
      text: `Sale ${r.event.receiptNumber} completed${r.event.sale.lines.some((l) => l.crossCompany) ? ' — flagged for adjustment' : ''}. Change ${money(r.event.sale.changeDue, exponent)}.`,
    });
  };

  const printReceipt = (e: SaleCompletedEvent, reprint: boolean) => {
    const company = companies.find((c) => c.id === e.companyId)!;
    const data = receiptFromSale(e, {
      store: { name: store.name, address: store.address },
      company: { name: company.legal_name || company.name, code: company.code, ...(company.vat_id ? { taxId: company.vat_id } : {}) },
      companyNames: Object.fromEntries(companies.map((c) => [c.id, c.name])),
      currency: company.currency,
      currencyExponent: company.currency_exponent,
      register: { code: device(e.companyId)?.code ?? register.identity!.registerCode },
      cashierName: cashier.name,
      footer: [company.receipt_footer, store.footer].filter((f) => f).join('\n'),
      ...(store.timeZone && isTimeZone(store.timeZone) ? { timeZone: store.timeZone } : {}),
      ...(customer ? { customer: { name: customer.name, code: customer.code } } : {}),
      reprint,
    });
    void showReceipt(receiptDocument(data));
    if (store.printer) void printRaw({ receipt: data });
  };

  /** A configured receipt printer gets ESC/POS through the edge; the on-screen receipt is the fallback. */
  const printRaw = async (body: unknown) => {
    if (!online) return setMessage({ kind: 'error', text: 'The receipt printer is reached through the edge, which is offline: use Print on screen.' });
    try {
      const res = await register.link.fetch(`${register.baseUrl}/api/print`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${register.identity!.token}` },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error((await res.json()).issues?.[0]?.message ?? `printer error ${res.status}`);
    } catch (err) {
      setMessage({ kind: 'error', text: `Receipt printer: ${(err as Error).message}. Use Print on screen.` });
    }
  };

  const showReceipt = async (doc: string) => {
    try {
      setReceiptSvg((await receiptRenderer()).renderSvg(doc));
    } catch (e) {
      setMessage({ kind: 'error', text: `Receipt could not be rendered: ${(e as Error).message}` });
    }
  };

  const printTest = () => {
    void showReceipt(testReceiptDocument({ name: store.name, address: store.address, footer: store.footer }, { code: register.identity!.registerCode }));
    if (store.printer) void printRaw({ test: true });
  };

  if (!cart) return <p className="muted" style={{ padding: '1rem' }}>Waiting for the store data to sync…</p>;
  const lineErrors = computed && !computed.ok ? computed.errors : [];
  const flagged = cart.lines.some((l) => l.crossCompany);

  return (
    <>
      <header className="bar" style={{ flexWrap: 'wrap' }}>
        <strong>Till POS · {register.identity?.registerCode}</strong>
        <span>{cashier.name}</span>
        {status ? <StatusBar status={status} onReconnect={() => void register.reconnect()} /> : null}
        {shiftBar}
        <span style={{ marginLeft: 'auto' }} />
        <button type="button" onClick={() => void register.reconnect()}>Sync both</button>
        <button type="button" onClick={printTest}>Print test receipt</button>
        <button type="button" disabled={!lastSale} onClick={() => lastSale && printReceipt(lastSale, true)}>Reprint last</button>
        <button type="button" onClick={() => setReturning(true)}>Return</button>
        <button type="button" onClick={onLogout}>Log out</button>
      </header>
      <main style={{ display: 'grid', gridTemplateColumns: '1fr 380px', gap: '1rem' }}>
        <section>
          <div className="card" style={{ display: 'flex', gap: '1rem', alignItems: 'center' }}>
            <span>Invoice company:</span>
            {companies.map((c) => (
              <button
                key={c.id}
                type="button"
                data-testid={`company-${c.code}`}
                className={c.id === cart.invoiceCompanyId ? 'primary' : ''}
                aria-pressed={c.id === cart.invoiceCompanyId}
                onClick={() => setCart(switchCompany(cart, c.id))}
              >
                {c.name}
              </button>
            ))}
            <form
              style={{ marginLeft: 'auto' }}
              onSubmit={async (e) => {
                e.preventDefault();
                const q = query.trim();
                if (!q) return;
                if (lastWedge.current.code === q && Date.now() - lastWedge.current.at < 500) return setQuery('');
                if (/^[0-9]{4,}$/.test(q)) {
                  setQuery('');
                  return void scan(q);
                }
                setResults(await searchCatalog(register.db, q, companies.map((c) => c.id)));
              }}
            >
              <input data-scan-target="true" aria-label="scan or search" placeholder="scan, code or name" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
            </form>
          </div>
          {results.length ? (
            <div className="card">
              {results.map((r) => (
                <button key={r.itemId} type="button" onClick={() => pick(r)} style={{ margin: 2 }}>
                  {r.name} · {companies.find((c) => c.id === r.companyId)?.code} · {money(r.unitPrice, exponent)}
                </button>
              ))}
            </div>
          ) : null}
          {message ? <p className={message.kind === 'error' ? 'error' : ''} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p> : null}
          {returning ? <ReturnPanel register={register} online={online} cashierId={cashier.id} exponent={exponent} onClose={() => setReturning(false)} /> : null}
          <div className="card">
            {flagged ? <p className="badge warn" data-testid="flagged">flagged for adjustment</p> : null}
            <table data-testid="cart">
              <thead>
                <tr><th>Item</th><th className="num">Qty</th><th className="num">Price</th><th className="num">Disc %</th><th className="num">Total</th><th></th></tr>
              </thead>
              <tbody>
                {cart.lines.map((l) => {
                  const f = computed?.ok ? computed.cart.lines.find((x) => x.lineId === l.lineId) : undefined;
                  return (
                    <tr key={l.lineId} data-company={companies.find((c) => c.id === l.companyId)?.code}>
                      <td>
                        {l.name}
                        {l.crossCompany ? <span className="badge warn" style={{ marginLeft: 6 }}>{companies.find((c) => c.id === l.companyId)?.name} item</span> : null}
                      </td>
                      <td className="num">
                        <button type="button" aria-label="less" onClick={() => l.quantityMilli > 1000 && setCart(setQuantity(cart, l.lineId, l.quantityMilli - 1000))}>−</button>{' '}
                        {quantityText(l.quantityMilli, l.unitPrecision)}{' '}
                        <button type="button" aria-label="more" onClick={() => setCart(setQuantity(cart, l.lineId, l.quantityMilli + 1000))}>+</button>
                      </td>
                      <td className="num">{money(l.unitPrice, exponent)}</td>
                      <td className="num">
                        <input
                          aria-label="discount percent"
                          style={{ width: '5ch' }}
                          defaultValue={l.discount?.kind === 'percent' ? String(l.discount.bp / 100) : ''}
                          onBlur={(e) => {
                            const v = e.target.value.trim();
                            const bp = v === '' ? 0 : Math.round(Number(v) * 100);
                            setCart(setDiscount(cart, l.lineId, Number.isFinite(bp) && bp > 0 ? { kind: 'percent', bp } : undefined));
                          }}
                        />
                      </td>
                      <td className="num">{f ? money(f.total, exponent) : '—'}</td>
                      <td><button type="button" aria-label="remove" onClick={() => setCart(removeLine(cart, l.lineId))}>✕</button></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {lineErrors.map((e, i) => (
              <p key={i} className="error" role="alert">{e.message}</p>
            ))}
          </div>
          {status?.rejections.length ? (
            <details className="card" data-testid="rejected-list">
              <summary>Rejected by the edge ({status.rejections.length})</summary>
              <ul>
                {status.rejections.map((r) => (
                  <li key={r.eventId}>{r.type} {r.eventId.slice(0, 8)}: {r.reason}{r.field ? ` (${r.field})` : ''}</li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>
        <aside>
          <div className="card">
            <table>
              <tbody>
                <tr><td>Subtotal</td><td className="num">{computed?.ok ? money(computed.cart.totals.subtotal, exponent) : '—'}</td></tr>
                <tr><td>Discounts</td><td className="num">{computed?.ok ? money(computed.cart.totals.discountTotal, exponent) : '—'}</td></tr>
                {computed?.ok
                  ? computed.cart.taxSummary.map((t) => (
                      <tr key={t.taxRateId}><td className="muted">VAT {t.rateBp / 100}% on {money(t.net, exponent)}</td><td className="num">{money(t.tax, exponent)}</td></tr>
                    ))
                  : null}
                <tr><td><strong>Total</strong></td><td className="num" data-testid="total"><strong>{money(total, exponent)} {invoiceCompany?.currency}</strong></td></tr>
              </tbody>
            </table>
          </div>
          {computed?.ok && total > 0 ? (
            <div className="card">
              <TenderPanel
                total={total}
                exponent={exponent}
                online={online}
                tenders={tenders}
                onTenders={setTenders}
                onCustomer={setCustomer}
                searchCustomers={async (q) => {
                  const res = await register.link.fetch(`${register.baseUrl}/api/customers?q=${encodeURIComponent(q)}&limit=10`, {
                    headers: { authorization: `Bearer ${register.identity!.token}` },
                  });
                  return (await res.json()).customers;
                }}
              />
              <button type="button" className="primary" style={{ width: '100%', marginTop: 8 }} disabled={tenders.reduce((s, t) => s + t.amount, 0) < total} onClick={() => void complete()}>
                Complete sale
              </button>
            </div>
          ) : null}
          {receiptSvg ? (
            <div className="card" data-testid="receipt">
              <button type="button" onClick={() => printSvg(receiptSvg)}>Print</button>
              <div style={{ maxHeight: 420, overflow: 'auto' }} dangerouslySetInnerHTML={{ __html: receiptSvg }} />
            </div>
          ) : null}
        </aside>
      </main>
    </>
  );
}

/** Browser printing of one receipt, without the rest of the screen. */
function printSvg(svg: string) {
  const w = window.open('', 'receipt', 'width=420,height=700');
  if (!w) return;
  w.document.write(`<html><body style="margin:0">${svg}</body></html>`);
  w.document.close();
  w.focus();
  w.print();
}
