// The register's cart as plain data and pure transitions (the screen keeps it in React state).
import type { Discount } from '../../core/cart';
import { lineFromScan, reresolveOnCompanySwitch, resolveScan, type CatalogItem, type ResolvedLine } from '../../core/company-resolution';
import type { SaleLine } from '../../core/events';

export interface CartLine extends ResolvedLine {
  quantityMilli: number;
  discount?: Discount;
}

export interface CartState {
  invoiceCompanyId: string;
  companyIds: string[];
  lines: CartLine[];
  /** Every catalog item seen per scanned code, for re-resolving when the invoice company changes. */
  known: Record<string, CatalogItem[]>;
}

export function emptyCart(invoiceCompanyId: string, companyIds: string[]): CartState {
  return { invoiceCompanyId, companyIds, lines: [], known: {} };
}

const lookupIn = (known: CartState['known']) => (companyId: string, code: string) => known[code]?.find((i) => i.companyId === companyId);

/** Adds what a scan or a search pick resolves to; the same item scanned again adds one more. */
export function addScan(state: CartState, code: string, candidates: CatalogItem[], newLineId: string): { state: CartState; error?: string } {
  const known = { ...state.known, [code]: candidates };
  const scan = resolveScan({ code, invoiceCompanyId: state.invoiceCompanyId, lookup: lookupIn(known), companyIds: state.companyIds });
  if (!scan.ok) return { state, error: scan.message };
  const existing = state.lines.find((l) => l.itemId === scan.item.itemId && l.unitPrecision === 0 && !l.discount);
  if (existing) {
    return { state: { ...state, known, lines: state.lines.map((l) => (l === existing ? { ...l, quantityMilli: l.quantityMilli + 1000 } : l)) } };
  }
  const line: CartLine = { ...lineFromScan(scan, newLineId, code), quantityMilli: 1000 };
  return { state: { ...state, known, lines: [...state.lines, line] } };
}

/** Switching the invoice company re-resolves every line whose code exists in the new company. */
export function switchCompany(state: CartState, companyId: string): CartState {
  return { ...state, invoiceCompanyId: companyId, lines: reresolveOnCompanySwitch(state.lines, companyId, lookupIn(state.known)) };
}

export function setQuantity(state: CartState, lineId: string, quantityMilli: number): CartState {
  return { ...state, lines: state.lines.map((l) => (l.lineId === lineId ? { ...l, quantityMilli } : l)) };
}

export function setDiscount(state: CartState, lineId: string, discount: Discount | undefined): CartState {
  return {
    ...state,
    lines: state.lines.map((l) => {
      if (l.lineId !== lineId) return l;
      const { discount: _old, ...rest } = l;
      return discount ? { ...rest, discount } : rest;
    }),
  };
}

export function removeLine(state: CartState, lineId: string): CartState {
  return { ...state, lines: state.lines.filter((l) => l.lineId !== lineId) };
}

export function toSaleLines(state: CartState): SaleLine[] {
  return state.lines.map((l) => {
    const out: SaleLine = {
      lineId: l.lineId,
      itemId: l.itemId,
      companyId: l.companyId,
      code: l.code,
      name: l.name,
      crossCompany: l.crossCompany,
      quantityMilli: l.quantityMilli,
      unitPrice: l.unitPrice,
      unitPrecision: l.unitPrecision,
      taxRateId: l.taxRateId,
      rateBp: l.rateBp,
      maxDiscountBp: l.maxDiscountBp,
    };
    if (l.crossCompanyReason) out.crossCompanyReason = l.crossCompanyReason;
    if (l.discount) out.discount = l.discount;
    return out;
  });
}
