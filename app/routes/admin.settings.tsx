import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { getStoreSettings, listSetupCompanies, updateCompany, updateStoreSettings } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { getDatabase } from '../lib/db.server';
import { SetupNav } from '../components/SetupNav';
import { TimeZoneInput } from '../components/FormBits';
import { formatMoney } from '../../core/money';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Store & companies · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [settings, companies] = await Promise.all([getStoreSettings(database), listSetupCompanies(database)]);
  return json({ settings, companies });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input = Object.fromEntries(await request.formData());
  const database = getDatabase();
  const r = await runAdminAction(async () => {
    if (input.intent === 'settings') {
      await updateStoreSettings(database, input, admin.email);
      return { message: 'Store settings saved.' };
    }
    if (input.intent === 'company') {
      await updateCompany(database, input, admin.email);
      return { message: 'Company saved.' };
    }
    throw new DomainError('invalid', 'intent', 'intent: unknown action');
  });
  return json({ ...r.body, intent: formText(input.intent), target: formText(input.id) }, { status: r.status });
}

export default function Settings() {
  const { settings, companies } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const feedback = (intent: string, target = '') =>
    result && result.intent === intent && (intent !== 'company' || result.target === target) ? (
      result.ok ? (
        <p role="status" className="badge ok">
          {result.message}
        </p>
      ) : (
        <p role="alert" className="error">
          {result.error}
        </p>
      )
    ) : null;
  return (
    <>
      <SetupNav current="/admin/settings" />
      <div className="card">
        <h2>Store settings</h2>
        {settings ? (
          <AdminForm method="post">
            <input type="hidden" name="intent" value="settings" />
            <p className="muted">{settings.storeName} · changes reach every register with its next sync.</p>
            <p>
              <label>
                Default invoice company
                <br />
                <select name="defaultCompanyId" defaultValue={settings.defaultCompanyId ?? undefined}>
                  {companies.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
            </p>
            <p>
              <label>
                Time zone (IANA name; every time shown, printed or exported uses it)
                <br />
                <TimeZoneInput defaultValue={settings.timeZone} />
              </label>
            </p>
            <p>
              <label>
                Receipt footer
                <br />
                <textarea name="receiptFooter" defaultValue={settings.receiptFooter} rows={2} cols={50} maxLength={500} />
              </label>
            </p>
            <p>
              <label>
                Printer address (host:port, empty for browser printing)
                <br />
                <input name="printerAddress" defaultValue={settings.printerAddress} placeholder="192.168.1.50:9100" />
              </label>
            </p>
            <p>
              <label>
                Minimum cashier PIN length
                <br />
                <select name="pinMinLength" defaultValue={String(settings.pinMinLength)}>
                  {[4, 5, 6, 7, 8].map((n) => (
                    <option key={n} value={n}>
                      {n} digits{n === 6 ? ' (recommended)' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <br />
              <span className="muted">Applies to PINs set from now on; existing PINs keep working until changed on the Cashiers page.</span>
            </p>
            <p>
              <label>
                Shift variance needing a manager
                <br />
                <input
                  name="shiftVarianceThreshold"
                  inputMode="decimal"
                  defaultValue={formatMoney(settings.shiftVarianceThreshold, { exponent: settings.thresholdExponent })}
                  size={10}
                />
              </label>
              <br />
              <span className="muted">
                A shift closed at the register whose counted cash differs from the expected by more than this needs a manager&apos;s PIN (a cashier with the
                manager role).
              </span>
            </p>
            {feedback('settings')}
            <button className="primary" type="submit">
              Save store settings
            </button>
          </AdminForm>
        ) : (
          <p className="error">The store has no settings row; load the store data first.</p>
        )}
      </div>
      <div className="card">
        <h2>Companies</h2>
        <table>
          <thead>
            <tr>
              <th>Code</th>
              <th>Name · currency · rounding mode · VAT in prices · tax rounding</th>
            </tr>
          </thead>
          <tbody>
            {companies.map((c) => (
              <tr key={c.id}>
                <td>{c.code}</td>
                <td>
                  <AdminForm method="post" style={{ display: 'flex', gap: '.75rem', alignItems: 'center', flexWrap: 'wrap' }} aria-label={`company ${c.code}`}>
                    <input type="hidden" name="intent" value="company" />
                    <input type="hidden" name="id" value={c.id} />
                    <input name="name" defaultValue={c.name} aria-label="name" required />
                    <span className="muted">
                      {c.currency} ({c.currencyExponent} decimals)
                    </span>
                    <select name="roundingMode" defaultValue={c.roundingMode} aria-label="rounding mode">
                      <option value="HalfUp">HalfUp</option>
                      <option value="Truncate">Truncate</option>
                      <option value="Bankers">Bankers</option>
                    </select>
                    <label>
                      <input type="checkbox" name="pricesIncludeTax" defaultChecked={c.pricesIncludeTax} /> prices include VAT
                    </label>
                    <select name="taxRounding" defaultValue={c.taxRounding} aria-label="tax rounding">
                      <option value="line">per line</option>
                      <option value="invoice">per invoice</option>
                    </select>
                    <button type="submit">Save</button>
                    {feedback('company', c.id)}
                  </AdminForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
