import { beforeAll, describe, expect, it } from 'vitest';
import { backends, useMigratedDatabase } from '../test/databases';
import type { CustomerCandidate } from './customer-records';
import { writeCustomers } from './upsert-customers';
import { changeLogCount, createCompanies, type TestCompanies } from './test-helpers';

describe.each(backends)('upsert customers on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let co: TestCompanies;
  let ids: string[];
  beforeAll(async () => {
    co = await createCompanies(t.database);
    ids = [co.official.id, co.unofficial.id];
  });
  const customer = (code: string, limits: [string, number][] = [], over: Partial<CustomerCandidate> = {}): CustomerCandidate => ({
    file: 'c.csv',
    line: 2,
    code,
    name: code,
    customerType: 'Individual',
    customerGroup: '',
    territory: '',
    taxId: '',
    email: null,
    phone: null,
    disabled: false,
    creditLimits: new Map(limits),
    ...over,
  });
  const credit = async (code: string) =>
    (
      await t.database.pool.query(
        `SELECT co.code, cc.credit_limit, cc.balance FROM customer_credit cc JOIN customers c ON c.id = cc.customer_id JOIN companies co ON co.id = cc.company_id WHERE c.code = $1 ORDER BY co.code`,
        [code],
      )
    ).rows;

  it('creates one customer with a credit row per company; re-running changes nothing', async () => {
    const r = await writeCustomers(t.database, [customer('A', [[co.official.id, 5000]]), customer('B')], ids);
    expect(r.map((x) => x.status)).toEqual(['created', 'created']);
    expect(await credit('A')).toEqual([
      { code: 'O', credit_limit: 5000, balance: 0 },
      { code: 'U', credit_limit: 0, balance: 0 },
    ]);
    const log = await changeLogCount(t.database);
    const again = await writeCustomers(t.database, [customer('A', [[co.official.id, 5000]]), customer('B')], ids);
    expect(again.map((x) => x.status)).toEqual(['unchanged', 'unchanged']);
    expect(await changeLogCount(t.database)).toBe(log);
  });

  it('updates a changed limit or field, keeps the balance and stored limits the export does not give', async () => {
    await t.database.pool.query(`UPDATE customer_credit SET balance = 700 WHERE company_id = $1`, [co.official.id]);
    const r = await writeCustomers(t.database, [customer('A', [[co.unofficial.id, 100]]), customer('B', [], { name: 'Bee', email: 'b@x.org' })], ids);
    expect(r.map((x) => x.status)).toEqual(['updated', 'updated']);
    expect(await credit('A')).toEqual([
      { code: 'O', credit_limit: 5000, balance: 700 },
      { code: 'U', credit_limit: 100, balance: 0 },
    ]);
    const b = (await t.database.pool.query(`SELECT name, email FROM customers WHERE code = 'B'`)).rows[0];
    expect(b).toEqual({ name: 'Bee', email: 'b@x.org' });
  });

  it('dry run keeps nothing', async () => {
    const r = await writeCustomers(t.database, [customer('Z')], ids, { rollback: true });
    expect(r[0]!.status).toBe('created');
    expect((await t.database.pool.query(`SELECT count(*)::int AS n FROM customers WHERE code = 'Z'`)).rows[0].n).toBe(0);
  });
});
