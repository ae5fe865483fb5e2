import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { listCompanies, searchCustomers, setCreditLimit } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { getDatabase } from '../lib/db.server';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Customers · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const companies = await listCompanies(database);
  let page;
  try {
    page = await searchCustomers(database, { q: q || undefined, limit: 50, cursor });
  } catch {
    page = await searchCustomers(database, { q: q || undefined, limit: 50 });
  }
  return json({ companies, q, paged: Boolean(cursor), ...page });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input = Object.fromEntries(await request.formData());
  const r = await runAdminAction(async () => {
    if (input.intent !== 'credit-limit') throw new DomainError('invalid', 'intent', 'intent: unknown action');
    await setCreditLimit(getDatabase(), input, admin.email);
    return { message: 'Credit limit saved.' };
  });
  return json({ ...r.body, target: `${formText(input.customerId)}:${formText(input.companyId)}` }, { status: r.status });
}

export default function Customers() {
  const { companies, customers, q, nextCursor, paged } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const base = `/admin/customers?${q ? `q=${encodeURIComponent(q)}&` : ''}`;
  return (
    <div className="card">
      <h2>
        Customers{' '}
        <Link to="/admin/customers/new" style={{ fontSize: '1rem', marginLeft: '1rem' }}>
          + New customer
        </Link>
      </h2>
      <p className="muted">Customers are shared by both companies; each company has its own credit limit and balance.</p>
      <Form method="get" style={{ display: 'flex', gap: '.75rem', marginBottom: '.75rem' }}>
        <input name="q" defaultValue={q} type="search" placeholder="name, code or phone" aria-label="search customers" size={30} />
        <button type="submit">Search</button>
      </Form>
      <table>
        <thead>
          <tr>
            <th>Code</th>
            <th>Name</th>
            <th>Group</th>
            {companies.map((c) => (
              <th key={c.id}>{c.name}: limit / balance</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {customers.map((cu) => (
            <tr key={cu.id}>
              <td>{cu.code}</td>
              <td>
                <Link to={`/admin/customers/${cu.id}`}>{cu.name}</Link> {cu.disabled ? <span className="badge off">disabled</span> : null}
              </td>
              <td>{cu.customerGroup}</td>
              {companies.map((c) => {
                const credit = cu.credit.find((x) => x.companyId === c.id);
                const fmt = (v: number) => formatMoney(v, { exponent: c.currencyExponent });
                const mine = result && result.target === `${cu.id}:${c.id}`;
                return (
                  <td key={c.id}>
                    <AdminForm method="post" style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
                      <input type="hidden" name="intent" value="credit-limit" />
                      <input type="hidden" name="customerId" value={cu.id} />
                      <input type="hidden" name="companyId" value={c.id} />
                      <input
                        name="creditLimit"
                        defaultValue={fmt(credit?.creditLimit ?? 0)}
                        size={8}
                        inputMode="decimal"
                        aria-label={`${c.name} credit limit for ${cu.name}`}
                      />
                      <button type="submit">Save</button>
                      <span className={`num ${credit && credit.balance > credit.creditLimit ? 'error' : 'muted'}`} title="balance">
                        {fmt(credit?.balance ?? 0)}
                      </span>
                    </AdminForm>
                    {mine ? (
                      result.ok ? (
                        <span role="status" className="badge ok">
                          {result.message}
                        </span>
                      ) : (
                        <span role="alert" className="error">
                          {result.error}
                        </span>
                      )
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {customers.length === 0 ? <p>No customers match.</p> : null}
      <p>
        {paged ? <Link to={base}>← First page</Link> : null} {nextCursor ? <Link to={`${base}cursor=${nextCursor}`}>Next page →</Link> : null}
      </p>
    </div>
  );
}
