// One shared customer: every field and each company's credit limit (balances are only shown).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { customerEditForm } from '../../services/forms/customers';
import { editCustomer, getCustomer, listCompanies } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { customerDefaults, CustomerFields } from '../components/CustomerFields';
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
  return answerForm(
    request,
    {
      edit: form(
        customerEditForm,
        async (input) => (await editCustomer(getDatabase(), input, admin.email), 'Customer saved; registers get it with their next sync.'),
      ),
    },
    { customerId: params.customerId ?? '' },
  );
}

export default function CustomerEdit() {
  const { customer, companies } = useLoaderData<typeof loader>();
  const edit = useAdminForm(customerEditForm, { intent: 'edit', defaultValue: customerDefaults(companies, customer) });
  return (
    <>
      <p>
        <Link to="/admin/customers">← Customers</Link>
      </p>
      <div className="card" id="customer-form">
        <h2>
          {customer.code} · {customer.name}
        </h2>
        <SchemaForm of={edit} key={JSON.stringify(customer)}>
          <CustomerFields companies={companies} customer={customer} fields={edit.fields} />
          <FormMessage of={edit} />
          <button className="primary" type="submit">
            Save customer
          </button>
        </SchemaForm>
      </div>
    </>
  );
}
