// The receipt of a stored sale, rebuilt for the back office (preview and reprint). The mapper is pure;
// `loadStoredSaleReceipt` gathers its rows from the edge database.
import { UUID_RE } from '../core/ids';
import type { Database } from '../db/client';
import { many, maybeOne, type Cols, type SqlRow } from '../db/query';
import type { companies, payments, saleLines, sales } from '../db/schema';
import type { ReceiptDataInput } from '../receipts/receipt-data';

export interface StoredSaleReceipt {
  sale: {
    receiptNumber: string;
    occurredAt: string;
    subtotal: number;
    discountTotal: number;
    netTotal: number;
    taxTotal: number;
    total: number;
    taxSummary: { rateBp: number; net: number; tax: number; gross: number; label?: string }[];
    flagged: boolean;
  };
  company: { name: string; code: string; currency: string; currencyExponent: number; legalName?: string; vatId?: string; footer?: string };
  store: { name: string; address: string; footer: string; timeZone?: string } | null;
  register: { code: string; name: string };
  cashierName: string | null;
  customer: { name: string; code: string | null } | null;
  lines: {
    name: string;
    itemCode: string | null;
    uom: string | null;
    unitPrecision: number | null;
    quantityMilli: number;
    unitPrice: number;
    lineDiscount: number;
    invoiceDiscountShare: number;
    net: number;
    tax: number;
    crossCompany: boolean;
    itemCompanyName: string | null;
  }[];
  payments: { kind: string; amount: number; given: number | null; reference: string | null; customerName: string | null }[];
}

const PIECE_UOMS = new Set(['nos', 'unit', 'pcs', 'piece', 'ea', 'each']);

/** The receipt a stored sale printed (marked as a copy unless `reprint: false`). */
export function receiptFromStoredSale(s: StoredSaleReceipt, opts: { reprint?: boolean; timeZone?: string } = {}): ReceiptDataInput {
  const invoiceDiscount = s.lines.reduce((sum, l) => sum + l.invoiceDiscountShare, 0);
  const customer = s.customer ? { name: s.customer.name, ...(s.customer.code ? { code: s.customer.code } : {}) } : undefined;
  const cross = s.lines.filter((l) => l.crossCompany);
  return {
    store: { name: s.store?.name || s.company.name, address: s.store?.address ?? '' },
    company: { name: s.company.legalName || s.company.name, code: s.company.code, ...(s.company.vatId ? { taxId: s.company.vatId } : {}) },
    currency: s.company.currency,
    currencyExponent: s.company.currencyExponent,
    receiptNumber: s.sale.receiptNumber,
    issuedAt: s.sale.occurredAt,
    // Printed in the store's zone (its setting) with the offset, whatever zone the register wrote.
    ...((opts.timeZone ?? s.store?.timeZone) ? { timeZone: opts.timeZone ?? s.store?.timeZone } : {}),
    register: { code: s.register.code, ...(s.register.name ? { name: s.register.name } : {}) },
    cashier: { name: s.cashierName || 'unknown cashier' },
    ...(customer ? { customer } : {}),
    lines: s.lines.map((l) => ({
      name: l.name,
      ...(l.itemCode ? { code: l.itemCode } : {}),
      quantityMilli: l.quantityMilli,
      ...(l.unitPrecision !== null ? { unitPrecision: l.unitPrecision } : {}),
      ...(l.uom && !PIECE_UOMS.has(l.uom.toLowerCase()) ? { uom: l.uom } : {}),
      unitPrice: l.unitPrice,
      lineDiscount: l.lineDiscount,
      // Before the invoice discount, as the register printed it.
      total: l.net + l.tax + l.invoiceDiscountShare,
      crossCompany: l.crossCompany,
      ...(l.crossCompany && l.itemCompanyName ? { itemCompanyName: l.itemCompanyName } : {}),
    })),
    invoiceDiscount,
    totals: { subtotal: s.sale.subtotal, discountTotal: s.sale.discountTotal, net: s.sale.netTotal, tax: s.sale.taxTotal, total: s.sale.total },
    taxSummary: s.sale.taxSummary.map((t) => ({ rateBp: t.rateBp, net: t.net, tax: t.tax, gross: t.gross, ...(t.label ? { label: t.label } : {}) })),
    tenders: s.payments.map((p) =>
      p.kind === 'cash'
        ? { kind: 'cash' as const, amount: p.amount, given: p.given ?? p.amount, change: Math.max(0, (p.given ?? p.amount) - p.amount) }
        : p.kind === 'card'
          ? { kind: 'card' as const, amount: p.amount, reference: p.reference ?? '' }
          : { kind: 'credit' as const, amount: p.amount, customer: { name: p.customerName ?? customer?.name ?? 'Account customer' } },
    ),
    // The copy prints what the register printed: a sale flagged only by the edge's review findings
    // (price, VAT, cashier…) carries no note for the customer.
    flaggedForAdjustment: cross.length > 0,
    adjustmentReasons: cross.map((l) => `${l.name}: item of ${l.itemCompanyName ?? 'the other company'}`),
    footer: [s.company.footer, s.store?.footer].filter((f) => f).join('\n'),
    reprint: opts.reprint ?? true,
  };
}

