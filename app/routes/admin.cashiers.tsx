import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { cashierActiveForm, cashierCompanyForm, cashierForm, cashierPinForm, cashierRoleForm } from '../../services/forms/store';
import {
  createCashier,
  getStoreSettings,
  listCashiers,
  listSetupCompanies,
  resetCashierPin,
  setCashierActive,
  setCashierCompany,
  setCashierRole,
} from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { CheckboxGroupField, FormMessage, RowAction, SchemaForm, SelectField, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { SetupNav } from '../components/SetupNav';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Cashiers · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [cashiers, companies, settings] = await Promise.all([listCashiers(database), listSetupCompanies(database), getStoreSettings(database)]);
  return json({ cashiers, companies: companies.map((c) => ({ id: c.id, name: c.name })), pinMinLength: settings?.pinMinLength ?? 4 });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const database = getDatabase();
  return answerForm(request, {
    create: form(cashierForm, async (input) => {
      await createCashier(database, input, admin.email);
      return { message: `Cashier ${formText(input.name).trim()} created. The PIN is not shown again.`, reset: true };
    }),
    'reset-pin': form(
      cashierPinForm,
      async (input) => (await resetCashierPin(database, input, admin.email), { message: 'PIN changed. It is not shown again.', reset: true }),
    ),
    active: form(
      cashierActiveForm,
      async (input) => (await setCashierActive(database, input, admin.email), input.active === 'true' ? 'Cashier enabled.' : 'Cashier disabled.'),
    ),
    company: form(cashierCompanyForm, async (input) => (await setCashierCompany(database, input, admin.email), 'Companies updated.')),
    role: form(cashierRoleForm, async (input) => {
      await setCashierRole(database, input, admin.email);
      return input.role === 'manager' ? 'Now a manager: can approve shift variances at the register.' : 'Now a cashier.';
    }),
  });
}

export default function Cashiers() {
  const { cashiers, companies, pinMinLength } = useLoaderData<typeof loader>();
  const pinDigits = pinMinLength >= 8 ? '8 digits' : `${pinMinLength}–8 digits`;
  const create = useAdminForm(cashierForm, { intent: 'create', defaultValue: { companyIds: companies.map((c) => c.id) } });
  const { fields } = create;
  return (
    <>
      <SetupNav current="/admin/cashiers" />
      <div className="card">
        <h2>New cashier</h2>
        <SchemaForm of={create} className="fields-row" autoComplete="off">
          <TextField meta={fields.name} label="Name" />
          <TextField meta={fields.pin} label={`PIN (${pinDigits})`} type="password" inputMode="numeric" autoComplete="new-password" />
          <CheckboxGroupField meta={fields.companyIds} label="Companies" options={companies.map((c) => ({ value: c.id, label: c.name }))} />
          <button className="primary" type="submit">
            Create cashier
          </button>
        </SchemaForm>
        <FormMessage of={create} />
      </div>
      <div className="card">
        <h2>Cashiers</h2>
        <p className="muted">
          One PIN logs a cashier into every company ticked here. PINs are stored only as hashes; new PINs need {pinDigits} (Settings). A manager&apos;s PIN
          approves a large cash variance when a shift is closed at the register.
        </p>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Role</th>
              <th>Companies</th>
              <th>Reset PIN</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {cashiers.map((k) => (
              <CashierRow key={k.id} cashier={k} companies={companies} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

type Cashier = ReturnType<typeof useLoaderData<typeof loader>>['cashiers'][number];

/** One cashier's forms; every answer about the cashier shows at the row's end. */
function CashierRow({ cashier: k, companies }: { cashier: Cashier; companies: { id: string; name: string }[] }) {
  const row = `cashier-${k.id}`;
  const role = useAdminForm(cashierRoleForm, { intent: 'role', id: `${row}-role`, defaultValue: { cashierId: k.id, role: k.role } });
  const pin = useAdminForm(cashierPinForm, { intent: 'reset-pin', id: `${row}-pin`, defaultValue: { cashierId: k.id } });
  const others = useAdminForm(cashierActiveForm, { intent: 'active', id: row });
  return (
    <tr>
      <td>{k.name}</td>
      <td>
        <span className={`badge ${k.active ? 'ok' : 'off'}`}>{k.active ? 'active' : 'disabled'}</span>
        {k.active && k.pinOutdated ? (
          <span className="badge warn" title="Hashed at an older, weaker cost: set a new PIN">
            set a new PIN
          </span>
        ) : null}
      </td>
      <td>
        <SchemaForm of={role} className="fields-inline">
          <input type="hidden" name="cashierId" value={k.id} />
          <SelectField
            meta={role.fields.role}
            label={<span className="sr-only">role of {k.name}</span>}
            options={[
              { value: 'cashier', label: 'cashier' },
              { value: 'manager', label: 'manager' },
            ]}
          />
          <button type="submit">Set</button>
        </SchemaForm>
        <FormMessage of={role} />
      </td>
      <td>
        {companies.map((c) => {
          const assigned = k.companyIds.includes(c.id);
          return (
            <RowAction
              key={c.id}
              intent="company"
              answerTo={row}
              values={{ cashierId: k.id, companyId: c.id, assigned: assigned ? 'false' : 'true' }}
              style={{ display: 'inline-block', marginRight: 6 }}
            >
              <button type="submit" title={assigned ? `Remove from ${c.name}` : `Add to ${c.name}`}>
                {assigned ? '✓' : '+'} {c.name}
              </button>
            </RowAction>
          );
        })}
      </td>
      <td>
        <SchemaForm of={pin} className="fields-inline" autoComplete="off">
          <input type="hidden" name="cashierId" value={k.id} />
          <TextField
            meta={pin.fields.pin}
            label={<span className="sr-only">new PIN for {k.name}</span>}
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            placeholder="new PIN"
            size={8}
          />
          <button type="submit">Set PIN</button>
        </SchemaForm>
        <FormMessage of={pin} />
      </td>
      <td>
        <RowAction intent="active" answerTo={row} values={{ cashierId: k.id, active: k.active ? 'false' : 'true' }}>
          <button type="submit">{k.active ? 'Disable' : 'Enable'}</button>
        </RowAction>
        <FormMessage of={others} />
      </td>
    </tr>
  );
}
