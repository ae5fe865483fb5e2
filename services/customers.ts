import type { Database } from '../db/client';
import { many, type Cols } from '../db/query';
import type { customers } from '../db/schema';
import { decodeCursor, encodeCursor } from './pagination';

export interface CustomerView {
  id: string;
  code: string;
  name: string;
  customerGroup: string;
  disabled: boolean;
  credit: { companyId: string; creditLimit: number; balance: number }[];
}

/** Shared customers with each company's credit limit and balance. */
export async function searchCustomers(
  database: Database,
  opts: { q?: string; limit: number; cursor?: string },
): Promise<{ customers: CustomerView[]; nextCursor: string | null }> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (opts.q) {
    params.push(`%${opts.q.replace(/[\\%_]/g, '\\$&')}%`);
    where.push(`(c.name ILIKE $1 OR c.code ILIKE $1 OR c.phone ILIKE $1)`);
  }
  const cursor = decodeCursor(opts.cursor);
  if (cursor) {
    params.push(cursor.k, cursor.id);
    where.push(`(c.name, c.id) > ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(opts.limit + 1);
  const found = await many<Cols<typeof customers, 'id' | 'code' | 'name' | 'customer_group' | 'disabled'> & { credit: CustomerView['credit'] }>(
    database.pool,
    `SELECT c.id, c.code, c.name, c.customer_group, c.disabled,
            COALESCE((SELECT json_agg(json_build_object('companyId', cc.company_id, 'creditLimit', cc.credit_limit, 'balance', cc.balance) ORDER BY cc.company_id)
                        FROM customer_credit cc WHERE cc.customer_id = c.id), '[]') AS credit
       FROM customers c
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.name, c.id LIMIT $${params.length}`,
    params,
  );
  const rows: CustomerView[] = found.map((x) => ({
    id: x.id,
    code: x.code,
    name: x.name,
    customerGroup: x.customer_group,
    disabled: x.disabled,
    credit: x.credit,
  }));
  const more = rows.length > opts.limit;
  const page = more ? rows.slice(0, opts.limit) : rows;
  const last = page[page.length - 1];
  return { customers: page, nextCursor: more && last ? encodeCursor({ k: last.name, id: last.id }) : null };
}
