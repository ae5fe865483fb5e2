// Companies: legal details printed on receipts, the short code receipt numbers start with, and the
// money rules (rounding, tax rounding, prices with or without VAT). One form to add, one per company to edit.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { createCompany, editCompany, getStore, listCompanyDetails, type CompanyDetail } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { Feedback } from '../components/FormBits';
import { SetupNav } from '../components/SetupNav';
import { getDatabase } from '../lib/db.server';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Companies · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [companies, store] = await Promise.all([listCompanyDetails(database), getStore(database)]);
  return json({ companies, currency: store.currency });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input = Object.fromEntries(await request.formData());
  const database = getDatabase();
  const r = await runAdminAction(async () => {
    if (input.intent === 'create') {
      await createCompany(database, input, admin.email);
      return { message: 'Company created.' };
    }
    if (input.intent === 'edit') {
      await editCompany(database, input, admin.email);
      return { message: 'Company saved; registers get it with their next sync.' };
    }
    throw new DomainError('invalid', 'intent', 'intent: unknown action');
  });
  return json({ ...r.body, target: formText(input.id, 'new') }, { status: r.status });
}

function CompanyFields({ c, currency }: { c?: CompanyDetail; currency: string }) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(16rem, 1fr))', gap: '.5rem 1rem' }}>
      <label>Name (trading)<br /><input name="name" defaultValue={c?.name} required maxLength={80} /></label>
      <label>Short code (1–2 letters, starts receipt numbers)<br /><input name="code" defaultValue={c?.code} required maxLength={2} size={3} disabled={Boolean(c && c.sales > 0)} />{c && c.sales > 0 ? <input type="hidden" name="code" value={c.code} /> : null}</label>
      <label>Legal name (printed on receipts)<br /><input name="legalName" defaultValue={c?.legalName} maxLength={160} /></label>
      <label>VAT id<br /><input name="vatId" defaultValue={c?.vatId} maxLength={40} /></label>
      <label>Address<br /><textarea name="address" defaultValue={c?.address} rows={2} maxLength={400} /></label>
      <label>Receipt footer<br /><textarea name="receiptFooter" defaultValue={c?.receiptFooter} rows={2} maxLength={500} /></label>
      {c ? (
        <span>Currency<br /><strong>{c.currency}</strong> <span className="muted">({c.currencyExponent} decimals; fixed)</span></span>
      ) : (
        <label>Currency (ISO code)<br /><input name="currency" defaultValue={currency} maxLength={3} size={4} /></label>
      )}
      <label>Rounding mode<br />
        <select name="roundingMode" defaultValue={c?.roundingMode ?? 'HalfUp'}>
          <option value="HalfUp">HalfUp</option>
          <option value="Truncate">Truncate</option>
          <option value="Bankers">Bankers</option>
        </select>
      </label>
      <label>Tax rounding<br />
        <select name="taxRounding" defaultValue={c?.taxRounding ?? 'line'}>
          <option value="line">per line</option>
          <option value="invoice">per invoice</option>
        </select>
      </label>
      <label><input type="checkbox" name="pricesIncludeTax" defaultChecked={c?.pricesIncludeTax ?? true} /> prices include VAT</label>
    </div>
  );
}

export default function Companies() {
  const { companies, currency } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const mine = (target: string) => (result && result.target === target ? result : undefined);
  return (
    <>
      <SetupNav current="/admin/companies" />
      {companies.map((c) => (
        <div className="card" key={c.id}>
          <h2>{c.code} · {c.name}</h2>
          <p className="muted">{c.warehouses} warehouse(s) · {c.sales} sale(s){c.sales > 0 ? ' · the code is fixed once receipts are numbered' : ''}</p>
          <AdminForm method="post" aria-label={`company ${c.code}`}>
            <input type="hidden" name="intent" value="edit" />
            <input type="hidden" name="id" value={c.id} />
            <CompanyFields c={c} currency={currency} />
            <Feedback result={mine(c.id)} />
            <button type="submit">Save {c.name}</button>
          </AdminForm>
        </div>
      ))}
      <div className="card" id="new-company">
        <h2>Add a company</h2>
        <AdminForm method="post" aria-label="new company">
          <input type="hidden" name="intent" value="create" />
          <CompanyFields currency={currency} />
          <Feedback result={mine('new')} />
          <button className="primary" type="submit">Add company</button>
        </AdminForm>
      </div>
    </>
  );
}
