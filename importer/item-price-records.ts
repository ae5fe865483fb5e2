// Item Price export rows ("Standard Selling" price list) → a price book the item import draws from.
// An Item Price has no company: it applies to the item with that code in every company whose
// currency matches the row's Currency (every company when Currency is blank).
import type { CompanyInfo } from './company-map';
import type { PriceValue } from './item-records';
import { parseAmount, type NumberFormat } from './money';
import type { RecordShape, RowIssue, SourceRecord } from './records';

export const SELLING_PRICE_LIST = 'Standard Selling';

export interface ItemPriceRow {
  file: string;
  line: number;
  code: string;
  currency: string;
  uom: string;
  rateText: string;
  rateColumn: string;
}

export type ItemPriceRead = { kind: 'price'; row: ItemPriceRow } | { kind: 'skip'; issue: RowIssue } | { kind: 'error'; issues: RowIssue[] };

export interface ItemPriceContext {
  companies: CompanyInfo[];
  numberFormat: NumberFormat;
  /** YYYY-MM-DD; rows whose Valid Upto is before it are skipped. */
  today: string;
}

export function companiesForCurrency(companies: CompanyInfo[], currency: string): CompanyInfo[] {
  if (!currency) return companies;
  return companies.filter((c) => c.currency.toUpperCase() === currency.toUpperCase());
}

export function readItemPrice(record: SourceRecord, shape: RecordShape, ctx: ItemPriceContext): ItemPriceRead {
  const { file, line } = record;
  const v = (k: string) => record.values.get(k) ?? '';
  const issues: RowIssue[] = [];
  const issue = (key: string | null, reason: string) => issues.push({ file, line, column: key ? shape.label(key) : null, reason });
  const skip = (key: string, reason: string): ItemPriceRead => ({ kind: 'skip', issue: { file, line, column: shape.label(key), reason } });

  const priceList = v('price_list');
  if (priceList.toLowerCase() !== SELLING_PRICE_LIST.toLowerCase())
    return skip('price_list', `price list "${priceList}" is not ${SELLING_PRICE_LIST}; skipped`);
  if (v('customer')) return skip('customer', `customer-specific price for "${v('customer')}"; skipped`);
  const upto = v('valid_upto');
  if (/^\d{4}-\d{2}-\d{2}$/.test(upto) && upto < ctx.today) return skip('valid_upto', `expired on ${upto}; skipped`);

  const code = v('item_code');
  if (!code) issue('item_code', 'missing Item Code');
  const rateText = v('price_list_rate');
  const currency = v('currency');
  const targets = companiesForCurrency(ctx.companies, currency);
  if (!rateText) issue('price_list_rate', 'missing Rate');
  else if (targets.length === 0) issue('currency', `no company uses currency "${currency}"`);
  else {
    for (const exponent of new Set(targets.map((c) => c.currencyExponent))) {
      const r = parseAmount(rateText, exponent, ctx.numberFormat);
      if (!r.ok) {
        issue('price_list_rate', r.reason);
        break;
      }
    }
  }
  if (issues.length) return { kind: 'error', issues };
  return { kind: 'price', row: { file, line, code, currency, uom: v('uom'), rateText, rateColumn: shape.label('price_list_rate') } };
}

interface Entry {
  row: ItemPriceRow;
  consumed: boolean;
}

/** Selling prices by item code, consumed as items are imported; what is left is applied to stored items. */
export class PriceBook {
  private readonly byCode = new Map<string, Entry[]>();
  size = 0;

  /** Adds a row, or returns the issue when the same item and currency already has a price. */
  add(row: ItemPriceRow): RowIssue | null {
    const list = this.byCode.get(row.code) ?? [];
    const dup = list.find((e) => e.row.currency.toUpperCase() === row.currency.toUpperCase());
    if (dup)
      return {
        file: row.file,
        line: row.line,
        column: row.rateColumn,
        reason: `second ${SELLING_PRICE_LIST} price for item "${row.code}"${row.currency ? ` in ${row.currency}` : ''} (first at line ${dup.row.line})`,
      };
    list.push({ row, consumed: false });
    this.byCode.set(row.code, list);
    this.size++;
    return null;
  }

  /** The row that prices this item in this company (exact currency first, then blank currency). */
  find(code: string, company: CompanyInfo): ItemPriceRow | undefined {
    const list = this.byCode.get(code);
    if (!list) return undefined;
    const cur = company.currency.toUpperCase();
    return (list.find((e) => e.row.currency.toUpperCase() === cur) ?? list.find((e) => e.row.currency === ''))?.row;
  }

  markConsumed(row: ItemPriceRow): void {
    const e = this.byCode.get(row.code)?.find((x) => x.row === row);
    if (e) e.consumed = true;
  }

  /** Rows no imported item used, in file order. */
  unconsumed(): ItemPriceRow[] {
    const out: ItemPriceRow[] = [];
    for (const list of this.byCode.values()) for (const e of list) if (!e.consumed) out.push(e.row);
    return out.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  }
}

/** Parses a price-book row for one company (already validated, so this does not fail in practice). */
export function priceFromRow(
  row: ItemPriceRow,
  company: CompanyInfo,
  format: NumberFormat,
): { price: PriceValue; notice: RowIssue | null } | { issue: RowIssue } {
  const r = parseAmount(row.rateText, company.currencyExponent, format);
  if (!r.ok) return { issue: { file: row.file, line: row.line, column: row.rateColumn, reason: r.reason } };
  return {
    price: { amount: r.amount, file: row.file, line: row.line, column: row.rateColumn, source: 'itemPrice' },
    notice: r.rounded
      ? {
          file: row.file,
          line: row.line,
          column: row.rateColumn,
          reason: `rate "${row.rateText}" has more decimals than ${company.currency}; rounded HalfUp to ${r.amount} minor units`,
        }
      : null,
  };
}
