import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../core/company-resolution';
import { addScan, emptyCart, removeLine, setDiscount, setQuantity, switchCompany, toSaleLines } from './cart-state';

const O = 'o-company';
const U = 'u-company';
const item = (companyId: string, itemId: string, unitPrice: number): CatalogItem => ({
  itemId,
  companyId,
  name: `Item ${itemId}`,
  unitPrice,
  taxRateId: `tax-${companyId}`,
  rateBp: 2000,
  unitPrecision: 0,
  maxDiscountBp: 1000,
});
const shared = [item(O, 'o-milk', 250), item(U, 'u-milk', 199)];
const onlyOfficial = [item(O, 'o-tea', 500)];

describe('cart state', () => {
  it('adds the invoice company item for a code in both companies, and counts repeats', () => {
    let s = emptyCart(U, [O, U]);
    s = addScan(s, '400', shared, 'l1').state;
    s = addScan(s, '400', shared, 'l2').state;
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toMatchObject({ itemId: 'u-milk', quantityMilli: 2000, crossCompany: false });
  });

  it('adds the other company item when toggled, and marks an item only the other company has', () => {
    let s = emptyCart(U, [O, U]);
    s = addScan(s, '400', shared, 'l1').state;
    s = switchCompany(s, O);
    expect(s.lines[0]).toMatchObject({ itemId: 'o-milk', unitPrice: 250, crossCompany: false });
    s = switchCompany(s, U);
    s = addScan(s, '777', onlyOfficial, 'l2').state;
    expect(s.lines[1]).toMatchObject({ itemId: 'o-tea', crossCompany: true });
    expect(s.lines[1]!.crossCompanyReason).toBeTruthy();
    expect(toSaleLines(s)[1]).toMatchObject({ crossCompany: true, companyId: O });
  });

  it('reports unknown codes and edits lines', () => {
    let s = emptyCart(U, [O, U]);
    expect(addScan(s, '999', [], 'x').error).toMatch(/No item/);
    s = addScan(s, '400', shared, 'l1').state;
    s = setQuantity(s, 'l1', 3000);
    s = setDiscount(s, 'l1', { kind: 'percent', bp: 500 });
    expect(toSaleLines(s)[0]).toMatchObject({ quantityMilli: 3000, discount: { kind: 'percent', bp: 500 } });
    s = setDiscount(s, 'l1', undefined);
    expect(toSaleLines(s)[0]!.discount).toBeUndefined();
    expect(removeLine(s, 'l1').lines).toEqual([]);
  });
});
