// Receipts of the sell screen: on screen (SVG, rendered in the browser) and, when the store has a
// receipt printer, as ESC/POS through the edge.
import { useState } from 'react';
import type { SaleCompletedEvent } from '../../core/events';
import { isTimeZone } from '../../core/local-time';
import { printAnswerSchema } from '../../core/edge-api';
import { receiptDocument, testReceiptDocument } from '../../receipts/receipt-document';
import { receiptFromSale } from '../../receipts/receipt-from-sale';
import type { ReceiptDataInput } from '../../receipts/receipt-data';
import { callEdge } from './edge-api.client';
import { receiptRenderer } from './receipt-renderer.client';
import type { Customer, ScreenDeps } from './use-sale';

export function useReceipt({ register, cashier, companies, store, online, say }: ScreenDeps) {
  const [svg, setSvg] = useState<string | null>(null);
  const [lastSale, setLastSale] = useState<{ event: SaleCompletedEvent; customer: Customer | undefined } | null>(null);

  const show = async (doc: string) => {
    try {
      setSvg((await receiptRenderer()).renderSvg(doc));
    } catch (e) {
      say({ kind: 'error', text: `Receipt could not be rendered: ${(e as Error).message}` });
    }
  };

  /** A configured receipt printer gets ESC/POS through the edge; the on-screen receipt is the fallback. */
  const printRaw = async (body: { receipt: ReceiptDataInput } | { test: true }) => {
    if (!online) return say({ kind: 'error', text: 'The receipt printer is reached through the edge, which is offline: use Print on screen.' });
    await callEdge(register, '/api/print', printAnswerSchema, body).catch((e: Error) =>
      say({ kind: 'error', text: `Receipt printer: ${e.message}. Use Print on screen.` }),
    );
  };

  const print = (event: SaleCompletedEvent, customer: Customer | undefined, reprint: boolean) => {
    setLastSale({ event, customer });
    const company = companies.find((c) => c.id === event.companyId)!;
    const receipt = receiptFromSale(event, {
      store: { name: store.name, address: store.address },
      company: { name: company.legal_name || company.name, code: company.code, ...(company.vat_id ? { taxId: company.vat_id } : {}) },
      companyNames: Object.fromEntries(companies.map((c) => [c.id, c.name])),
      currency: company.currency,
      currencyExponent: company.currency_exponent,
      register: { code: register.identity!.devices.find((d) => d.companyId === event.companyId)?.code ?? register.identity!.registerCode },
      cashierName: cashier.name,
      footer: [company.receipt_footer, store.footer].filter((f) => f).join('\n'),
      ...(store.timeZone && isTimeZone(store.timeZone) ? { timeZone: store.timeZone } : {}),
      ...(customer ? { customer: { name: customer.name, code: customer.code } } : {}),
      reprint,
    });
    void show(receiptDocument(receipt));
    if (store.printer) void printRaw({ receipt });
  };

  const printTest = () => {
    void show(testReceiptDocument({ name: store.name, address: store.address, footer: store.footer }, { code: register.identity!.registerCode }));
    if (store.printer) void printRaw({ test: true });
  };

  return { svg, print, reprint: lastSale ? () => print(lastSale.event, lastSale.customer, true) : undefined, printTest };
}
