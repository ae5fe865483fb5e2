// A new item with every field: company, code, name, group, unit, weighed, VAT rate, price, barcodes, discount cap.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { createItem, itemFormOptions } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { Feedback } from '../components/FormBits';
import { ItemFields } from '../components/ItemFields';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'New item · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({ options: await itemFormOptions(getDatabase()) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input = Object.fromEntries(await request.formData());
  const r = await runAdminAction(() => createItem(getDatabase(), input, admin.email));
  if (r.body.ok) return redirect(`/admin/items/${r.body.id}`);
  return json(r.body, { status: r.status });
}

export default function NewItem() {
  const { options } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p><Link to="/admin/items">← Items</Link></p>
      <div className="card" id="item-form">
        <h2>New item</h2>
        {options.companies.length === 0 ? <p className="error">Add a company first (Setup → Companies).</p> : null}
        <AdminForm method="post">
          <ItemFields options={options} />
          <Feedback result={result} />
          <button className="primary" type="submit">Create item</button>
        </AdminForm>
      </div>
    </>
  );
}
