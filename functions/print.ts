import * as z from 'zod';
import type { PrintAnswer } from '../core/edge-api';
import { serverConfig } from '../config/server-config';
import { receiptDataSchema } from '../receipts/receipt-data';
import { receiptDocument, testReceiptDocument } from '../receipts/receipt-document';
import { DEFAULT_CPL } from '../receipts/render';
import { renderEscPos } from '../receipts/render-node';
import { PrinterError, sendToPrinter } from '../receipts/send-to-printer';
import { HttpError } from './lib/errors';
import { defineHandler, json } from './lib/handler';

/**
 * POST /api/print {receipt} | {test: true} → renders ESC/POS on the edge and sends it to the
 * store's raw printer (store_settings.printer_address). 409 when no printer is configured,
 * 502 when the printer cannot be reached.
 */
export const handler = defineHandler(
  {
    name: 'print',
    auth: 'device',
    // One object rather than a union, so a bad receipt field is named (body.receipt.totals.total).
    body: z
      .object({ receipt: receiptDataSchema.optional(), test: z.literal(true).optional() })
      .strict()
      .refine((b) => (b.receipt === undefined) !== (b.test === undefined), 'send either {receipt} or {test: true}'),
  },
  async ({ database, body, principal: { device } }) => {
    const found = await database.pool.query(
      `SELECT s.name, s.address, r.code AS register_code, r.name AS register_name,
              COALESCE(ss.printer_address, '') AS printer_address, COALESCE(ss.receipt_footer, '') AS receipt_footer
         FROM registers r JOIN stores s ON s.id = r.store_id LEFT JOIN store_settings ss ON ss.store_id = s.id
        WHERE r.id = $1`,
      [device.registerId],
    );
    const store = found.rows[0] as
      { name: string; address: string; register_code: string; register_name: string; printer_address: string; receipt_footer: string } | undefined;
    const printerAddress = store?.printer_address.trim() ?? '';
    if (!store || printerAddress === '') {
      throw new HttpError(409, 'no_printer', [
        {
          path: 'store_settings.printer_address',
          message: 'No receipt printer is configured for this store: set its address (host:port) in the store settings, or print from the browser.',
        },
      ]);
    }

    const { receipt } = body;
    const doc = receipt
      ? receiptDocument({ ...receipt, footer: receipt.footer || store.receipt_footer })
      : testReceiptDocument(
          { name: store.name, address: store.address, footer: store.receipt_footer },
          { code: device.registerCode, name: store.register_name },
          { cpl: DEFAULT_CPL },
        );
    const bytes = renderEscPos(doc, { cpl: DEFAULT_CPL });

    try {
      await sendToPrinter(printerAddress, bytes, { timeoutMs: serverConfig().PRINTER_TIMEOUT_MS });
    } catch (e) {
      if (e instanceof PrinterError) {
        const status = e.code === 'bad_address' ? 409 : 502;
        throw new HttpError(status, status === 409 ? 'bad_printer_address' : 'printer_unreachable', [
          { path: 'store_settings.printer_address', message: e.message },
        ]);
      }
      throw e;
    }
    return json(200, {
      printed: true,
      kind: receipt ? 'receipt' : 'test',
      receiptNumber: receipt?.receiptNumber ?? null,
      printer: printerAddress,
      bytes: bytes.length,
    } satisfies PrintAnswer);
  },
);
