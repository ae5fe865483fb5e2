import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { companySettingsForm, storeSettingsForm } from '../../services/forms/store';
import { getStoreSettings, listSetupCompanies, updateCompany, updateStoreSettings, type SetupCompany, type StoreSettingsView } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { AmountField, CheckboxField, FormMessage, SchemaForm, SelectField, TextareaField, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { SetupNav } from '../components/SetupNav';
import { TimeZoneField } from '../components/FormBits';
import { formatMoney } from '../../core/money';

export const meta: MetaFunction = () => [{ title: 'Store & companies · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [settings, companies] = await Promise.all([getStoreSettings(database), listSetupCompanies(database)]);
  return json({ settings, companies });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const database = getDatabase();
  return answerForm(request, {
    settings: form(storeSettingsForm, async (input) => (await updateStoreSettings(database, input, admin.email), 'Store settings saved.')),
    company: form(companySettingsForm, async (input) => (await updateCompany(database, input, admin.email), 'Company saved.')),
  });
}

const PIN_LENGTHS = [4, 5, 6, 7, 8].map((n) => ({ value: String(n), label: `${n} digits${n === 6 ? ' (recommended)' : ''}` }));
const ROUNDING = ['HalfUp', 'Truncate', 'Bankers'].map((m) => ({ value: m, label: m }));
const TAX_ROUNDING = [
  { value: 'line', label: 'per line' },
  { value: 'invoice', label: 'per invoice' },
];

export default function Settings() {
  const { settings, companies } = useLoaderData<typeof loader>();
  return (
    <>
      <SetupNav current="/admin/settings" />
      <div className="card">
        <h2>Store settings</h2>
        {settings ? (
          <StoreSettings settings={settings} companies={companies} />
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
              <CompanyRow key={c.id} c={c} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function StoreSettings({ settings, companies }: { settings: StoreSettingsView; companies: SetupCompany[] }) {
  const store = useAdminForm(storeSettingsForm, {
    intent: 'settings',
    defaultValue: {
      defaultCompanyId: settings.defaultCompanyId ?? undefined,
      timeZone: settings.timeZone,
      receiptFooter: settings.receiptFooter,
      printerAddress: settings.printerAddress,
      pinMinLength: String(settings.pinMinLength),
      shiftVarianceThreshold: formatMoney(settings.shiftVarianceThreshold, { exponent: settings.thresholdExponent }),
    },
  });
  const { fields } = store;
  return (
    <SchemaForm of={store} style={{ display: 'grid', gap: '.75rem', justifyItems: 'start' }}>
      <p className="muted">{settings.storeName} · changes reach every register with its next sync.</p>
      <SelectField meta={fields.defaultCompanyId} label="Default invoice company" options={companies.map((c) => ({ value: c.id, label: c.name }))} />
      <TimeZoneField meta={fields.timeZone} label="Time zone (IANA name; every time shown, printed or exported uses it)" />
      <TextareaField meta={fields.receiptFooter} label="Receipt footer" rows={2} cols={50} maxLength={500} />
      <TextField meta={fields.printerAddress} label="Printer address (host:port, empty for browser printing)" placeholder="192.168.1.50:9100" />
      <SelectField meta={fields.pinMinLength} label="Minimum cashier PIN length" options={PIN_LENGTHS} />
      <p className="muted">Applies to PINs set from now on; existing PINs keep working until changed on the Cashiers page.</p>
      <AmountField meta={fields.shiftVarianceThreshold} label="Shift variance needing a manager" />
      <p className="muted">
        A shift closed at the register whose counted cash differs from the expected by more than this needs a manager&apos;s PIN (a cashier with the manager
        role).
      </p>
      <FormMessage of={store} />
      <button className="primary" type="submit">
        Save store settings
      </button>
    </SchemaForm>
  );
}

function CompanyRow({ c }: { c: SetupCompany }) {
  const company = useAdminForm(companySettingsForm, {
    intent: 'company',
    id: `company-${c.id}`,
    defaultValue: { id: c.id, name: c.name, roundingMode: c.roundingMode, pricesIncludeTax: c.pricesIncludeTax ? 'on' : undefined, taxRounding: c.taxRounding },
  });
  const { fields } = company;
  const hidden = (text: string) => <span className="sr-only">{text}</span>;
  return (
    <tr>
      <td>{c.code}</td>
      <td>
        <SchemaForm of={company} className="fields-inline" style={{ gap: '.75rem', alignItems: 'center', flexWrap: 'wrap' }} aria-label={`company ${c.code}`}>
          <input type="hidden" name="id" value={c.id} />
          <TextField meta={fields.name} label={hidden('name')} />
          <span className="muted">
            {c.currency} ({c.currencyExponent} decimals)
          </span>
          <SelectField meta={fields.roundingMode} label={hidden('rounding mode')} options={ROUNDING} />
          <CheckboxField meta={fields.pricesIncludeTax} label="prices include VAT" />
          <SelectField meta={fields.taxRounding} label={hidden('tax rounding')} options={TAX_ROUNDING} />
          <button type="submit">Save</button>
          <FormMessage of={company} />
        </SchemaForm>
      </td>
    </tr>
  );
}
