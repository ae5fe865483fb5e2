import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { formatRate } from '../../core/rates';
import { listCompanies, searchItems } from '../lib/services.server';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'Items · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const url = new URL(request.url);
  const companies = await listCompanies(database);
  const company = companies.find((c) => c.id === url.searchParams.get('company')) ?? companies.find((c) => c.isDefault) ?? companies[0];
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
  let cursor = url.searchParams.get('cursor') ?? undefined;
  let result = { items: [] as Awaited<ReturnType<typeof searchItems>>['items'], nextCursor: null as string | null };
  if (company) {
    try {
      result = await searchItems(database, { companyId: company.id, q: q || undefined, limit: 50, cursor });
    } catch {
      cursor = undefined; // a stale page link: start again
      result = await searchItems(database, { companyId: company.id, q: q || undefined, limit: 50 });
    }
  }
  return json({ companies, company: company ?? null, q, paged: Boolean(cursor), ...result });
}

export default function Items() {
  const { companies, company, q, items, nextCursor, paged } = useLoaderData<typeof loader>();
  const exponent = company?.currencyExponent ?? 2;
  const base = `/admin/items?company=${company?.id ?? ''}${q ? `&q=${encodeURIComponent(q)}` : ''}`;
  return (
    <div className="card">
      <h2>
        Items{' '}
        <Link to="/admin/items/new" style={{ fontSize: '1rem', marginLeft: '1rem' }}>
          + New item
        </Link>
      </h2>
      <Form method="get" style={{ display: 'flex', gap: '.75rem', alignItems: 'end', flexWrap: 'wrap', marginBottom: '.75rem' }}>
        <label>
          Company
          <br />
          <select name="company" defaultValue={company?.id} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
            {companies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search name, code or barcode
          <br />
          <input name="q" defaultValue={q} type="search" size={30} />
        </label>
        <button type="submit">Search</button>
      </Form>
      <table>
        <thead>
          <tr>
            <th>Code</th>
            <th>Name</th>
            <th>Group</th>
            <th>Barcodes</th>
            <th className="num">VAT</th>
            <th className="num">Price</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <td>
                <Link to={`/admin/items/${i.id}`}>{i.code}</Link>
              </td>
              <td>
                <Link to={`/admin/items/${i.id}`}>{i.name}</Link>
              </td>
              <td>{i.itemGroup}</td>
              <td style={{ fontSize: 13 }}>{i.barcodes.join(', ')}</td>
              <td className="num">{i.rateBp === null ? '—' : formatRate(i.rateBp)}</td>
              <td className="num">
                {i.price === null ? <span className="badge warn">no price</span> : formatMoney(i.price, { exponent, currency: i.currency ?? undefined })}
              </td>
              <td>{i.disabled ? <span className="badge off">disabled</span> : <span className="badge ok">on sale</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 ? <p>No items match.</p> : null}
      <p>
        {paged ? <Link to={base}>← First page</Link> : null} {nextCursor ? <Link to={`${base}&cursor=${nextCursor}`}>Next page →</Link> : null}
      </p>
    </div>
  );
}