/** The rows behind a stored sale's receipt, or undefined when there is no such sale. */
export async function loadStoredSaleReceipt(database: Database, saleId: string): Promise<StoredSaleReceipt | undefined> {
  if (!UUID_RE.test(saleId)) return undefined;
  type SaleRow = SqlRow<typeof sales> &
    Cols<typeof companies, 'currency' | 'currency_exponent' | 'legal_name' | 'vat_id'> & {
      company_name: string;
      company_code: string;
      company_footer: string;
      time_zone: string | null;
      register_code: string;
      register_name: string;
      cashier_name: string | null;
      customer_name: string | null;
      customer_code: string | null;
      store_name: string | null;
      store_address: string | null;
      receipt_footer: string | null;
    };
  const s = await maybeOne<SaleRow>(
    database.pool,
    `SELECT s.*, c.name AS company_name, c.code AS company_code, c.currency, c.currency_exponent,
              c.legal_name, c.vat_id, c.receipt_footer AS company_footer, ss.time_zone,
              g.code AS register_code, g.name AS register_name, k.name AS cashier_name, cu.name AS customer_name, cu.code AS customer_code,
              st.name AS store_name, st.address AS store_address, ss.receipt_footer
         FROM sales s JOIN companies c ON c.id = s.company_id JOIN registers g ON g.id = s.register_id
         LEFT JOIN stores st ON st.id = COALESCE(s.store_id, g.store_id)
         LEFT JOIN store_settings ss ON ss.store_id = st.id
         LEFT JOIN cashiers k ON k.id = s.cashier_id LEFT JOIN customers cu ON cu.id = s.customer_id
        WHERE s.id = $1`,
    [saleId],
  );
  if (!s) return undefined;
  // LEFT JOINs: an item or company row may be gone from under an old sale line.
  type LineRow = SqlRow<typeof saleLines> & { item_code: string | null; uom: string | null; unit_precision: number | null; item_company_name: string | null };
  const [lines, tenders] = await Promise.all([
    many<LineRow>(
      database.pool,
      `SELECT l.*, i.code AS item_code, i.uom, i.unit_precision, ic.name AS item_company_name
         FROM sale_lines l LEFT JOIN items i ON i.id = l.item_id LEFT JOIN companies ic ON ic.id = l.item_company_id
        WHERE l.sale_id = $1 ORDER BY l.line_no`,
      [saleId],
    ),
    many<Cols<typeof payments, 'kind' | 'amount' | 'given' | 'reference'> & { customer_name: string | null }>(
      database.pool,
      `SELECT p.kind, p.amount, p.given, p.reference, cu.name AS customer_name FROM payments p LEFT JOIN customers cu ON cu.id = p.customer_id
        WHERE p.sale_id = $1 ORDER BY p.kind, p.id`,
      [saleId],
    ),
  ]);
  return {
    sale: {
      receiptNumber: s.receipt_number,
      occurredAt: s.occurred_at.toISOString(),
      subtotal: s.subtotal,
      discountTotal: s.discount_total,
      netTotal: s.net_total,
      taxTotal: s.tax_total,
      total: s.total,
      // Written by the edge when it booked the sale (sync/push), in this shape.
      taxSummary: Array.isArray(s.tax_summary) ? (s.tax_summary as StoredSaleReceipt['sale']['taxSummary']) : [],
      flagged: s.flagged_for_adjustment,
    },
    company: {
      name: s.company_name,
      code: s.company_code,
      currency: s.currency,
      currencyExponent: s.currency_exponent,
      legalName: s.legal_name ?? '',
      vatId: s.vat_id ?? '',
      footer: s.company_footer ?? '',
    },
    store: s.store_name
      ? { name: s.store_name, address: s.store_address ?? '', footer: s.receipt_footer ?? '', ...(s.time_zone ? { timeZone: s.time_zone } : {}) }
      : null,
    register: { code: s.register_code, name: s.register_name },
    cashierName: s.cashier_name,
    customer: s.customer_name ? { name: s.customer_name, code: s.customer_code } : null,
    lines: lines.map((l) => ({
      name: l.name,
      itemCode: l.item_code,
      uom: l.uom,
      unitPrecision: l.unit_precision,
      quantityMilli: l.quantity_milli,
      unitPrice: l.unit_price,
      lineDiscount: l.line_discount,
      invoiceDiscountShare: l.invoice_discount_share,
      net: l.net,
      tax: l.tax,
      crossCompany: l.cross_company,
      itemCompanyName: l.item_company_name,
    })),
    payments: tenders.map((p) => ({ kind: p.kind, amount: p.amount, given: p.given, reference: p.reference, customerName: p.customer_name })),
  };
}
