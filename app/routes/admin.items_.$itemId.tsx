import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { addBarcode, editItem, getAdminItem, getItemMaster, itemFormOptions, removeBarcode, updateItem } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { ItemFields } from '../components/ItemFields';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { getDatabase } from '../lib/db.server';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Item · Till Admin' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [item, master, options] = await Promise.all([getAdminItem(database, params.itemId ?? ''), getItemMaster(database, params.itemId ?? ''), itemFormOptions(database)]);
  if (!item || !master) throw new Response('No such item', { status: 404 });
  return json({ item, master, options });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input: Record<string, unknown> = { ...Object.fromEntries(await request.formData()), itemId: params.itemId ?? '' };
  const database = getDatabase();
  const r = await runAdminAction(async () => {
    switch (input.intent) {
      case 'save':
        await updateItem(database, input, admin.email);
        return { message: 'Item saved; registers get it with their next sync.' };
      case 'edit':
        await editItem(database, input, admin.email);
        return { message: 'Item saved; registers get it with their next sync.' };
      case 'add-barcode':
        await addBarcode(database, input, admin.email);
        return { message: `Barcode ${String(input.barcode).trim()} added.` };
      case 'remove-barcode':
        await removeBarcode(database, input, admin.email);
        return { message: 'Barcode removed.' };
      default:
        throw new DomainError('invalid', 'intent', 'intent: unknown action');
    }
  });
  return json({ ...r.body, intent: formText(input.intent) }, { status: r.status });
}

export default function ItemEdit() {
  const { item, master, options } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const feedback = (intents: string[]) =>
    result && intents.includes(result.intent) ? (
      result.ok ? <p role="status" className="badge ok">{result.message}</p> : <p role="alert" className="error">{result.error}</p>
    ) : null;
  const price = item.price === null ? '' : formatMoney(item.price, { exponent: item.currencyExponent });
  return (
    <>
      <p><Link to={`/admin/items?company=${item.companyId}`}>← {item.companyName} items</Link></p>
      <div className="card">
        <h2>{item.code} · {item.name}</h2>
        <p className="muted">
          {item.companyName} · {item.itemGroup || 'no group'} · unit {item.uom} · VAT {item.taxRateCode ?? 'none'}
          {item.disabled ? <> · <span className="badge off">disabled</span></> : null}
        </p>
        <AdminForm method="post" key={item.updatedAt} style={{ display: 'flex', gap: '.75rem', alignItems: 'end', flexWrap: 'wrap' }}>
          <input type="hidden" name="intent" value="save" />
          <label>Name<br /><input name="name" defaultValue={item.name} required size={40} /></label>
          <label>Price ({item.currency}, Standard Selling)<br /><input name="price" defaultValue={price} inputMode="decimal" required size={10} /></label>
          <label><input type="checkbox" name="enabled" defaultChecked={!item.disabled} /> on sale</label>
          <button className="primary" type="submit">Save item</button>
        </AdminForm>
        {feedback(['save'])}
      </div>
      <div className="card" id="item-form">
        <h2>All fields</h2>
        <AdminForm method="post" key={`all-${item.updatedAt}`}>
          <input type="hidden" name="intent" value="edit" />
          <ItemFields options={options} item={master} fixedCompany />
          <button className="primary" type="submit">Save all fields</button>
        </AdminForm>
        {feedback(['edit'])}
      </div>
      <div className="card">
        <h2>Barcodes</h2>
        <p className="muted">A barcode is unique within {item.companyName}; the same code may exist once in the other company.</p>
        <table>
          <tbody>
            {item.barcodes.map((b) => (
              <tr key={b.id}>
                <td><code>{b.code}</code></td>
                <td className="muted">{b.barcodeType}</td>
                <td>
                  <AdminForm method="post">
                    <input type="hidden" name="intent" value="remove-barcode" />
                    <input type="hidden" name="barcodeId" value={b.id} />
                    <button type="submit">Remove</button>
                  </AdminForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {item.barcodes.length === 0 ? <p className="muted">No barcodes: the item can only be found by name or code.</p> : null}
        <AdminForm method="post" style={{ display: 'flex', gap: '.75rem', marginTop: 8 }}>
          <input type="hidden" name="intent" value="add-barcode" />
          <input name="barcode" placeholder="scan or type a barcode" aria-label="new barcode" required />
          <button type="submit">Add barcode</button>
        </AdminForm>
        {feedback(['add-barcode', 'remove-barcode'])}
      </div>
    </>
  );
}
