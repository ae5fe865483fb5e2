// X and Z report arithmetic: pure, integer minor units only, no database. Shared by the edge (X/Z
// reports) and the register (the figures shown after a blind count).
//
// Cash: a cash payment row may record the amount handed over in `given` (the covered amount in
// `amount`) or only `amount`. Cash received is `given ?? amount`; the change handed back is the
// sale's `change_due`. Cash expected in the drawer = opening float + cash received − change
// + cash in − cash out. The "cash" tender total is the cash kept (received − change).

export type TenderKind = 'cash' | 'card' | 'credit';

export interface ShiftSaleInput {
  status: string; // completed | voided
  total: number;
  netTotal: number;
  taxTotal: number;
  discountTotal: number;
  changeDue: number;
  taxSummary: unknown;
  payments: { kind: string; amount: number; given: number | null }[];
}

export interface ShiftInputs {
  openingFloat: number;
  sales: ShiftSaleInput[];
  /** `kind` is 'in' or 'out' as stored; any other kind does not move the drawer. */
  movements: { kind: string; amount: number }[];
}

export interface TaxRateFigure {
  taxRateId: string | null;
  rateBp: number;
  net: number;
  tax: number;
  gross: number;
}

export interface ShiftFigures {
  salesCount: number;
  voidedCount: number;
  grossTotal: number;
  netTotal: number;
  taxTotal: number;
  discountTotal: number;
  /** Per tender kind; cash is what stays in the drawer (received − change). */
  tenders: Record<string, number>;
  cashReceived: number;
  changeGiven: number;
  openingFloat: number;
  cashIn: number;
  cashOut: number;
  cashExpected: number;
  taxRates: TaxRateFigure[];
}

export interface ZFigures extends ShiftFigures {
  countedCash: number;
  /** counted − expected: positive is a surplus, negative a shortage. */
  variance: number;
}

function add(a: number, b: number): number {
  const s = a + b;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(s)) {
    throw new RangeError(`amounts must be safe integers of minor units (${a} + ${b})`);
  }
  return s;
}

function taxRows(value: unknown): TaxRateFigure[] {
  if (!Array.isArray(value)) return [];
  return value.map((r) => {
    const o = (r ?? {}) as Record<string, unknown>;
    const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);
    return { taxRateId: typeof o.taxRateId === 'string' ? o.taxRateId : null, rateBp: int(o.rateBp), net: int(o.net), tax: int(o.tax), gross: int(o.gross) };
  });
}

/** Current figures of a shift (the X report); nothing is reset or stored. */
export function shiftFigures(input: ShiftInputs): ShiftFigures {
  let salesCount = 0;
  let voidedCount = 0;
  let grossTotal = 0;
  let netTotal = 0;
  let taxTotal = 0;
  let discountTotal = 0;
  let cashReceived = 0;
  let changeGiven = 0;
  const tenders: Record<string, number> = { cash: 0, card: 0, credit: 0 };
  const rates = new Map<string, TaxRateFigure>();

  for (const sale of input.sales) {
    if (sale.status !== 'completed') {
      voidedCount++;
      continue;
    }
    salesCount++;
    grossTotal = add(grossTotal, sale.total);
    netTotal = add(netTotal, sale.netTotal);
    taxTotal = add(taxTotal, sale.taxTotal);
    discountTotal = add(discountTotal, sale.discountTotal);
    changeGiven = add(changeGiven, sale.changeDue);
    for (const p of sale.payments) {
      if (p.kind === 'cash') cashReceived = add(cashReceived, p.given ?? p.amount);
      else tenders[p.kind] = add(tenders[p.kind] ?? 0, p.amount);
    }
    for (const row of taxRows(sale.taxSummary)) {
      // Per VAT rate as printed: a cross-company line carries the other company's rate id for the same rate.
      const key = String(row.rateBp);
      const acc = rates.get(key) ?? { taxRateId: row.taxRateId, rateBp: row.rateBp, net: 0, tax: 0, gross: 0 };
      acc.net = add(acc.net, row.net);
      acc.tax = add(acc.tax, row.tax);
      acc.gross = add(acc.gross, row.gross);
      rates.set(key, acc);
    }
  }
  tenders.cash = cashReceived - changeGiven;

  let cashIn = 0;
  let cashOut = 0;
  for (const m of input.movements) {
    if (m.kind === 'in') cashIn = add(cashIn, m.amount);
    else if (m.kind === 'out') cashOut = add(cashOut, m.amount);
  }
  const cashExpected = add(add(add(input.openingFloat, cashReceived), -changeGiven), cashIn - cashOut);

  return {
    salesCount,
    voidedCount,
    grossTotal,
    netTotal,
    taxTotal,
    discountTotal,
    tenders,
    cashReceived,
    changeGiven,
    openingFloat: input.openingFloat,
    cashIn,
    cashOut,
    cashExpected,
    taxRates: [...rates.values()].sort((a, b) => b.rateBp - a.rateBp),
  };
}

/** The Z figures: the X figures plus the counted cash and the variance against expected. */
export function zFigures(input: ShiftInputs, countedCash: number): ZFigures {
  if (!Number.isSafeInteger(countedCash) || countedCash < 0) throw new RangeError('counted cash must be a non-negative integer of minor units');
  const x = shiftFigures(input);
  return { ...x, countedCash, variance: countedCash - x.cashExpected };
}
