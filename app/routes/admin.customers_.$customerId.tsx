// One shared customer: every field and each company's credit limit (balances are only shown).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { editCustomer, getCustomer, listCompanies } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { CustomerFields } from '../components/CustomerFields';
import { Feedback } from '../components/FormBits';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'Customer · Till Admin' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [customer, companies] = await Promise.all([getCustomer(database, params.customerId ?? ''), listCompanies(database)]);
  if (!customer) throw new Response('No such customer', { status: 404 });
  return json({ customer, companies });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input = { ...Object.fromEntries(await request.formData()), customerId: params.customerId ?? '' };
  const r = await runAdminAction(async () => {
    await editCustomer(getDatabase(), input, admin.email);
    return { message: 'Customer saved; registers get it with their next sync.' };
  });
  return json(r.body, { status: r.status });
}

export default function CustomerEdit() {
  const { customer, companies } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/customers">← Customers</Link>
      </p>
      <div className="card" id="customer-form">
        <h2>
          {customer.code} · {customer.name}
        </h2>
        <AdminForm method="post" key={JSON.stringify(customer)}>
          <CustomerFields companies={companies} customer={customer} />
          <Feedback result={result} />
          <button className="primary" type="submit">
            Save customer
          </button>
        </AdminForm>
      </div>
    </>
  );
}
