import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { creditLimitForm } from '../../services/forms/customers';
import { listCompanies, searchCustomers, setCreditLimit } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { AmountField, FormMessage, SchemaForm } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';

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
  return answerForm(request, {
    'credit-limit': form(creditLimitForm, async (input) => (await setCreditLimit(getDatabase(), input, admin.email), 'Credit limit saved.')),
  });
}

export default function Customers() {
  const { companies, customers, q, nextCursor, paged } = useLoaderData<typeof loader>();
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
              {companies.map((c) => (
                <CreditCell key={c.id} customer={cu} company={c} />
              ))}
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

type Customer = ReturnType<typeof useLoaderData<typeof loader>>['customers'][number];
type Company = ReturnType<typeof useLoaderData<typeof loader>>['companies'][number];

/** One company's credit limit of one customer: its own form, its answer under it. */
function CreditCell({ customer: cu, company: c }: { customer: Customer; company: Company }) {
  const credit = cu.credit.find((x) => x.companyId === c.id);
  const fmt = (v: number) => formatMoney(v, { exponent: c.currencyExponent });
  const limit = useAdminForm(creditLimitForm, {
    intent: 'credit-limit',
    id: `credit-${cu.id}-${c.id}`,
    defaultValue: { customerId: cu.id, companyId: c.id, creditLimit: fmt(credit?.creditLimit ?? 0) },
  });
  return (
    <td>
      <SchemaForm of={limit} className="fields-inline">
        <input type="hidden" name="customerId" value={cu.id} />
        <input type="hidden" name="companyId" value={c.id} />
        <AmountField meta={limit.fields.creditLimit} label={<span className="sr-only">{`${c.name} credit limit for ${cu.name}`}</span>} size={8} />
        <button type="submit">Save</button>
        <span className={`num ${credit && credit.balance > credit.creditLimit ? 'error' : 'muted'}`} title="balance">
          {fmt(credit?.balance ?? 0)}
        </span>
      </SchemaForm>
      <FormMessage of={limit} />
    </td>
  );
}
