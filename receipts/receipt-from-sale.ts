// The receipt of a completed sale event, in the shape the receipt layout takes. Isomorphic.
import { computeCart } from '../core/cart';
import type { SaleCompletedEvent } from '../core/events';
import type { ReceiptDataInput } from './receipt-data';

export interface ReceiptContext {
  store: { name: string; address?: string };
  /** `name` is the legal name when the company has one; `taxId` its VAT id. */
  company: { name: string; code: string; taxId?: string };
  companyNames: Record<string, string>;
  currency: string;
  currencyExponent: number;
  register: { code: string; name?: string };
  cashierName: string;
  footer?: string;
  /** The store's IANA zone: the receipt shows the sale's time there, with the offset. */
  timeZone?: string;
  customer?: { name: string; code?: string };
  reprint?: boolean;
}

export function receiptFromSale(e: SaleCompletedEvent, ctx: ReceiptContext): ReceiptDataInput {
  const { sale } = e;
  const cart = computeCart({ lines: sale.lines, settings: sale.settings, ...(sale.invoiceDiscount ? { invoiceDiscount: sale.invoiceDiscount } : {}) });
  if (!cart.ok) throw new Error('a completed sale must compute');
  const figures = new Map(cart.cart.lines.map((l) => [l.lineId, l]));
  const invoiceDiscount = cart.cart.lines.reduce((s, l) => s + l.invoiceDiscountShare, 0);
  return {
    store: { name: ctx.store.name, address: ctx.store.address ?? '' },
    company: { name: ctx.company.name, code: ctx.company.code, ...(ctx.company.taxId ? { taxId: ctx.company.taxId } : {}) },
    currency: ctx.currency,
    currencyExponent: ctx.currencyExponent,
    receiptNumber: e.receiptNumber,
    issuedAt: e.occurredAt,
    ...(ctx.timeZone ? { timeZone: ctx.timeZone } : {}),
    register: ctx.register,
    cashier: { name: ctx.cashierName },
    ...(ctx.customer ? { customer: ctx.customer } : {}),
    lines: sale.lines.map((l) => {
      const f = figures.get(l.lineId)!;
      return {
        name: l.name,
        ...(l.code ? { code: l.code } : {}),
        quantityMilli: l.quantityMilli,
        unitPrecision: l.unitPrecision,
        unitPrice: l.unitPrice,
        lineDiscount: f.lineDiscount,
        total: f.net + f.tax + f.invoiceDiscountShare,
        crossCompany: l.crossCompany,
        ...(l.crossCompany ? { itemCompanyName: ctx.companyNames[l.companyId] ?? 'other company' } : {}),
      };
    }),
    invoiceDiscount,
    totals: sale.totals,
    taxSummary: sale.taxSummary.map((t) => ({ rateBp: t.rateBp, net: t.net, tax: t.tax, gross: t.gross })),
    tenders: sale.tenders.map((t) =>
      t.kind === 'cash'
        ? { kind: 'cash' as const, amount: t.amount, given: t.given, change: t.given - t.amount }
        : t.kind === 'card'
          ? { kind: 'card' as const, amount: t.amount, reference: t.reference }
          : { kind: 'credit' as const, amount: t.amount, customer: ctx.customer ?? { name: 'Account customer' } },
    ),
    flaggedForAdjustment: sale.lines.some((l) => l.crossCompany),
    adjustmentReasons: sale.lines.filter((l) => l.crossCompany).map((l) => `${l.name}: item of ${ctx.companyNames[l.companyId] ?? 'the other company'}`),
    footer: ctx.footer ?? '',
    reprint: ctx.reprint ?? false,
  };
}
