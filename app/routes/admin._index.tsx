import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listCompanies, storeNeedsSetup } from '../lib/services.server';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const counts = (
    await database.pool.query(`SELECT c.id,
        (SELECT count(*)::int FROM items i WHERE i.company_id = c.id) AS items,
        (SELECT count(*)::int FROM sales s WHERE s.company_id = c.id) AS sales,
        (SELECT count(*)::int FROM adjustment_queue a WHERE a.company_id = c.id AND a.status = 'open') AS flagged
      FROM companies c`)
  ).rows as { id: string; items: number; sales: number; flagged: number }[];
  const companies = await listCompanies(database);
  return json({ companies: companies.map((c) => ({ ...c, ...counts.find((x) => x.id === c.id) })), needsSetup: await storeNeedsSetup(database) });
}

export default function Overview() {
  const { companies, needsSetup } = useLoaderData<typeof loader>();
  return (
    <div className="card">
      {needsSetup ? (
        <p role="status" className="badge warn">
          The store has no company yet: <Link to="/admin/setup">set up the store</Link> (store, companies, warehouses, a register, a cashier).
        </p>
      ) : null}
      <h2>Companies</h2>
      <table>
        <thead>
          <tr><th>Company</th><th>Code</th><th className="num">Items</th><th className="num">Sales</th><th className="num">Flagged invoices</th><th></th></tr>
        </thead>
        <tbody>
          {companies.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td><td>{c.code}</td><td className="num">{c.items}</td><td className="num">{c.sales}</td>
              <td className="num">{c.flagged}</td><td>{c.isDefault ? <span className="badge ok">default invoice company</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
