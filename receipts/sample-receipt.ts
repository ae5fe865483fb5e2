// A representative sale for tests, previews and the docs: two tax rates, a weighed item, discounts,
// a cross-company line, split tenders and an item name full of receiptline special characters.
import type { ReceiptDataInput } from './receipt-data';

export function sampleReceipt(over: Partial<ReceiptDataInput> = {}): ReceiptDataInput {
  return {
    store: { name: 'Till Demo Store', address: '1 Market Street\n75001 Paris' },
    company: { name: 'Unofficial', code: 'U', taxId: 'FR12345678901' },
    currency: 'EUR',
    currencyExponent: 2,
    receiptNumber: 'U-R01-000123',
    issuedAt: '2025-03-14T09:26:53+01:00',
    register: { code: 'R01', name: 'Front counter' },
    cashier: { name: 'Ana Cashier' },
    lines: [
      { name: 'Espresso beans 1kg', quantityMilli: 2000, unitPrice: 1450, total: 2900 },
      { name: 'Apples Golden (loose)', quantityMilli: 1250, unitPrecision: 3, uom: 'kg', unitPrice: 240, lineDiscount: 30, total: 270 },
      { name: 'Cable 2m | USB-C {fast} \\ ~50% _new_ "pro" `x` ^2', code: 'CAB-2M', quantityMilli: 1000, unitPrice: 999, total: 999 },
      { name: 'Notebook A5', quantityMilli: 1000, unitPrice: 350, total: 350, crossCompany: true, itemCompanyName: 'Official' },
    ],
    invoiceDiscount: 100,
    totals: { subtotal: 4519, discountTotal: 130, net: 3706, tax: 713, total: 4419 },
    taxSummary: [
      { rateBp: 2000, net: 3510, tax: 702, gross: 4212 },
      { rateBp: 550, net: 196, tax: 11, gross: 207 },
    ],
    tenders: [
      { kind: 'card', amount: 2000, reference: 'APPR 834112' },
      { kind: 'cash', amount: 2419, given: 3000, change: 581 },
    ],
    flaggedForAdjustment: true,
    adjustmentReasons: ['Notebook A5 belongs to Official'],
    footer: 'Thank you!\nReturns within 30 days with this receipt.',
    ...over,
  };
}
