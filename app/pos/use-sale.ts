// The sale in progress: cart, tenders, customer, and completing it in the register database. Rules
// come from core (cart totals, scans, typed discounts, the default invoice company); this keeps the
// state and talks to the register.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { computeCart, type CartSettings } from '../../core/cart';
import { defaultInvoiceCompany } from '../../core/company-resolution';
import type { SaleCompletedEvent } from '../../core/events';
import { newId } from '../../core/ids';
import { parseDiscountPercent } from '../../core/pos-entry';
import { tendersCover, type Tender } from '../../core/tenders';
import { companySettings } from '../../sync/register/complete-sale';
import { addScan, emptyCart, setDiscount, toSaleLines, type CartState } from './cart-state';
import type { CatalogItem } from './catalog';
import { money } from './money-text';
import type { Cashier } from './PinLogin';
import type { Register } from './register.client';
import type { Company, StoreSettings } from './store-data';

export type ScreenMessage = { kind: 'error' | 'info'; text: string } | null;
export type Customer = { id: string; name: string; code: string };

/** What the sell screen's hooks share: the register, who sells, the store's data and where messages go. */
export interface ScreenDeps {
  register: Register;
  cashier: Cashier;
  companies: Company[];
  store: StoreSettings;
  online: boolean;
  say: (m: ScreenMessage) => void;
}

interface Deps extends ScreenDeps {
  /** A return is open: it holds an app update back like a sale does. */
  returning: boolean;
  onCompleted: (e: SaleCompletedEvent, customer: Customer | undefined) => void;
}

export function useSale({ register, cashier, companies, store, online, returning, say, onCompleted }: Deps) {
  const [cart, setCart] = useState<CartState | null>(null);
  const [settings, setSettings] = useState<CartSettings | null>(null);
  const [tenders, setTenders] = useState<Tender[]>([]);
  const [customer, setCustomer] = useState<Customer>();
  const [completing, setCompleting] = useState(false);
  const companyIds = useMemo(() => companies.map((c) => c.id), [companies]);

  // The first cart opens as soon as the companies are local (at once on a synced register, else after the first sync).
  useEffect(() => {
    const first = defaultInvoiceCompany(store.defaultCompanyId, companyIds);
    if (first) setCart((c) => c ?? emptyCart(first, companyIds));
  }, [companyIds, store.defaultCompanyId]);

  const invoiceCompanyId = cart?.invoiceCompanyId;
  useEffect(() => {
    if (invoiceCompanyId)
      void companySettings(register.db, invoiceCompanyId)
        .then(setSettings)
        .catch(() => setSettings(null));
  }, [register, invoiceCompanyId]);

  const computed = useMemo(() => (cart && settings && cart.lines.length ? computeCart({ lines: toSaleLines(cart), settings }) : null), [cart, settings]);
  const total = computed?.ok ? computed.cart.totals.total : 0;
  const invoiceCompany = companies.find((c) => c.id === invoiceCompanyId);
  const exponent = invoiceCompany?.currency_exponent ?? 2;

  // An app update waits while a sale is under way (app/pos/shell-update.ts).
  const underWay = !!cart?.lines.length || tenders.length > 0 || completing || returning;
  useEffect(() => register.setSaleUnderWay(underWay), [register, underWay]);
  useEffect(() => () => register.setSaleUnderWay(false), [register]);

  const scan = useCallback(
    async (code: string) => {
      if (!cart) return;
      const r = addScan(cart, code, await register.db.call('itemsByBarcode', code), newId());
      setCart(r.state);
      say(r.error ? { kind: 'error', text: r.error } : null);
    },
    [cart, register, say],
  );

  const pick = (item: CatalogItem) => cart && setCart(addScan(cart, item.barcode ?? item.code, [item], newId()).state);

  const discount = (lineId: string, text: string) => {
    const d = parseDiscountPercent(text);
    if (!d.ok) return say({ kind: 'error', text: d.message });
    if (cart) setCart(setDiscount(cart, lineId, d.value));
  };

  const complete = async () => {
    if (!cart || !settings || !invoiceCompany) return;
    const device = register.identity!.devices.find((d) => d.companyId === cart.invoiceCompanyId);
    if (!device) return say({ kind: 'error', text: `This register has no device in ${invoiceCompany.name}` });
    if (tenders.some((t) => t.kind === 'credit') && !online) return say({ kind: 'error', text: 'Credit sales need the edge, which cannot be reached now.' });
    setCompleting(true);
    // One message to the database worker: one transaction, durable before it answers.
    const r = await register.db
      .call('completeSale', {
        registerId: register.identity!.registerId,
        device,
        cashierId: cashier.id,
        lines: toSaleLines(cart),
        tenders,
        settings,
        ...(customer ? { customerId: customer.id } : {}),
      })
      .finally(() => setCompleting(false));
    if (!r.ok) return say({ kind: 'error', text: r.messages.join('; ') });
    register.kick();
    onCompleted(r.event, customer);
    setCart(emptyCart(defaultInvoiceCompany(store.defaultCompanyId, cart.companyIds, cart.invoiceCompanyId)!, cart.companyIds));
    setTenders([]);
    setCustomer(undefined);
    const flagged = r.event.sale.lines.some((l) => l.crossCompany) ? ' — flagged for adjustment' : '';
    say({ kind: 'info', text: `Sale ${r.event.receiptNumber} completed${flagged}. Change ${money(r.event.sale.changeDue, exponent)}.` });
  };

  return {
    cart,
    setCart,
    computed,
    total,
    exponent,
    invoiceCompany,
    tenders,
    setTenders,
    setCustomer,
    covered: tendersCover(total, tenders),
    scan,
    pick,
    discount,
    complete,
  };
}
