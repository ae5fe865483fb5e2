// Completing a sale on the register: the next receipt number of this device, the sale event built
// and checked by core, and the local sale + outbox entry, all in one local transaction.
import { newId as randomId } from '../../core/ids';
import type { PGliteInterface } from '@electric-sql/pglite';
import type { CartSettings } from '../../core/cart';
import type { SaleCompletedEvent, SaleLine } from '../../core/events';
import { nextReceiptNumber } from '../../core/receipt-number';
import { buildSaleEvent } from '../../core/sale-event';
import type { Tender } from '../../core/tenders';
import type { Queryable } from './db-protocol';
import { enqueueEvent } from './outbox';
import { currentShift } from './register-shift';
import type { RegisterDevice } from './register-device';

export interface CompleteSaleInput {
  registerId: string;
  device: RegisterDevice;
  cashierId: string;
  shiftId?: string;
  customerId?: string;
  lines: SaleLine[];
  invoiceDiscount?: SaleCompletedEvent['sale']['invoiceDiscount'];
  tenders: Tender[];
  settings: CartSettings;
  now?: Date;
  newId?: () => string;
}

export type CompleteSaleResult = { ok: true; event: SaleCompletedEvent } | { ok: false; messages: string[] };

/** The company's cart settings as the register holds them (synced from the edge). */
export async function companySettings(pg: Queryable, companyId: string): Promise<CartSettings> {
  const r = await pg.query<{ prices_include_tax: boolean; tax_rounding: 'line' | 'invoice'; rounding_mode: CartSettings['rounding'] }>(
    `SELECT prices_include_tax, tax_rounding, rounding_mode FROM companies WHERE id = $1`,
    [companyId],
  );
  const c = r.rows[0];
  if (!c) throw new Error('company settings have not synced yet');
  return { pricesIncludeTax: c.prices_include_tax, taxRounding: c.tax_rounding, rounding: c.rounding_mode };
}

export async function completeSale(pg: PGliteInterface, input: CompleteSaleInput): Promise<CompleteSaleResult> {
  const newId = input.newId ?? randomId;
  return pg.transaction(async (tx) => {
    const last = await tx.query<{ last_number: string }>(`SELECT last_number FROM receipt_counters WHERE device_id = $1`, [input.device.id]);
    const receiptNumber = nextReceiptNumber(last.rows[0]?.last_number ?? null, {
      companyCode: input.device.companyCode,
      registerCode: input.device.code,
    });
    // Sales belong to the device's open shift (opened here or in the back office) so X and Z reports count them.
    const shiftId = input.shiftId ?? (await currentShift(tx, input.device.id))?.id;
    const built = buildSaleEvent({
      eventId: newId(),
      saleId: newId(),
      occurredAt: (input.now ?? new Date()).toISOString(),
      deviceId: input.device.id,
      registerId: input.registerId,
      companyId: input.device.companyId,
      cashierId: input.cashierId,
      receiptNumber,
      lines: input.lines,
      settings: input.settings,
      tenders: input.tenders,
      ...(shiftId ? { shiftId } : {}),
      ...(input.customerId ? { customerId: input.customerId } : {}),
      ...(input.invoiceDiscount ? { invoiceDiscount: input.invoiceDiscount } : {}),
    });
    if (!built.ok) return { ok: false, messages: [...built.cartErrors, ...built.tenderErrors].map((e) => e.message) };
    const e = built.event;
    await tx.query(`INSERT INTO local_sales (id, event_id, company_id, receipt_number, total, sale) VALUES ($1, $2, $3, $4, $5, $6)`, [
      e.sale.saleId,
      e.eventId,
      e.companyId,
      receiptNumber,
      e.sale.totals.total,
      JSON.stringify(e),
    ]);
    await tx.query(
      `INSERT INTO receipt_counters (device_id, last_number) VALUES ($1, $2) ON CONFLICT (device_id) DO UPDATE SET last_number = EXCLUDED.last_number`,
      [input.device.id, receiptNumber],
    );
    await enqueueEvent(tx, e);
    return { ok: true, event: e };
  });
}
