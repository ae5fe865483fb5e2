// Set-based writes of validated customers: one shared `customers` row per ERPNext ID and a
// `customer_credit` row for every company (the export's limit where it gives one, else 0 on creation).
import type { Database } from '../db/client';
import { many, type Cols } from '../db/query';
import type { customerCredit, customers } from '../db/schema';
import type { CustomerCandidate } from './customer-records';
import type { WriteStatus } from './upsert-items';

export interface CustomerWriteResult {
  candidate: CustomerCandidate;
  status: WriteStatus;
  error?: string;
}

async function writeBatch(database: Database, list: CustomerCandidate[], companyIds: string[], rollback: boolean): Promise<CustomerWriteResult[]> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    // Email and phone are only written when the file has those columns (null = keep what is stored).
    const withEmail = list.some((x) => x.email !== null);
    const withPhone = list.some((x) => x.phone !== null);
    const cols = ['code', 'name', 'customer_type', 'customer_group', 'territory', 'tax_id', 'disabled'];
    const types = ['text', 'text', 'text', 'text', 'text', 'text', 'bool'];
    const values: unknown[][] = [
      list.map((x) => x.code),
      list.map((x) => x.name),
      list.map((x) => x.customerType),
      list.map((x) => x.customerGroup),
      list.map((x) => x.territory),
      list.map((x) => x.taxId),
      list.map((x) => x.disabled),
    ];
    if (withEmail) {
      cols.push('email');
      types.push('text');
      values.push(list.map((x) => x.email ?? ''));
    }
    if (withPhone) {
      cols.push('phone');
      types.push('text');
      values.push(list.map((x) => x.phone ?? ''));
    }
    const updatable = cols.filter((c) => c !== 'code');
    const upserted = await many<Cols<typeof customers, 'code'> & { inserted: boolean }>(
      client,
      `INSERT INTO customers AS c (${cols.join(', ')})
       SELECT ${cols.map((c) => `u.${c}`).join(', ')} FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')}) AS u(${cols.join(', ')})
       ON CONFLICT (code) DO UPDATE SET ${updatable.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()
       WHERE (${updatable.map((c) => `c.${c}`).join(', ')}) IS DISTINCT FROM (${updatable.map((c) => `EXCLUDED.${c}`).join(', ')})
       RETURNING c.code, (c.xmax = 0) AS inserted`,
      values,
    );
    const touched = new Map<string, boolean>(upserted.map((r) => [r.code, r.inserted]));
    const ids = new Map<string, string>(
      (await many<Cols<typeof customers, 'id' | 'code'>>(client, `SELECT id, code FROM customers WHERE code = ANY($1::text[])`, [list.map((x) => x.code)])).map(
        (r) => [r.code, r.id],
      ),
    );
    const given = { customer: [] as string[], company: [] as string[], limit: [] as number[] };
    const defaults = { customer: [] as string[], company: [] as string[] };
    for (const x of list) {
      const id = ids.get(x.code)!;
      for (const companyId of companyIds) {
        const limit = x.creditLimits.get(companyId);
        if (limit === undefined) {
          defaults.customer.push(id);
          defaults.company.push(companyId);
        } else {
          given.customer.push(id);
          given.company.push(companyId);
          given.limit.push(limit);
        }
      }
    }
    const changed = new Set<string>();
    if (given.customer.length) {
      const r = await many<Cols<typeof customerCredit, 'customer_id'>>(
        client,
        `INSERT INTO customer_credit AS cc (customer_id, company_id, credit_limit)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[])
         ON CONFLICT (customer_id, company_id) DO UPDATE SET credit_limit = EXCLUDED.credit_limit, updated_at = now()
         WHERE cc.credit_limit IS DISTINCT FROM EXCLUDED.credit_limit
         RETURNING cc.customer_id`,
        [given.customer, given.company, given.limit],
      );
      for (const row of r) changed.add(row.customer_id);
    }
    if (defaults.customer.length) {
      const r = await many<Cols<typeof customerCredit, 'customer_id'>>(
        client,
        `INSERT INTO customer_credit (customer_id, company_id, credit_limit)
         SELECT u.customer_id, u.company_id, 0 FROM unnest($1::uuid[], $2::uuid[]) AS u(customer_id, company_id)
         ON CONFLICT (customer_id, company_id) DO NOTHING
         RETURNING customer_id`,
        [defaults.customer, defaults.company],
      );
      for (const row of r) changed.add(row.customer_id);
    }
    await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
    return list.map((candidate) => {
      const inserted = touched.get(candidate.code);
      const status: WriteStatus = inserted === true ? 'created' : inserted === false || changed.has(ids.get(candidate.code)!) ? 'updated' : 'unchanged';
      return { candidate, status };
    });
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Writes validated customers in one transaction (`rollback`: dry run); on failure retries each alone so one bad row rejects only itself. */
export async function writeCustomers(
  database: Database,
  list: CustomerCandidate[],
  companyIds: string[],
  opts: { rollback?: boolean } = {},
): Promise<CustomerWriteResult[]> {
  if (list.length === 0) return [];
  const rollback = opts.rollback ?? false;
  try {
    return await writeBatch(database, list, companyIds, rollback);
  } catch {
    const out: CustomerWriteResult[] = [];
    for (const candidate of list) {
      try {
        out.push(...(await writeBatch(database, [candidate], companyIds, rollback)));
      } catch (e) {
        out.push({ candidate, status: 'unchanged', error: e instanceof Error ? e.message : String(e) });
      }
    }
    return out;
  }
}
