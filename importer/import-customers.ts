// Step 4: customers, shared by every company, batch by batch; a customer ID seen earlier in this
// import is refused with where it was first.
import { notice, reportOrphans, type ImportContext } from './import-context';
import type { Document } from './input-files';
import { validateCustomer, type CustomerCandidate } from './customer-records';
import { recordSnapshot } from './records';
import { ALL_COMPANIES } from './report';
import { writeCustomers } from './upsert-customers';

export class CustomerImport {
  private readonly seen = new Map<string, { file: string; line: number }>();
  /** Credit and visibility rows go to stored companies only (a dry run's planned ones have no row). */
  private readonly companyIds: string[];

  constructor(private readonly ctx: ImportContext) {
    this.companyIds = ctx.companies.filter((c) => !c.planned).map((c) => c.id);
  }

  readonly flush = async (batch: Document[]): Promise<void> => {
    const { ctx } = this;
    const accepted: CustomerCandidate[] = [];
    for (const { record, shape } of batch) {
      await reportOrphans(ctx, record, 'customer');
      if (record.values.size === 0) continue;
      const v = validateCustomer(record, shape, { resolveCompany: ctx.resolve, numberFormat: ctx.numberFormat });
      if (!v.ok) {
        ctx.counts.add('customer', ALL_COMPANIES, 'rejected');
        for (const i of v.issues) await ctx.sink.reject({ ...i, entity: 'customer', company: null, row: recordSnapshot(record) });
        continue;
      }
      const first = this.seen.get(v.candidate.code);
      if (first) {
        ctx.counts.add('customer', ALL_COMPANIES, 'rejected');
        await ctx.sink.reject({
          file: record.file,
          line: record.line,
          column: shape.label('name'),
          reason: `customer ID "${v.candidate.code}" appears again (first at ${first.file} line ${first.line})`,
          entity: 'customer',
          company: null,
          row: recordSnapshot(record),
        });
        continue;
      }
      this.seen.set(v.candidate.code, { file: record.file, line: record.line });
      for (const n of v.notices) await notice(ctx, n, 'customer', null);
      accepted.push(v.candidate);
    }
    for (const r of await writeCustomers(ctx.database, accepted, this.companyIds, { rollback: ctx.dryRun })) {
      if (r.error) {
        ctx.counts.add('customer', ALL_COMPANIES, 'rejected');
        await ctx.sink.reject({
          file: r.candidate.file,
          line: r.candidate.line,
          column: null,
          reason: `database refused the customer: ${r.error}`,
          entity: 'customer',
          company: null,
        });
      } else ctx.counts.add('customer', ALL_COMPANIES, r.status);
    }
  };
}
