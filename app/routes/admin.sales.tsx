import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { PageLinks, cursorFrom } from '../components/PageLinks';
import { formatMoney } from '../../core/money';
import { listSales, saleFilterOptions, saleFiltersFrom } from '../lib/services.server';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { useLocalTime } from '../components/LocalTime';

export const meta: MetaFunction = () => [{ title: 'Sales · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const params = new URL(request.url).searchParams;
  const filters = saleFiltersFrom(params);
  // A stale or hand-edited page link shows the first page.
  const page = await listSales(database, filters, { limit: 50, cursor: cursorFrom(request) }).catch(() => listSales(database, filters, { limit: 50 }));
  return json({ filters, options: await saleFilterOptions(database), ...page });
}

export default function Sales() {
  const t = useLocalTime();
  const { filters, options, sales, nextCursor } = useLoaderData<typeof loader>();
  return (
    <div className="card">
      <h2>Sales</h2>
      <Form method="get" style={{ display: 'flex', gap: '.75rem', alignItems: 'end', flexWrap: 'wrap', marginBottom: '.75rem' }}>
        <label>
          Company
          <br />
          <select name="company" defaultValue={filters.companyId ?? ''}>
            <option value="">all</option>
            {options.companies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Register
          <br />
          <select name="register" defaultValue={filters.registerId ?? ''}>
            <option value="">all</option>
            {options.registers.map((r) => (
              <option key={r.id} value={r.id}>
                {r.code} {r.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Cashier
          <br />
          <select name="cashier" defaultValue={filters.cashierId ?? ''}>
            <option value="">all</option>
            {options.cashiers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <br />
          <input type="date" name="from" defaultValue={filters.from ?? ''} />
        </label>
        <label>
          To
          <br />
          <input type="date" name="to" defaultValue={filters.to ?? ''} />
        </label>
        <label>
          Tender
          <br />
          <select name="tender" defaultValue={filters.tender ?? ''}>
            <option value="">any</option>
            <option value="cash">cash</option>
            <option value="card">card</option>
            <option value="credit">credit</option>
          </select>
        </label>
        <label>
          <input type="checkbox" name="flagged" value="1" defaultChecked={filters.flaggedOnly} /> flagged only
        </label>
        <button type="submit" className="primary">
          Filter
        </button>
        <Link to="/admin/sales">clear</Link>
      </Form>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Receipt</th>
            <th>Company</th>
            <th>Register</th>
            <th>Cashier</th>
            <th>Tenders</th>
            <th className="num">Total</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {sales.map((s) => (
            <tr key={s.id}>
              <td>{t(s.occurredAt)}</td>
              <td>
                <Link to={`/admin/sales/${s.id}`}>{s.receiptNumber}</Link>
              </td>
              <td>{s.companyName}</td>
              <td>{s.registerCode}</td>
              <td>{s.cashierName ?? '—'}</td>
              <td>{s.tenders.join(' + ')}</td>
              <td className="num">{formatMoney(s.total, { exponent: s.currencyExponent })}</td>
              <td>
                {s.flagged ? <span className="badge warn">flagged</span> : null}{' '}
                {s.status !== 'completed' ? <span className="badge off">{s.status}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sales.length === 0 ? <p>No sales match these filters.</p> : null}
      <PageLinks nextCursor={nextCursor} />
    </div>
  );
}
