import { describe, expect, it } from 'vitest';
import { transform } from 'receiptline';
import { receiptDataSchema } from './receipt-data';
import { FLAGGED_NOTE, receiptDocument, testReceiptDocument } from './receipt-document';
import { sampleReceipt } from './sample-receipt';

/** What a printer would print, as plain text (receiptline's text renderer), for content checks. */
const printed = (doc: string, cpl = 42) => transform(doc, { cpl, command: 'text', encoding: 'multilingual' });

describe('receiptDocument', () => {
  const doc = receiptDocument(sampleReceipt());
  const text = printed(doc);

  it('has the store, address and company header', () => {
    expect(text).toContain('Till Demo Store');
    expect(text).toContain('1 Market Street');
    expect(text).toContain('75001 Paris');
    expect(text).toContain('Unofficial');
    expect(text).toContain('VAT ID FR12345678901');
  });

  it('has the receipt number, date and time, register and cashier', () => {
    expect(text).toMatch(/Receipt\s+U-R01-000123/);
    expect(text).toMatch(/Date\s+2025-03-14 09:26 \+01:00/);
    expect(text).toMatch(/Register\s+R01 Front counter/);
    expect(text).toMatch(/Cashier\s+Ana Cashier/);
  });

  it('prints the date in the store time zone with its offset, either side of a DST change', () => {
    const at = (issuedAt: string) => printed(receiptDocument(sampleReceipt({ issuedAt, timeZone: 'Europe/Paris' })));
    expect(at('2026-11-30T13:05:00Z')).toMatch(/Date\s+2026-11-30 14:05 \+01:00/);
    expect(at('2026-10-25T00:30:00Z')).toMatch(/Date\s+2026-10-25 02:30 \+02:00/);
    expect(at('2026-10-25T01:30:00Z')).toMatch(/Date\s+2026-10-25 02:30 \+01:00/);
    // A register's local timestamp is shown in the store zone too, not as written.
    expect(at('2026-07-01T08:00:00-04:00')).toMatch(/Date\s+2026-07-01 14:00 \+02:00/);
  });

  it('has every line with quantity × unit price, line discount and total', () => {
    expect(text).toMatch(/Espresso beans 1kg\s+29\.00/);
    expect(text).toContain('2 x 14.50');
    expect(text).toMatch(/Apples Golden \(loose\)\s+2\.70/);
    expect(text).toContain('1.250 kg x 2.40');
    expect(text).toContain('Discount -0.30');
    expect(text).toContain('1 x 9.99');
    expect(text).toContain('[CAB-2M]');
  });

  it('marks cross-company lines and explains the mark', () => {
    expect(text).toMatch(/Notebook A5 \*\s+3\.50/);
    expect(text).toContain('* Item of Official');
    expect(text).not.toMatch(/Espresso beans 1kg \*/);
  });

  it('has the invoice discount, totals and the tax summary per rate', () => {
    expect(text).toMatch(/Subtotal\s+45\.19/);
    expect(text).toMatch(/Invoice discount\s+-1\.00/);
    expect(text).toMatch(/You saved\s+1\.30/);
    expect(doc).toContain('|^"TOTAL EUR" | ^"44.19"');
    expect(text).toMatch(/VAT rate\s+Net\s+VAT\s+Gross/);
    expect(text).toMatch(/20%\s+35\.10\s+7\.02\s+42\.12/);
    expect(text).toMatch(/5\.5%\s+1\.96\s+0\.11\s+2\.07/);
    expect(text).toMatch(/Total\s+37\.06\s+7\.13\s+44\.19/);
  });

  it('has the tenders: card reference, cash given and change', () => {
    expect(text).toMatch(/Card\s+20\.00/);
    expect(text).toMatch(/Ref\.\s+APPR 834112/);
    expect(text).toMatch(/Cash\s+24\.19/);
    expect(text).toMatch(/Cash given\s+30\.00/);
    expect(text).toMatch(/Change\s+5\.81/);
  });

  it('names the customer of a credit tender', () => {
    const credit = printed(
      receiptDocument(
        sampleReceipt({
          customer: { name: 'Acme SARL', code: 'CUST-0001', taxId: 'FR999' },
          tenders: [{ kind: 'credit', amount: 4419, customer: { name: 'Acme SARL', code: 'CUST-0001' } }],
        }),
      ),
    );
    expect(credit).toMatch(/On account\s+44\.19/);
    expect(credit).toContain('Customer: Acme SARL (CUST-0001)');
    expect(credit).toMatch(/Customer VAT ID\s+FR999/);
  });

  it('prints the adjustment note only when flagged', () => {
    expect(text).toContain(FLAGGED_NOTE);
    expect(text).toContain('Notebook A5 belongs to Official');
    const clean = receiptDocument(sampleReceipt({ flaggedForAdjustment: false, adjustmentReasons: [] }));
    expect(printed(clean)).not.toContain(FLAGGED_NOTE);
  });

  it('has the footer and a CODE128 barcode of the receipt number (":" not escaped)', () => {
    expect(text).toContain('Thank you!');
    expect(text).toContain('Returns within 30 days with this receipt.');
    expect(doc).toMatch(/\{option:code128[^}]*\}\n\{code:U-R01-000123\}/);
    const colon = receiptDocument(sampleReceipt({ receiptNumber: 'U:R01:7' }));
    expect(colon).toContain('{code:U:R01:7}');
  });

  it('marks reprints as a copy', () => {
    expect(text).not.toContain('COPY');
    expect(printed(receiptDocument(sampleReceipt({ reprint: true })))).toContain('COPY - REPRINT');
  });

  it('escapes receiptline special characters in user text so they print literally', () => {
    expect(doc).toContain('Cable 2m \\| USB-C \\{fast\\} \\\\ \\~50% \\_new\\_ \\"pro\\" \\`x\\` \\^2');
    // Wide enough that the name does not wrap: it prints exactly as typed.
    const wide = printed(receiptDocument(sampleReceipt()), 64);
    expect(wide).toContain('Cable 2m | USB-C {fast} \\ ~50% _new_ "pro" `x` ^2');
    const tricky = receiptDocument(
      sampleReceipt({
        store: { name: '{code:EVIL}', address: '---\n====' },
        footer: '{width:1}\n|x|',
        lines: [{ name: '==', quantityMilli: 1000, unitPrice: 100, total: 100 }],
      }),
    );
    const out = printed(tricky);
    expect(out).toContain('{code:EVIL}');
    expect(out).toContain('---');
    expect(out).toContain('====');
    expect(out).toContain('{width:1}');
    expect(out).toContain('|x|');
    expect(tricky).not.toMatch(/^\{code:EVIL\}$/m);
    expect(
      tricky
        .split('\n')
        .filter((l) => /^[-=]+$/.test(l))
        .every((l) => l === '-'),
    ).toBe(true);
  });

  it('formats money with the currency exponent, including negative and 3-decimal amounts', () => {
    const kwd = printed(
      receiptDocument(
        sampleReceipt({
          currency: 'KWD',
          currencyExponent: 3,
          lines: [
            { name: 'Dates', quantityMilli: 2500, uom: 'kg', unitPrice: 1250, total: 3125 },
            { name: 'Return: cup', quantityMilli: -1000, unitPrice: 500, total: -500 },
          ],
          invoiceDiscount: 0,
          totals: { subtotal: 2625, discountTotal: 0, net: 2500, tax: 125, total: 2625 },
          taxSummary: [{ rateBp: 500, net: 2500, tax: 125, gross: 2625 }],
          tenders: [{ kind: 'cash', amount: 2625, given: 3000, change: 375 }],
        }),
      ),
    );
    expect(kwd).toContain('2.500 kg x 1.250');
    expect(kwd).toMatch(/Dates\s+3\.125/);
    expect(kwd).toContain('-1 x 0.500');
    expect(kwd).toMatch(/Return: cup\s+-0\.500/);
    expect(kwd).toMatch(/Change\s+0\.375/);
    const yen = printed(receiptDocument(sampleReceipt({ currency: 'JPY', currencyExponent: 0 })));
    expect(yen).toMatch(/Espresso beans 1kg\s+2900/);
  });

  it('rejects data that would print wrong: floats, missing lines, non-ASCII receipt numbers', () => {
    expect(() => receiptDocument(sampleReceipt({ lines: [{ name: 'x', quantityMilli: 1000, unitPrice: 1.5, total: 2 }] }))).toThrow();
    expect(() => receiptDocument(sampleReceipt({ lines: [] }))).toThrow();
    expect(() => receiptDocument(sampleReceipt({ receiptNumber: 'U R01 №1' }))).toThrow();
    expect(receiptDataSchema.safeParse(sampleReceipt()).success).toBe(true);
  });
});

describe('testReceiptDocument', () => {
  it('identifies the store and register and shows a ruler of the line width', () => {
    const doc = testReceiptDocument(
      { name: 'Till Demo Store', address: '1 Market Street', footer: 'Thank you!' },
      { code: 'R01', name: 'Front counter' },
      { printedAt: '2025-03-14T08:00:00+01:00' },
    );
    const text = printed(doc);
    expect(text).toContain('Till Demo Store');
    expect(text).toMatch(/T E S T\s+R E C E I P T/); // double width prints spaced out as text
    expect(text).toMatch(/Register\s+R01 Front counter/);
    expect(text).toMatch(/Printed\s+2025-03-14 08:00/);
    expect(text).toContain('123456789012345678901234567890123456789012');
    expect(text).toContain('Specials: | { } \\ ~ _ " ` ^');
    expect(doc).toContain('{code:TEST-R01}');
  });
});
