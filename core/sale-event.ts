// Turns a finished cart into the `sale.completed` event the register queues for the edge,
// with totals, VAT summary and change computed by the same rules the edge re-checks.
import { computeCart, type CartError, type CartInput } from './cart';
import type { SaleCompletedEvent, SaleLine } from './events';
import { settleTenders, type Tender, type TenderError } from './tenders';

export interface SaleDraft {
  eventId: string;
  saleId: string;
  occurredAt: string;
  deviceId: string;
  registerId: string;
  companyId: string;
  cashierId: string;
  shiftId?: string;
  receiptNumber: string;
  customerId?: string;
  lines: SaleLine[];
  invoiceDiscount?: CartInput['invoiceDiscount'];
  settings: CartInput['settings'];
  tenders: Tender[];
}

export type SaleEventResult = { ok: true; event: SaleCompletedEvent } | { ok: false; cartErrors: CartError[]; tenderErrors: TenderError[] };

export function buildSaleEvent(d: SaleDraft): SaleEventResult {
  const input: CartInput = { lines: d.lines, settings: d.settings };
  if (d.invoiceDiscount) input.invoiceDiscount = d.invoiceDiscount;
  const cart = computeCart(input);
  if (!cart.ok) return { ok: false, cartErrors: cart.errors, tenderErrors: [] };
  const settled = settleTenders(cart.cart.totals.total, d.tenders);
  if (!settled.ok) return { ok: false, cartErrors: [], tenderErrors: settled.errors };
  const event: SaleCompletedEvent = {
    v: 1,
    type: 'sale.completed',
    eventId: d.eventId,
    occurredAt: d.occurredAt,
    deviceId: d.deviceId,
    registerId: d.registerId,
    companyId: d.companyId,
    cashierId: d.cashierId,
    receiptNumber: d.receiptNumber,
    sale: {
      saleId: d.saleId,
      lines: d.lines,
      tenders: d.tenders,
      settings: d.settings,
      totals: cart.cart.totals,
      taxSummary: cart.cart.taxSummary,
      changeDue: settled.changeDue,
    },
  };
  if (d.shiftId) event.shiftId = d.shiftId;
  if (d.customerId) event.sale.customerId = d.customerId;
  if (d.invoiceDiscount) event.sale.invoiceDiscount = d.invoiceDiscount;
  return { ok: true, event };
}
