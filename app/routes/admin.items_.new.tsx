// A new item with every field: company, code, name, group, unit, weighed, VAT rate, price, barcodes, discount cap.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { itemForm } from '../../services/forms/catalog';
import { createItem, itemFormOptions } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { itemDefaults, ItemFields } from '../components/ItemFields';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'New item · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({ options: await itemFormOptions(getDatabase()) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  return answerForm(request, {
    create: form(itemForm, async (input) => redirect(`/admin/items/${(await createItem(getDatabase(), input, admin.email)).id}`)),
  });
}

export default function NewItem() {
  const { options } = useLoaderData<typeof loader>();
  const create = useAdminForm(itemForm, { intent: 'create', defaultValue: itemDefaults(options) });
  return (
    <>
      <p>
        <Link to="/admin/items">← Items</Link>
      </p>
      <div className="card" id="item-form">
        <h2>New item</h2>
        {options.companies.length === 0 ? <p className="error">Add a company first (Setup → Companies).</p> : null}
        <SchemaForm of={create}>
          <ItemFields options={options} fields={create.fields} company={create.fields.companyId} />
          <FormMessage of={create} />
          <button className="primary" type="submit">
            Create item
          </button>
        </SchemaForm>
      </div>
    </>
  );
}
