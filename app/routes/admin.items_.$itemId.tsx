import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { barcodeForm, barcodeRemoveForm, itemEditForm, itemQuickForm } from '../../services/forms/catalog';
import { addBarcode, editItem, getAdminItem, getItemMaster, itemFormOptions, removeBarcode, updateItem } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { AmountField, CheckboxField, FormMessage, RowAction, SchemaForm, TextField } from '../admin/fields';
import { itemDefaults, ItemFields } from '../components/ItemFields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Item · Till Admin' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [item, master, options] = await Promise.all([
    getAdminItem(database, params.itemId ?? ''),
    getItemMaster(database, params.itemId ?? ''),
    itemFormOptions(database),
  ]);
  if (!item || !master) throw new Response('No such item', { status: 404 });
  return json({ item, master, options });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const database = getDatabase();
  const saved = 'Item saved; registers get it with their next sync.';
  return answerForm(
    request,
    {
      save: form(itemQuickForm, async (input) => (await updateItem(database, input, admin.email), saved)),
      edit: form(itemEditForm, async (input) => (await editItem(database, input, admin.email), saved)),
      'add-barcode': form(barcodeForm, async (input) => {
        await addBarcode(database, input, admin.email);
        return { message: `Barcode ${formText(input.barcode).trim()} added.`, reset: true };
      }),
      'remove-barcode': form(barcodeRemoveForm, async (input) => (await removeBarcode(database, input, admin.email), 'Barcode removed.')),
    },
    { itemId: params.itemId ?? '' },
  );
}

export default function ItemEdit() {
  const { item, master, options } = useLoaderData<typeof loader>();
  const price = item.price === null ? '' : formatMoney(item.price, { exponent: item.currencyExponent });
  const quick = useAdminForm(itemQuickForm, { intent: 'save', defaultValue: { name: item.name, price, enabled: item.disabled ? undefined : 'on' } });
  const all = useAdminForm(itemEditForm, { intent: 'edit', defaultValue: itemDefaults(options, master) });
  const barcode = useAdminForm(barcodeForm, { intent: 'add-barcode' });
  return (
    <>
      <p>
        <Link to={`/admin/items?company=${item.companyId}`}>← {item.companyName} items</Link>
      </p>
      <div className="card">
        <h2>
          {item.code} · {item.name}
        </h2>
        <p className="muted">
          {item.companyName} · {item.itemGroup || 'no group'} · unit {item.uom} · VAT {item.taxRateCode ?? 'none'}
          {item.disabled ? (
            <>
              {' '}
              · <span className="badge off">disabled</span>
            </>
          ) : null}
        </p>
        <SchemaForm of={quick} key={item.updatedAt} className="fields-row">
          <TextField meta={quick.fields.name} label="Name" size={40} />
          <AmountField meta={quick.fields.price} label={`Price (${item.currency}, Standard Selling)`} />
          <CheckboxField meta={quick.fields.enabled} label="on sale" />
          <button className="primary" type="submit">
            Save item
          </button>
        </SchemaForm>
        <FormMessage of={quick} />
      </div>
      <div className="card" id="item-form">
        <h2>All fields</h2>
        <SchemaForm of={all} key={`all-${item.updatedAt}`}>
          <ItemFields options={options} fields={all.fields} item={master} />
          <button className="primary" type="submit">
            Save all fields
          </button>
        </SchemaForm>
        <FormMessage of={all} />
      </div>
      <div className="card">
        <h2>Barcodes</h2>
        <p className="muted">A barcode is unique within {item.companyName}; the same code may exist once in the other company.</p>
        <table>
          <tbody>
            {item.barcodes.map((b) => (
              <tr key={b.id}>
                <td>
                  <code>{b.code}</code>
                </td>
                <td className="muted">{b.barcodeType}</td>
                <td>
                  <RowAction intent="remove-barcode" answerTo="add-barcode" values={{ barcodeId: b.id }}>
                    <button type="submit">Remove</button>
                  </RowAction>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {item.barcodes.length === 0 ? <p className="muted">No barcodes: the item can only be found by name or code.</p> : null}
        <SchemaForm of={barcode} className="fields-row">
          <TextField meta={barcode.fields.barcode} label="New barcode" placeholder="scan or type a barcode" />
          <button type="submit">Add barcode</button>
        </SchemaForm>
        <FormMessage of={barcode} />
      </div>
    </>
  );
}
