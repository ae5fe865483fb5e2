// Step 2: items with their barcodes and price, batch by batch: each document validated on its own,
// then checked against the documents before it (in this import or stored), then the good ones
// written in one transaction (rolled back on a dry run).
import { rejectRecord, notice, reportOrphans, type ImportContext } from './import-context';
import { usablePrice } from './import-prices';
import type { Document } from './input-files';
import type { PriceBook } from './item-price-records';
import { itemCompanyNames, validateItem, type ItemCandidate } from './item-records';
import { recordSnapshot, type RowIssue, type SourceRecord } from './records';
import { findBarcodeOwners, writeItems } from './upsert-items';

export class ItemImport {
  /** Per company: item code → where it was first imported. */
  private readonly seenItems = new Map<string, Map<string, { file: string; line: number; withBarcodes: boolean }>>();
  /** Per company: barcode → the item code it was imported on. */
  private readonly seenBarcodes = new Map<string, Map<string, { item: string; file: string; line: number }>>();

  constructor(
    private readonly ctx: ImportContext,
    private readonly book: PriceBook,
  ) {
    for (const c of ctx.companies) {
      this.seenItems.set(c.id, new Map());
      this.seenBarcodes.set(c.id, new Map());
    }
  }

  readonly flush = async (batch: Document[]): Promise<void> => {
    const valid = await this.validate(batch);
    const accepted = await this.checkAcross(valid);
    await this.write(accepted);
  };

  /** Each document on its own; an Item Price row for the item's code (and company currency) wins over Standard Selling Rate. */
  private async validate(batch: Document[]): Promise<{ record: SourceRecord; candidates: ItemCandidate[] }[]> {
    const { ctx } = this;
    const valid: { record: SourceRecord; candidates: ItemCandidate[] }[] = [];
    for (const { record, shape } of batch) {
      await reportOrphans(ctx, record, 'item');
      if (record.values.size === 0) continue;
      const v = validateItem(record, shape, { resolveCompany: ctx.resolve, numberFormat: ctx.numberFormat });
      if (!v.ok) {
        await rejectRecord(ctx, record, v.issues, v.companyNames, 'item');
        continue;
      }
      for (const n of v.notices) await notice(ctx, n, 'item', v.candidates.map((c) => c.company.name).join(', '));
      for (const c of v.candidates) {
        const row = this.book.find(c.code, c.company);
        if (!row) continue;
        this.book.markConsumed(row);
        const price = await usablePrice(ctx, row, c.company, c);
        if (price) c.price = price;
      }
      valid.push({ record, candidates: v.candidates });
    }
    return valid;
  }

  /** Duplicate codes and barcodes against earlier documents of this import and stored items, in file order. */
  private async checkAcross(valid: { record: SourceRecord; candidates: ItemCandidate[] }[]): Promise<ItemCandidate[]> {
    const { ctx } = this;
    const owners = new Map<string, Map<string, string>>();
    for (const company of ctx.companies) {
      const codes = valid.flatMap((v) => v.candidates.filter((c) => c.company === company).flatMap((c) => (c.barcodes ?? []).map((b) => b.code)));
      owners.set(company.id, await findBarcodeOwners(ctx.database, company.id, codes));
    }
    const accepted: ItemCandidate[] = [];
    for (const { record, candidates } of valid) {
      const issues = candidates.flatMap((c) => this.conflicts(c, owners.get(c.company.id)!));
      if (issues.length) {
        await rejectRecord(
          ctx,
          record,
          issues,
          itemCompanyNames(record).map((x) => x.name),
          'item',
        );
        continue;
      }
      for (const c of candidates) {
        this.seenItems.get(c.company.id)!.set(c.code, { file: c.file, line: c.line, withBarcodes: c.barcodes !== null });
        const codes = this.seenBarcodes.get(c.company.id)!;
        for (const b of c.barcodes ?? []) codes.set(b.code, { item: c.code, file: c.file, line: b.line });
        c.snapshot = recordSnapshot(record);
        accepted.push(c);
      }
    }
    return accepted;
  }

  private conflicts(c: ItemCandidate, stored: Map<string, string>): RowIssue[] {
    const issues: RowIssue[] = [];
    const items = this.seenItems.get(c.company.id)!;
    const first = items.get(c.code);
    if (first)
      issues.push({
        file: c.file,
        line: c.line,
        column: null,
        reason: `Item Code "${c.code}" for ${c.company.name} appears again (first at ${first.file} line ${first.line})`,
      });
    const codes = this.seenBarcodes.get(c.company.id)!;
    for (const b of c.barcodes ?? []) {
      const inFile = codes.get(b.code);
      if (inFile && inFile.item !== c.code) {
        issues.push({
          file: c.file,
          line: b.line,
          column: c.barcodeColumn,
          reason: `duplicate barcode "${b.code}": already on item "${inFile.item}" of ${c.company.name} (${inFile.file} line ${inFile.line})`,
        });
        continue;
      }
      const owner = stored.get(b.code);
      // A stored owner that this import already re-imported without the barcode has given it up.
      const released = owner !== undefined && items.get(owner)?.withBarcodes === true && !inFile;
      if (owner !== undefined && owner !== c.code && !released) {
        issues.push({
          file: c.file,
          line: b.line,
          column: c.barcodeColumn,
          reason: `duplicate barcode "${b.code}": already on stored item "${owner}" of ${c.company.name}`,
        });
      }
    }
    return issues;
  }

  /** Items of a company a dry run would create are all new: counted, not test-written (no such company row). */
  private async write(accepted: ItemCandidate[]): Promise<void> {
    const { ctx } = this;
    const planned = (c: ItemCandidate) => c.company.planned === true;
    for (const c of accepted.filter(planned)) ctx.counts.add('item', c.company.name, 'created');
    for (const r of await writeItems(
      ctx.database,
      accepted.filter((c) => !planned(c)),
      { rollback: ctx.dryRun },
    )) {
      const c = r.candidate;
      if (r.error) {
        ctx.counts.add('item', c.company.name, 'rejected');
        await ctx.sink.reject({
          file: c.file,
          line: c.line,
          column: null,
          reason: `database refused the item: ${r.error}`,
          entity: 'item',
          company: c.company.name,
          row: c.snapshot,
        });
        continue;
      }
      ctx.counts.add('item', c.company.name, r.status);
      if (r.priceStatus && c.price?.source === 'itemPrice') ctx.counts.add('itemPrice', c.company.name, r.priceStatus);
    }
  }
}
