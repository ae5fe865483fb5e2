// Item Price rows: read into a price book before the items (an item's Item Price wins over its
// Standard Selling Rate), then the rows no imported item used price the items already stored.
import type { CompanyInfo } from './company-map';
import { notice, reportOrphans, type ImportContext } from './import-context';
import type { DocumentReader } from './input-files';
import { companiesForCurrency, PriceBook, priceFromRow, readItemPrice, type ItemPriceRow } from './item-price-records';
import type { PriceValue } from './item-records';
import { recordSnapshot } from './records';
import { ALL_COMPANIES } from './report';
import { findItems, writePrices, type StoredPrice } from './upsert-items';

/** Step 1: every Item Price file into one price book; expired, malformed and duplicate rows reported. */
export async function readPriceBook(ctx: ImportContext, reader: DocumentReader): Promise<PriceBook> {
  const book = new PriceBook();
  for (const input of reader.filesOf('itemPrice')) {
    for await (const { record, shape } of reader.documents(input)) {
      await reportOrphans(ctx, record, 'itemPrice');
      if (record.values.size === 0) continue;
      const r = readItemPrice(record, shape, { companies: ctx.companies, numberFormat: ctx.numberFormat, today: ctx.today });
      if (r.kind === 'skip') {
        ctx.counts.add('itemPrice', ALL_COMPANIES, 'skipped');
        await notice(ctx, r.issue, 'itemPrice', null);
      } else if (r.kind === 'error') {
        ctx.counts.add('itemPrice', ALL_COMPANIES, 'rejected');
        for (const i of r.issues) await ctx.sink.reject({ ...i, entity: 'itemPrice', company: null, row: recordSnapshot(record) });
      } else {
        const dup = book.add(r.row);
        if (dup) {
          ctx.counts.add('itemPrice', ALL_COMPANIES, 'rejected');
          await ctx.sink.reject({ ...dup, entity: 'itemPrice', company: null, row: recordSnapshot(record) });
        }
      }
    }
  }
  return book;
}

/**
 * The price a row gives an item of `company`, or null when it cannot: a price per another unit is
 * skipped with a notice, an unreadable rate rejected. Counts what it refuses.
 */
export async function usablePrice(
  ctx: ImportContext,
  row: ItemPriceRow,
  company: CompanyInfo,
  item: { code: string; uom: string },
): Promise<PriceValue | null> {
  if (row.uom && row.uom.toLowerCase() !== item.uom.toLowerCase()) {
    ctx.counts.add('itemPrice', company.name, 'skipped');
    await notice(
      ctx,
      { file: row.file, line: row.line, column: row.rateColumn, reason: `price is per ${row.uom} but item "${item.code}" is sold per ${item.uom}; skipped` },
      'itemPrice',
      company.name,
    );
    return null;
  }
  const p = priceFromRow(row, company, ctx.numberFormat);
  if ('issue' in p) {
    ctx.counts.add('itemPrice', company.name, 'rejected');
    await ctx.sink.reject({ ...p.issue, entity: 'itemPrice', company: company.name });
    return null;
  }
  if (p.notice) await notice(ctx, p.notice, 'itemPrice', company.name);
  return p.price;
}

/** Step 3: Item Price rows no imported item used price stored items; rows naming no item are rejected. */
export async function priceStoredItems(ctx: ImportContext, book: PriceBook): Promise<void> {
  const leftover = book.unconsumed();
  for (let i = 0; i < leftover.length; i += ctx.batchSize) {
    const chunk = leftover.slice(i, i + ctx.batchSize);
    const stored = await findItems(ctx.database, [...new Set(chunk.map((r) => r.code))]);
    const byCode = new Map<string, ItemPriceRow[]>();
    for (const r of chunk) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
    const prices: (StoredPrice & { company: CompanyInfo })[] = [];
    const used = new Set<ItemPriceRow>();
    for (const item of stored) {
      const company = ctx.companies.find((c) => c.id === item.companyId)!;
      const rows = byCode.get(item.code) ?? [];
      const row = rows.find((r) => r.currency.toUpperCase() === company.currency.toUpperCase()) ?? rows.find((r) => r.currency === '');
      if (!row) continue;
      used.add(row);
      const price = await usablePrice(ctx, row, company, item);
      if (price) prices.push({ companyId: company.id, itemId: item.id, amount: price.amount, currency: company.currency, company });
    }
    for (const r of chunk) {
      if (used.has(r)) continue;
      const where = r.currency ? ` in a company using ${r.currency}` : '';
      const currencies = companiesForCurrency(ctx.companies, r.currency)
        .map((c) => c.name)
        .join(', ');
      ctx.counts.add('itemPrice', ALL_COMPANIES, 'rejected');
      await ctx.sink.reject({
        file: r.file,
        line: r.line,
        column: null,
        reason: `unknown Item Code "${r.code}": no item with this code${where} in this import or stored (${currencies || 'no company'})`,
        entity: 'itemPrice',
        company: null,
      });
    }
    const statuses = await writePrices(ctx.database, prices, { rollback: ctx.dryRun });
    statuses.forEach((s, k) => ctx.counts.add('itemPrice', prices[k]!.company.name, s));
  }
}
