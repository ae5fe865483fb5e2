import { describe, expect, it } from 'vitest';
import {
  defaultInvoiceCompany,
  flagsForInvoice,
  lineFromScan,
  reresolveOnCompanySwitch,
  resolveScan,
  type CatalogItem,
  type ItemLookup,
  type ResolvedLine,
} from './company-resolution';

const U = 'unofficial';
const O = 'official';

function item(companyId: string, itemId: string, unitPrice: number, over: Partial<CatalogItem> = {}): CatalogItem {
  return {
    itemId,
    companyId,
    name: `${itemId} (${companyId})`,
    unitPrice,
    taxRateId: `vat-${companyId}`,
    rateBp: 2000,
    unitPrecision: 0,
    maxDiscountBp: 1000,
    ...over,
  };
}

// 111: in both companies; 222: only Official; 333: only Unofficial.
const catalog: Record<string, Record<string, CatalogItem & { barcodes?: string[] }>> = {
  [U]: { '111': item(U, 'u-cola', 150), '333': item(U, 'u-bread', 90) },
  [O]: { '111': { ...item(O, 'o-cola', 180, { rateBp: 850 }), barcodes: ['111'] }, '222': item(O, 'o-soap', 300) },
};
const lookup: ItemLookup = (companyId, code) => catalog[companyId]?.[code];
const companyIds = [U, O];

describe('resolveScan', () => {
  it('prefers the invoice company when the code exists in both', () => {
    expect(resolveScan({ code: '111', invoiceCompanyId: U, lookup, companyIds })).toMatchObject({ ok: true, crossCompany: false, item: { itemId: 'u-cola' } });
    expect(resolveScan({ code: '111', invoiceCompanyId: O, lookup, companyIds })).toMatchObject({ ok: true, crossCompany: false, item: { itemId: 'o-cola' } });
  });
  it('falls back to the other company and says why', () => {
    expect(resolveScan({ code: ' 222 ', invoiceCompanyId: U, lookup, companyIds })).toEqual({
      ok: true,
      crossCompany: true,
      item: catalog[O]!['222'],
      reason: 'Code 222 belongs to company official, not to the invoice company unofficial',
    });
  });
  it('reports unknown and empty codes as not found', () => {
    expect(resolveScan({ code: '999', invoiceCompanyId: U, lookup, companyIds })).toEqual({
      ok: false,
      code: 'not_found',
      message: 'No item with code 999 in any company',
    });
    expect(resolveScan({ code: ' ', invoiceCompanyId: U, lookup, companyIds })).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('flagsForInvoice', () => {
  it('flags lines from another company, by their actual company', () => {
    const lines = [
      { lineId: 'a', companyId: U, code: '111' },
      { lineId: 'b', companyId: O, code: '222' },
      { lineId: 'c', companyId: O, itemId: 'o-x' },
    ];
    expect(flagsForInvoice(lines, U)).toEqual({
      flagged: true,
      reasons: [
        { lineId: 'b', reason: 'Code 222 belongs to company official, not to the invoice company unofficial' },
        { lineId: 'c', reason: 'Code o-x belongs to company official, not to the invoice company unofficial' },
      ],
    });
    expect(flagsForInvoice(lines.slice(0, 1), U)).toEqual({ flagged: false, reasons: [] });
    expect(flagsForInvoice([], U)).toEqual({ flagged: false, reasons: [] });
  });
});

describe('reresolveOnCompanySwitch', () => {
  const scan = (code: string, lineId: string) => {
    const r = resolveScan({ code, invoiceCompanyId: U, lookup, companyIds });
    if (!r.ok) throw new Error('scan failed');
    return { ...lineFromScan(r, lineId, code), quantityMilli: 3000, discount: { kind: 'percent' as const, bp: 500 } };
  };

  it('switches shared codes to the new company item, keeps quantity and discount, re-marks the rest', () => {
    const lines = [scan('111', 'a'), scan('222', 'b'), scan('333', 'c')];
    expect(lines.map((l) => [l.itemId, l.crossCompany])).toEqual([
      ['u-cola', false],
      ['o-soap', true],
      ['u-bread', false],
    ]);

    const switched = reresolveOnCompanySwitch(lines, O, lookup);
    expect(switched[0]).toEqual({
      lineId: 'a',
      code: '111',
      itemId: 'o-cola',
      companyId: O,
      name: 'o-cola (official)',
      unitPrice: 180,
      taxRateId: 'vat-official',
      rateBp: 850,
      unitPrecision: 0,
      maxDiscountBp: 1000,
      crossCompany: false,
      quantityMilli: 3000,
      discount: { kind: 'percent', bp: 500 },
    });
    expect(switched[0]).not.toHaveProperty('barcodes');
    expect(switched[1]).toMatchObject({ itemId: 'o-soap', crossCompany: false });
    expect(switched[1]).not.toHaveProperty('crossCompanyReason');
    expect(switched[2]).toMatchObject({
      itemId: 'u-bread',
      crossCompany: true,
      crossCompanyReason: 'Code 333 belongs to company unofficial, not to the invoice company official',
      quantityMilli: 3000,
    });

    // Switching back restores the original resolution.
    const back = reresolveOnCompanySwitch(switched, U, lookup);
    expect(back).toEqual(lines);
  });

  it('does not mutate its input', () => {
    const lines: ResolvedLine[] = [scan('111', 'a')];
    const copy = structuredClone(lines);
    reresolveOnCompanySwitch(lines, O, lookup);
    expect(lines).toEqual(copy);
  });
});

describe('defaultInvoiceCompany', () => {
  it("is the store's default when the register sells for it, else the previous cart's, else the first", () => {
    expect(defaultInvoiceCompany('b', ['a', 'b'], 'a')).toBe('b');
    expect(defaultInvoiceCompany('x', ['a', 'b'], 'b')).toBe('b');
    expect(defaultInvoiceCompany(null, ['a', 'b'])).toBe('a');
    expect(defaultInvoiceCompany(null, [])).toBeUndefined();
  });
});
