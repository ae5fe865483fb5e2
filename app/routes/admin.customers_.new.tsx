// A new shared customer: contact details, tax id, group and a credit limit per company.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { customerForm } from '../../services/forms/customers';
import { createCustomer, listCompanies } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { customerDefaults, CustomerFields } from '../components/CustomerFields';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'New customer · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({ companies: await listCompanies(getDatabase()) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  return answerForm(request, {
    create: form(customerForm, async (input) => redirect(`/admin/customers/${(await createCustomer(getDatabase(), input, admin.email)).id}`)),
  });
}

export default function NewCustomer() {
  const { companies } = useLoaderData<typeof loader>();
  const create = useAdminForm(customerForm, { intent: 'create', defaultValue: customerDefaults(companies) });
  return (
    <>
      <p>
        <Link to="/admin/customers">← Customers</Link>
      </p>
      <div className="card" id="customer-form">
        <h2>New customer</h2>
        <p className="muted">Customers are shared by every company; each company has its own credit limit (blank: no credit).</p>
        <SchemaForm of={create}>
          <CustomerFields companies={companies} fields={create.fields} />
          <FormMessage of={create} />
          <button className="primary" type="submit">
            Create customer
          </button>
        </SchemaForm>
      </div>
    </>
  );
}
