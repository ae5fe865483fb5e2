// A new shared customer: contact details, tax id, group and a credit limit per company.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { createCustomer, listCompanies } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { CustomerFields } from '../components/CustomerFields';
import { Feedback } from '../components/FormBits';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'New customer · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({ companies: await listCompanies(getDatabase()) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input = Object.fromEntries(await request.formData());
  const r = await runAdminAction(() => createCustomer(getDatabase(), input, admin.email));
  if (r.body.ok) return redirect(`/admin/customers/${r.body.id}`);
  return json(r.body, { status: r.status });
}

export default function NewCustomer() {
  const { companies } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/customers">← Customers</Link>
      </p>
      <div className="card" id="customer-form">
        <h2>New customer</h2>
        <p className="muted">Customers are shared by every company; each company has its own credit limit (blank: no credit).</p>
        <AdminForm method="post">
          <CustomerFields companies={companies} />
          <Feedback result={result} />
          <button className="primary" type="submit">
            Create customer
          </button>
        </AdminForm>
      </div>
    </>
  );
}
