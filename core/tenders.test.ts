import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountDue, cashTender, looksLikeCardNumber, settleTenders, tendersCover, type Tender } from './tenders';

const codes = (total: number, tenders: Tender[]) => {
  const r = settleTenders(total, tenders);
  return r.ok ? [] : r.errors.map((e) => e.code);
};

describe('settleTenders', () => {
  it('settles exact cash, cash with change, card, credit and split tenders', () => {
    expect(settleTenders(4230, [{ kind: 'cash', amount: 4230, given: 4230 }])).toEqual({ ok: true, paid: 4230, changeDue: 0 });
    expect(settleTenders(4230, [{ kind: 'cash', amount: 4230, given: 5000 }])).toEqual({ ok: true, paid: 5000, changeDue: 770 });
    expect(settleTenders(4230, [{ kind: 'card', amount: 4230, reference: 'AUTH 123456' }])).toEqual({ ok: true, paid: 4230, changeDue: 0 });
    expect(settleTenders(4230, [{ kind: 'credit', amount: 4230, customerId: 'c1' }])).toEqual({ ok: true, paid: 4230, changeDue: 0 });
    expect(
      settleTenders(4230, [
        { kind: 'card', amount: 3000, reference: '0042' },
        { kind: 'cash', amount: 1230, given: 2000 },
      ]),
    ).toEqual({ ok: true, paid: 5000, changeDue: 770 });
  });

  it('accepts a zero sale with no tenders but refuses an unpaid one', () => {
    expect(settleTenders(0, [])).toEqual({ ok: true, paid: 0, changeDue: 0 });
    expect(codes(100, [])).toEqual(['empty']);
    expect(codes(-1, [])).toEqual(['total_invalid']);
  });

  it('refuses short, over and non-cash overpayment', () => {
    expect(codes(1000, [{ kind: 'cash', amount: 900, given: 900 }])).toEqual(['underpaid']);
    expect(codes(1000, [{ kind: 'card', amount: 1200, reference: 'A1' }])).toEqual(['overpaid_non_cash']);
    expect(
      codes(1000, [
        { kind: 'credit', amount: 600, customerId: 'c' },
        { kind: 'card', amount: 600, reference: 'A1' },
      ]),
    ).toEqual(['overpaid_non_cash']);
    expect(
      codes(1000, [
        { kind: 'card', amount: 500, reference: 'A1' },
        { kind: 'cash', amount: 600, given: 600 },
      ]),
    ).toEqual(['overpaid']);
    expect(codes(1000, [{ kind: 'cash', amount: 1000, given: 900 }])).toEqual(['cash_given_short']);
    expect(
      codes(1000, [
        { kind: 'cash', amount: 0, given: 0 },
        { kind: 'cash', amount: 1000, given: 1000 },
      ]),
    ).toEqual(['amount_invalid']);
    expect(codes(1000, [{ kind: 'cash', amount: 10.5, given: 1000 }])).toEqual(['amount_invalid']);
  });

  it('requires a card reference and a credit customer', () => {
    expect(codes(1000, [{ kind: 'card', amount: 1000, reference: '  ' }])).toEqual(['card_reference_missing']);
    expect(codes(1000, [{ kind: 'credit', amount: 1000, customerId: '' }])).toEqual(['credit_customer_missing']);
    expect(codes(1000, [{ kind: 'card', amount: 1000, reference: 'x'.repeat(65) }])).toEqual(['card_reference_too_long']);
  });

  it('never accepts a card number as a reference', () => {
    for (const pan of ['4111111111111111', '4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005', 'ref 6011000990139424', '4000000000000000000'])
      expect([pan, codes(1000, [{ kind: 'card', amount: 1000, reference: pan }])]).toEqual([pan, ['card_number_detected']]);
    const r = settleTenders(1000, [{ kind: 'card', amount: 1000, reference: '4111111111111111' }]);
    expect(!r.ok && r.errors[0]).toMatchObject({ index: 0, message: expect.stringMatching(/never the card number/) });
  });

  it('tells which tender is at fault, reporting all problems', () => {
    const r = settleTenders(1000, [
      { kind: 'card', amount: 500, reference: '' },
      { kind: 'credit', amount: 500, customerId: '' },
    ]);
    expect(r).toMatchObject({
      ok: false,
      errors: [
        { code: 'card_reference_missing', index: 0 },
        { code: 'credit_customer_missing', index: 1 },
      ],
    });
  });

  it('settles whatever cashTender builds for money handed over, with paid − change = total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (total, cardPart, extra) => {
          const card = Math.min(cardPart, total - 1);
          const tenders: Tender[] = card > 0 ? [{ kind: 'card', amount: card, reference: 'OK1' }] : [];
          const due = amountDue(total, tenders);
          tenders.push(cashTender(due, due + extra));
          const r = settleTenders(total, tenders);
          expect(r).toEqual({ ok: true, paid: total + extra, changeDue: extra });
          expect(amountDue(total, tenders)).toBe(0);
        },
      ),
    );
  });
});

describe('looksLikeCardNumber', () => {
  it('flags 13+ digit runs and lets approval codes through', () => {
    expect(looksLikeCardNumber('4222222222222')).toBe(true);
    expect(looksLikeCardNumber('123456789012')).toBe(false);
    expect(looksLikeCardNumber('AUTH-123456 / 2024')).toBe(false);
    expect(looksLikeCardNumber('1234 5678 9012 3')).toBe(true);
  });
});

describe('tendersCover', () => {
  it('is true once the tenders pay the whole total, cash over the total included', () => {
    expect(tendersCover(1000, [])).toBe(false);
    expect(tendersCover(1000, [{ kind: 'card', amount: 400, reference: 'A1' }])).toBe(false);
    expect(tendersCover(1000, [{ kind: 'card', amount: 400, reference: 'A1' }, cashTender(600, 2000)])).toBe(true);
    expect(tendersCover(0, [])).toBe(false);
  });
});
